-- Unseats a peer from a shared room, and tells the nodes of the members (the leaver's included) in the same step, as
-- join.lua does; the last to leave removes the room's keys.
-- KEYS[1] members, KEYS[2] peers, KEYS[3] meta, KEYS[4] nodes, KEYS[5] the peer's whereabouts, KEYS[6] the names of
-- all rooms (see join.lua)
-- ARGV[1] peer id, ARGV[2] why, ARGV[3] node channel prefix, ARGV[4] room name, ARGV[5] the node that gives the seat
-- up: only the node that carries the peer may (one it moved away from, or that was taken for dead, may not)
-- Returns {"left"|"absent", members remaining}
local members, peers, meta, nodes, whereabouts, rooms = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local peer, why, channels, room = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if not redis.call('ZSCORE', members, peer) or redis.call('HGET', nodes, peer) ~= ARGV[5] then
  return {'absent', redis.call('ZCARD', members)}
end
local seq = redis.call('HINCRBY', meta, 'seq', 1)
tell(nodes, channels, cjson.encode({type = 'left', room = room, seq = seq, peer = peer, reason = why}))
redis.call('ZREM', members, peer)
redis.call('HDEL', peers, peer)
redis.call('HDEL', nodes, peer)
if redis.call('HGET', whereabouts, 'room') == room then
  redis.call('HDEL', whereabouts, 'room')
end
local left = redis.call('ZCARD', members)
if left == 0 then
  redis.call('DEL', members, peers, meta, nodes)
  redis.call('SREM', rooms, room)
end
return {'left', left}
