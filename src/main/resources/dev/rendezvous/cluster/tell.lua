-- Shared by the scripts that change a room (prepended to each as it is loaded): publishes news once to the channel
-- of each node that holds a member of the room, inside the script, so in the order Redis runs the scripts. A node that
-- takes nothing on its channel is dead (seen dead yet or not): the news is kept for each of its members there, after
-- what keep.lua and deliver.lua kept, so that one that resumes on another node hears what it missed (takeover.lua).
-- The keys of what is kept start like the channels, with 'kept:' for 'n:' (see Keys); it goes after ten minutes at
-- the latest, and when the peer resumes or is forgotten.
local function tell(nodes, channels, news)
  local told, unheard = {}, nil
  for _, at in ipairs(redis.call('HVALS', nodes)) do
    if not told[at] then
      told[at] = true
      if redis.call('PUBLISH', channels .. at, news) == 0 then
        unheard = unheard or {}
        unheard[at] = true
      end
    end
  end
  if unheard then
    local kept = string.sub(channels, 1, -3) .. 'kept:'
    local carried = redis.call('HGETALL', nodes)
    for i = 1, #carried, 2 do
      if unheard[carried[i + 1]] then
        redis.call('RPUSH', kept .. carried[i], 'N ' .. news)
        redis.call('PEXPIRE', kept .. carried[i], 600000)
      end
    end
  end
end
