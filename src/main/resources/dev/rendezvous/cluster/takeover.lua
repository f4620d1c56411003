-- A client resumes on this node a session whose node does not answer because it died, whether seen dead yet or not.
-- In one step: the token is checked against the session's record, the peer moves to this node with its seat, and
-- the handover (as the node that held it would have sent it: see ChannelMessage) is published to this node's
-- channel, with the frames the store kept for the peer after the client's lastSeq (keep.lua: numbered, as frames)
-- and what reached it after its node died (late: '- <frame>' relayed by deliver.lua, 'N <news>' of its room by
-- tell.lua, in the order they happened); then the room's nodes hear it moved, in the room's order.
-- KEYS[1] the session's record (hash: node, peer, digest, user, grant), KEYS[2] the peers of this node
-- ARGV[1] the token presented, ARGV[2] the client's lastSeq, ARGV[3] this node, ARGV[4] node channel prefix,
-- ARGV[5] key prefix, ARGV[6] the request the handover answers
-- Returns {"taken"}, {"alive"} (its node lives: ask it), or {"unknown"|"gap"|"ahead"}
local record = redis.call('HMGET', KEYS[1], 'node', 'peer', 'digest', 'user', 'grant')
local holder, peer = record[1], record[2]
local taker, channels, prefix = ARGV[3], ARGV[4], ARGV[5]
if not holder or not peer or record[3] ~= redis.sha1hex(ARGV[1]) or holder == taker then
  return {'unknown'}
end
-- dead: nothing subscribes its channel (its socket to the store closed), or it was not heard for its TTL (its socket
-- may stay open long after a machine froze or a cable was pulled)
if redis.call('PUBSUB', 'NUMSUB', channels .. holder)[2] > 0 and redis.call('EXISTS', prefix .. 'node:' .. holder) == 1 then
  return {'alive'}
end
local whereabouts, kept = prefix .. 'peer:' .. peer, prefix .. 'kept:' .. peer
local where = redis.call('HMGET', whereabouts, 'node', 'room', 'away', 'lost')
if where[1] ~= holder then
  return {'unknown'}
end
if where[4] then
  return {'gap'}
end
local lastSeq = tonumber(ARGV[2])
local sent, numbered, late = nil, {}, {}
for _, entry in ipairs(redis.call('LRANGE', kept, 0, -1)) do
  local space = string.find(entry, ' ', 1, true)
  local head, body = string.sub(entry, 1, space - 1), string.sub(entry, space + 1)
  if head == '-' or head == 'N' then
    late[#late + 1] = entry
  elseif head == 'S' then -- detached here: what came before it was kept while its node lived, and is not late
    sent, late = math.max(sent or 0, tonumber(body)), {}
  else
    numbered[tonumber(head)] = body
  end
end
local frames = {}
if sent then -- it was detached when its node died: what it numbered is known
  for seq in pairs(numbered) do
    sent = math.max(sent, seq)
  end
  if lastSeq > sent then
    return {'ahead'}
  end
  for seq = lastSeq + 1, sent do
    if not numbered[seq] then
      return {'gap'}
    end
    frames[#frames + 1] = numbered[seq]
  end
end
redis.call('DEL', KEYS[1], kept)
redis.call('HDEL', whereabouts, 'away', 'lost', 'kept-bytes')
redis.call('HSET', whereabouts, 'node', taker)
redis.call('SREM', prefix .. 'node-peers:' .. holder, peer)
redis.call('SADD', KEYS[2], peer)
local back = where[3] == '1'
local handover = {type = 'released', req = ARGV[6], outcome = 'ok', peer = peer, lastSeq = lastSeq, detached = back,
                  frames = frames, late = late}
if record[4] then handover.user = record[4] end
if record[5] then handover.grant = cjson.decode(record[5]) end
local room, base = where[2], nil
if room then
  base = prefix .. 'room:{' .. room .. '}:'
  if redis.call('HGET', base .. 'nodes', peer) then
    redis.call('HSET', base .. 'nodes', peer, taker)
    local members = {}
    for _, id in ipairs(redis.call('ZRANGE', base .. 'members', 0, -1)) do
      local member = cjson.decode(redis.call('HGET', base .. 'peers', id))
      member.node = redis.call('HGET', base .. 'nodes', id)
      members[#members + 1] = member
    end
    handover.room, handover.capacity, handover.members = room, tonumber(redis.call('HGET', base .. 'meta', 'capacity')), members
  else
    room = nil
  end
end
redis.call('PUBLISH', channels .. taker, cjson.encode(handover))
if room then
  local seq = redis.call('HINCRBY', base .. 'meta', 'seq', 1)
  tell(base .. 'nodes', channels, cjson.encode({type = 'moved', room = room, seq = seq, peer = peer, node = taker, back = back}))
end
return {'taken'}
