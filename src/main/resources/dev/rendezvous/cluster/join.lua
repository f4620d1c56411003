-- Seats a peer in a room shared by every node, atomically: the capacity and the lock are checked and the seat taken
-- in one step, so joins racing on different nodes cannot overfill a room. The news goes out in the same step, one
-- PUBLISH to the channel of each node that holds a member (the joiner's included), so every member on every node
-- hears the room's joins and leaves in the one order Redis ran these scripts in.
-- KEYS[1] the room's members (sorted set: peer id by join order)
-- KEYS[2] the room's peers (hash: peer id -> its member record, JSON: peer, node, name, user)
-- KEYS[3] the room's meta (hash: capacity, locked, seq)
-- KEYS[4] the room's nodes (hash: peer id -> the node that carries it)
-- KEYS[5] the peer's whereabouts (hash: node, room)
-- KEYS[6] the names of all rooms (set)
-- ARGV[1] peer id, ARGV[2] its member record, ARGV[3] capacity (the first joiner's sets the room's), ARGV[4] its
-- node, ARGV[5] node channel prefix, ARGV[6] room name, ARGV[7] the join's txn ('' if none), ARGV[8] now (ms since
-- the epoch, by the joining node's clock: when the room was made, if this makes it)
-- Returns {"joined"|"again"|"full"|"locked", seq}
local members, peers, meta, nodes, whereabouts, rooms = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local peer, record, node, channels, room, txn = ARGV[1], ARGV[2], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
if redis.call('ZSCORE', members, peer) then
  return {'again', 0}
end
if redis.call('HGET', meta, 'locked') == '1' then
  return {'locked', 0}
end
redis.call('HSETNX', meta, 'capacity', ARGV[3])
redis.call('HSETNX', meta, 'created', ARGV[8])
local capacity = tonumber(redis.call('HGET', meta, 'capacity'))
if redis.call('ZCARD', members) >= capacity then
  return {'full', 0}
end
local earlier = {}
for _, id in ipairs(redis.call('ZRANGE', members, 0, -1)) do
  earlier[#earlier + 1] = cjson.decode(redis.call('HGET', peers, id))
end
local seq = redis.call('HINCRBY', meta, 'seq', 1)
redis.call('ZADD', members, seq, peer)
redis.call('HSET', peers, peer, record)
redis.call('HSET', nodes, peer, node)
redis.call('HSET', whereabouts, 'room', room)
redis.call('SADD', rooms, room)
local news = {type = 'joined', room = room, seq = seq, capacity = capacity, member = cjson.decode(record), earlier = earlier}
if txn ~= '' then news.txn = txn end
tell(nodes, channels, cjson.encode(news))
return {'joined', seq}
