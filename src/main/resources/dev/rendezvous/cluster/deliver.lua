-- A frame relayed to a peer whose node did not take it (nothing subscribed its channel: the node died, whether seen
-- dead yet or not): if the peer moved to another node meanwhile (it resumed there) it goes on there; if it is still
-- where it was sent it is kept for it, after what its node kept (keep.lua), so that a resume on another node gets it.
-- KEYS[1] the peer's whereabouts, KEYS[2] its kept frames (see keep.lua)
-- ARGV[1] the node it was sent to, ARGV[2] node channel prefix, ARGV[3] the room it was relayed in ('' for none: a
-- direct call), ARGV[4] the relay as published, ARGV[5] the frame's JSON, ARGV[6] how long to keep it (ms),
-- ARGV[7] the most frames, ARGV[8] the most bytes kept for a peer
-- Returns {"moved"|"kept"|"gone"|"full"}: gone if the peer left that room or is gone, full if too much is kept (a
-- resume then fails with a gap)
local whereabouts, kept = KEYS[1], KEYS[2]
local where = redis.call('HMGET', whereabouts, 'node', 'room', 'lost')
local at, room = where[1], where[2] or ''
if not at or room ~= ARGV[3] then
  return {'gone'}
end
if at ~= ARGV[1] and redis.call('PUBLISH', ARGV[2] .. at, ARGV[4]) > 0 then
  return {'moved'}
end
if where[3] then
  return {'full'}
end
local bytes = redis.call('HINCRBY', whereabouts, 'kept-bytes', #ARGV[5])
if redis.call('LLEN', kept) >= tonumber(ARGV[7]) or bytes > tonumber(ARGV[8]) then
  redis.call('HSET', whereabouts, 'lost', '1')
  redis.call('DEL', kept)
  return {'full'}
end
redis.call('RPUSH', kept, '- ' .. ARGV[5])
redis.call('PEXPIRE', kept, ARGV[6])
return {'kept'}
