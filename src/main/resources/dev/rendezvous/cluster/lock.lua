-- Locks a shared room to newcomers, or opens it again (join.lua checks it); only a room that exists.
-- KEYS[1] members, KEYS[2] meta (see join.lua); ARGV[1] '1' to lock, '0' to open
-- Returns {1} if the room exists, else {0}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {0}
end
redis.call('HSET', KEYS[2], 'locked', ARGV[1])
return {1}
