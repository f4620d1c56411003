-- A member's node died: tells the nodes of the room's members, in the room's order, that it is reconnecting (it
-- keeps its seat for the grace, in which it may resume on any node), unless its room heard so already (it was
-- detached when its node died: keep.lua), or it resumed on another node meanwhile.
-- KEYS[1] members, KEYS[2] meta, KEYS[3] nodes (see join.lua), KEYS[4] the peer's whereabouts; ARGV[1] peer id,
-- ARGV[2] node channel prefix, ARGV[3] room name, ARGV[4] the dead node
-- Returns {1} if it is a member still carried by the dead node, else {0}
local members, meta, nodes, whereabouts = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local peer, channels, room = ARGV[1], ARGV[2], ARGV[3]
if not redis.call('ZSCORE', members, peer) or redis.call('HGET', nodes, peer) ~= ARGV[4] then
  return {0}
end
if redis.call('HGET', whereabouts, 'away') == '1' then
  return {1}
end
redis.call('HSET', whereabouts, 'away', '1')
local seq = redis.call('HINCRBY', meta, 'seq', 1)
tell(nodes, channels, cjson.encode({type = 'away', room = room, seq = seq, peer = peer}))
return {1}
