-- A peer moved, with its session, from one node to another (its client resumed there): the store has it carried by
-- the new node, and the nodes of its room (if any) hear it in the room's order, each having the peer carried there.
-- KEYS[1] the peer's whereabouts, KEYS[2] the peers of the node it left, KEYS[3] the peers of the node it moved to;
-- with a room: KEYS[4] the room's nodes, KEYS[5] the room's meta (see join.lua)
-- ARGV[1] peer id, ARGV[2] the node it moved to, ARGV[3] node channel prefix, ARGV[4] room name ('' if none),
-- ARGV[5] '1' if it came back from a detach (its room hears connected)
-- Returns {1} if it was in its room still, else {0}
local whereabouts, from, to = KEYS[1], KEYS[2], KEYS[3]
local peer, node, channels, room, back = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
redis.call('HSET', whereabouts, 'node', node)
redis.call('SREM', from, peer)
redis.call('SADD', to, peer)
if room == '' or not redis.call('HGET', KEYS[4], peer) then
  return {0}
end
redis.call('HSET', KEYS[4], peer, node)
local seq = redis.call('HINCRBY', KEYS[5], 'seq', 1)
tell(KEYS[4], channels, cjson.encode({type = 'moved', room = room, seq = seq, peer = peer, node = node, back = back == '1'}))
return {1}
