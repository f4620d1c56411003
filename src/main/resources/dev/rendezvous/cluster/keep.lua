-- Keeps in the store what a detached session's node keeps for it, so that it outlives that node: the frames it sent
-- the client and may have to send again, numbered, and how far it had numbered them; and marks the peer away (its
-- room heard reconnecting from its node). takeover.lua reads them when that node dies before the client resumes.
-- KEYS[1] the peer's whereabouts (hash: node, room, session, away), KEYS[2] its kept frames (list)
-- ARGV[1] how long to keep them (ms), ARGV[2...] entries: '<seq> <frame JSON>', or 'S <seq>': numbered up to seq
-- Returns {1}, or {0} if the peer is gone already (nothing is kept)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {0}
end
redis.call('HSET', KEYS[1], 'away', '1')
if #ARGV > 1 then
  redis.call('RPUSH', KEYS[2], unpack(ARGV, 2))
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
end
return {1}
