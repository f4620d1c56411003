-- Shared by the scripts that change a room (prepended to each as it is loaded): publishes news once to the channel
-- of each node that holds a member of the room, inside the script, so in the order Redis runs the scripts.
local function tell(nodes, channels, news)
  local told = {}
  for _, at in ipairs(redis.call('HVALS', nodes)) do
    if not told[at] then
      told[at] = true
      redis.call('PUBLISH', channels .. at, news)
    end
  end
end
