-- A member's node died: tells the nodes of the room's members, in the room's order, that it is reconnecting (it
-- keeps its seat for the grace, in which it may resume on any node).
-- KEYS[1] members, KEYS[2] meta, KEYS[3] nodes (see join.lua); ARGV[1] peer id, ARGV[2] node channel prefix,
-- ARGV[3] room name
-- Returns {1} if it is a member, else {0}
local members, meta, nodes = KEYS[1], KEYS[2], KEYS[3]
local peer, channels, room = ARGV[1], ARGV[2], ARGV[3]
if not redis.call('ZSCORE', members, peer) then
  return {0}
end
local seq = redis.call('HINCRBY', meta, 'seq', 1)
tell(nodes, channels, cjson.encode({type = 'away', room = room, seq = seq, peer = peer}))
return {1}
