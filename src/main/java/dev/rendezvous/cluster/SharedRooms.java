package dev.rendezvous.cluster;

import io.lettuce.core.api.async.RedisAsyncCommands;

import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.signaling.entity.Room;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Rooms whose membership every node shares, kept in Redis/Valkey under {@code <prefix>room:{<name>}:…}: a sorted set
 * of member ids by join order, a hash of their member records, a hash of the room's capacity, lock and sequence, a
 * hash of the node each member is on; and each peer's whereabouts under {@code <prefix>peer:<id>}. Joining, leaving,
 * locking and closing are single scripts, so capacity and lock hold across nodes however joins race, and each
 * publishes its news to the channel of every node with a member in the same step ({@link News}): all members hear a
 * room's joins and leaves in one order.
 */
final class SharedRooms {

    private static final System.Logger LOG = System.getLogger(SharedRooms.class.getName());

    /** How a join ended. */
    enum Outcome { JOINED, AGAIN, FULL, LOCKED }

    private final RedisAsyncCommands<String, String> redis;
    private final Keys keys;
    private final String node;
    private final Script join;
    private final Script leave;
    private final Script close;
    private final Script lock;
    private final Script away;
    private final Script move;

    /** @param node the id of the node this is, whose channel hears of its peers' rooms ({@link Node}) */
    SharedRooms(RedisAsyncCommands<String, String> redis, Keys keys, String node) {
        this.redis = redis;
        this.keys = keys;
        this.node = node;
        this.join = Script.load("join.lua", redis);
        this.leave = Script.load("leave.lua", redis);
        this.close = Script.load("close.lua", redis);
        this.lock = Script.load("lock.lua", redis);
        this.away = Script.load("away.lua", redis);
        this.move = Script.load("move.lua", redis);
    }

    /**
     * Seats {@code peerId}, described by {@code record} (JSON: {@code peer}, {@code node}, {@code name}, {@code user}),
     * in {@code room} if it has fewer members than its capacity ({@code capacity}, unless an earlier joiner set it).
     */
    CompletionStage<Outcome> join(String room, String peerId, String record, int capacity, String txn) {
        return join.run(redis, room(room, peerId), peerId, record, Integer.toString(capacity), node, keys.channels(), room,
                        txn == null ? "" : txn, Long.toString(System.currentTimeMillis()))
                .thenApply(reply -> Outcome.valueOf(((String) reply.get(0)).toUpperCase(Locale.ROOT)));
    }

    /** Unseats {@code peerId}, this node's, which leaves for {@code why}: whether it was a member. */
    CompletionStage<Boolean> leave(String room, String peerId, String why) {
        return leave(room, peerId, why, node);
    }

    /**
     * Unseats {@code peerId}, which leaves for {@code why}, if node {@code carrier} still carries it: whether it was
     * a member there (a peer that resumed on another node keeps its seat).
     */
    CompletionStage<Boolean> leave(String room, String peerId, String why, String carrier) {
        return leave.run(redis, room(room, peerId), peerId, why, keys.channels(), room, carrier)
                .thenApply(reply -> "left".equals(reply.get(0)));
    }

    /**
     * Tells the nodes of {@code room} that {@code peerId}, whose node {@code dead} died, is reconnecting, unless they
     * heard it already: whether it is a member still carried by that node.
     */
    CompletionStage<Boolean> away(String room, String peerId, String dead) {
        var base = keys.room(room);
        return away.run(redis, new String[]{base + "members", base + "meta", base + "nodes", keys.peer(peerId)}, peerId,
                        keys.channels(), room, dead)
                .thenApply(reply -> (Long) reply.get(0) == 1L);
    }

    /** {@code peerId} moved from node {@code from} to {@code to}, in {@code room} (null if none): whether it is seated there. */
    CompletionStage<Boolean> move(String peerId, String from, String to, String room, boolean back) {
        var keys = room == null
                ? new String[]{this.keys.peer(peerId), this.keys.peersOf(from), this.keys.peersOf(to)}
                : new String[]{this.keys.peer(peerId), this.keys.peersOf(from), this.keys.peersOf(to),
                        this.keys.room(room) + "nodes", this.keys.room(room) + "meta"};
        return move.run(redis, keys, peerId, to, this.keys.channels(), room == null ? "" : room, back ? "1" : "0")
                .thenApply(reply -> (Long) reply.get(0) == 1L);
    }

    /** Locks {@code room} to newcomers on every node, or opens it again: whether it exists. */
    CompletionStage<Boolean> lock(String room, boolean locked) {
        var base = keys.room(room);
        return lock.run(redis, new String[]{base + "members", base + "meta"}, locked ? "1" : "0")
                .thenApply(reply -> (Long) reply.get(0) == 1L);
    }

    /** Closes {@code room} on every node: how many members it had, or -1 if there is no such room. */
    CompletionStage<Long> close(String room) {
        var base = keys.room(room);
        return close.run(redis, new String[]{base + "members", base + "peers", base + "meta", base + "nodes", keys.rooms()},
                        keys.channels(), room, keys.peer(""))
                .thenApply(reply -> (Long) reply.get(0));
    }

    private String[] room(String room, String peerId) {
        var base = keys.room(room);
        return new String[]{base + "members", base + "peers", base + "meta", base + "nodes", keys.peer(peerId), keys.rooms()};
    }

    /**
     * Every room the store holds, with its members on every node in join order, for operators (a few commands per
     * room, pipelined). A room whose keys went between two of them, or whose records are not this cluster's, is left out.
     */
    CompletionStage<List<Room.Snapshot>> snapshot() {
        return redis.smembers(keys.rooms()).thenCompose(names -> {
            var each = names.stream().map(this::snapshot).map(CompletionStage::toCompletableFuture).toList();
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> each.stream()
                    .map(CompletableFuture::join).filter(Objects::nonNull)
                    .sorted(Comparator.comparing(room -> room.name().value())).toList());
        });
    }

    private CompletionStage<Room.Snapshot> snapshot(String name) {
        var base = keys.room(name);
        var order = redis.zrange(base + "members", 0, -1).toCompletableFuture();
        var records = redis.hgetall(base + "peers").toCompletableFuture();
        var meta = redis.hgetall(base + "meta").toCompletableFuture();
        return CompletableFuture.allOf(order, records, meta).thenApply(done -> {
            try {
                var occupants = new ArrayList<Room.Occupant>();
                for (var id : order.join()) {
                    var record = records.join().get(id);
                    if (record != null) {
                        var member = ChannelMessage.member(record);
                        occupants.add(new Room.Occupant(member.peer(), member.displayName(), member.userId(), member.joinedAt(),
                                member.remoteAddress(), member.node()));
                    }
                }
                var fields = meta.join();
                if (occupants.isEmpty() || fields.get("capacity") == null) {
                    return null;
                }
                var created = fields.get("created");
                return new Room.Snapshot(new RoomName(name), Integer.parseInt(fields.get("capacity")), "1".equals(fields.get("locked")),
                        created == null ? occupants.get(0).joinedAt() : Instant.ofEpochMilli(Long.parseLong(created)),
                        List.copyOf(occupants));
            } catch (RuntimeException corrupt) {
                LOG.log(Level.WARNING, () -> "Left room " + name + " out of a snapshot: its keys are not this cluster's ("
                        + corrupt.getMessage() + ")");
                return null;
            }
        });
    }
}
