-- Closes a shared room on an operator's word: every node with a member hears it (each tells its members
-- room-closed), and the room's keys go, in one step.
-- KEYS[1] members, KEYS[2] peers, KEYS[3] meta, KEYS[4] nodes, KEYS[5] the names of all rooms (see join.lua)
-- ARGV[1] node channel prefix, ARGV[2] room name, ARGV[3] what a peer's whereabouts key starts with
-- Returns {members it had}, or {-1} if there is no such room
local members, peers, meta, nodes = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local channels, room, whereabouts = ARGV[1], ARGV[2], ARGV[3]
local ids = redis.call('ZRANGE', members, 0, -1)
if #ids == 0 then
  return {-1}
end
tell(nodes, channels, cjson.encode({type = 'closed', room = room}))
for _, id in ipairs(ids) do
  if redis.call('HGET', whereabouts .. id, 'room') == room then
    redis.call('HDEL', whereabouts .. id, 'room')
  end
end
redis.call('DEL', members, peers, meta, nodes)
redis.call('SREM', KEYS[5], room)
return {#ids}
