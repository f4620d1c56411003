-- A peer is gone for good from a node: the node no longer counts it, and its whereabouts and kept frames go, unless
-- another node carries it now (it resumed there, which moved it).
-- KEYS[1] the peer's whereabouts, KEYS[2] its kept frames (see keep.lua), KEYS[3] the peers of the node
-- ARGV[1] peer id, ARGV[2] the node
-- Returns {1} if it was forgotten, {0} if another node carries it
redis.call('SREM', KEYS[3], ARGV[1])
local at = redis.call('HGET', KEYS[1], 'node')
if at and at ~= ARGV[2] then
  return {0}
end
redis.call('DEL', KEYS[1], KEYS[2])
return {1}
