package dev.rendezvous.cluster;

import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.Sequenced;
import dev.rendezvous.access.Grant;
import dev.rendezvous.signaling.control.Settings;
import dev.rendezvous.signaling.control.Cluster;
import dev.rendezvous.signaling.control.Lifecycle;
import dev.rendezvous.signaling.control.Rooms;
import dev.rendezvous.signaling.control.Sessions;
import dev.rendezvous.signaling.entity.Room;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * This node's part in a cluster that shares its rooms through Redis/Valkey, with Lettuce: one connection for commands
 * (thread-safe, pipelined in call order) and one subscribed to this node's channel. What arrives there is handled on
 * one thread of the container's, in the order it arrived: the rooms' news in the order the store decided it, and the
 * frames relayed by other nodes in the order each sent them.
 */
final class RedisCluster implements Cluster, ChannelMessage.Handler, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisCluster.class.getName());
    /** How long a command may take before it fails (and its caller answers {@code unavailable}). */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** The longest wait between two attempts to reconnect, so a returning store is in use again within seconds. */
    static final Duration RECONNECT_AT_MOST = Duration.ofSeconds(2);
    /** The longest wait between two looks for dead nodes: a death is seen within the node TTL and this. */
    static final Duration SWEEP_AT_MOST = Duration.ofMillis(500);
    /** How long a node waits for another to hand a session over. */
    static final Duration RELEASE_WAIT = Duration.ofSeconds(4);
    /** How often a node that waits for a session looks whether its holder died meanwhile. */
    static final Duration HOLDER_CHECK = Duration.ofMillis(250);

    private final ClusterSettings settings;
    private final Keys keys;
    private final Rooms rooms;
    private final Sessions sessions;
    /** The takeovers this node asked other nodes for, by request id, until answered or given up. */
    private final Map<String, Waiting> takeovers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> inbox;
    private final ExecutorService deliveries;
    private final SharedRooms shared;
    private final SharedSessions kept;
    private final Node node;
    private final Lifecycle lifecycle;
    private final Reaper reaper;
    private final ScheduledFuture<?> watch;
    private final AtomicBoolean open = new AtomicBoolean(true);
    /** Whether the store answered the watch's last question. */
    private volatile boolean reachable = true;
    /** What this node could not tell the store while it was unreachable: seats given up, peers gone. */
    private final Queue<Runnable> owed = new ConcurrentLinkedQueue<>();

    /**
     * Joins the cluster: connects to the store (failing if it cannot), subscribes this node's channel and starts
     * saying it is alive.
     *
     * @param resume  how long the peers of a dead node may resume elsewhere before they leave their rooms, and what
     *                may be kept for each meanwhile
     * @param timers  runs the liveness beat and the look for dead nodes
     * @param threads makes the one thread that handles what arrives
     */
    RedisCluster(ClusterSettings settings, Rooms rooms, Sessions sessions, Lifecycle lifecycle, Settings.Resumption resume,
                 ScheduledExecutorService timers, ThreadFactory threads) {
        var grace = Duration.ofMillis(resume.graceMs());
        this.settings = settings;
        this.sessions = sessions;
        this.timers = timers;
        this.lifecycle = lifecycle;
        this.keys = new Keys(settings.keyPrefix());
        this.rooms = rooms;
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), RECONNECT_AT_MOST, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, RedisURI.create(settings.redisUri()));
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        this.deliveries = Executors.newSingleThreadExecutor(threads);
        try {
            this.commands = client.connect();
            this.inbox = client.connectPubSub();
        } catch (RuntimeException unreachable) {
            shutdown();
            throw new IllegalStateException("cannot reach Redis/Valkey at " + settings.redactedUri() + " ("
                    + unreachable.getMessage() + "); check rendezvous.cluster.redis-uri", unreachable);
        }
        this.shared = new SharedRooms(commands.async(), keys, settings.nodeId());
        this.kept = new SharedSessions(commands.async(), keys, settings.nodeId(),
                settings.nodeTtl().multipliedBy(3).plus(grace).plus(COMMAND_TIMEOUT), resume.keepMessages(), resume.keepBytes());
        this.reaper = new Reaper(commands.async(), keys, settings.nodeId(), settings.nodeTtl(), grace, shared, kept, timers);
        try {
            reaper.reclaim().toCompletableFuture().get(COMMAND_TIMEOUT.toMillis() * 5, TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException failed) {
            LOG.log(Level.WARNING, "Node " + settings.nodeId() + " could not free what an earlier run under its id left", failed);
        }
        this.node = new Node(settings.nodeId(), keys, settings.nodeTtl(), commands, inbox, timers, deliveries, this::received);
        var every = Math.min(SWEEP_AT_MOST.toMillis(), settings.nodeTtl().toMillis() / 3);
        this.watch = timers.scheduleWithFixedDelay(this::watch, every, every, TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "Rendezvous node {0} joined the cluster at {1} (keys under {2})", settings.nodeId(),
                settings.redactedUri(), settings.keyPrefix());
    }

    @Override
    public boolean on() {
        return true;
    }

    @Override
    public String node() {
        return settings.nodeId();
    }

    @Override
    public boolean reachable() {
        return reachable;
    }

    @Override
    public CompletionStage<Claim> join(RoomName room, Member member, int capacity, String txn) {
        return shared.join(room.value(), member.peer().value(), ChannelMessage.record(member), capacity, txn).thenApply(outcome -> switch (outcome) {
            case JOINED -> Claim.JOINED;
            case AGAIN -> Claim.AGAIN;
            case FULL -> Claim.FULL;
            case LOCKED -> Claim.LOCKED;
        });
    }

    /** A takeover waiting for its handover: what to run with it as it arrives, and where its answer goes. */
    private record Waiting(Consumer<Handover> onArrival, CompletableFuture<Handover> answer) {
    }

    @Override
    public void sessionHeld(String tokenId, String token, String previousTokenId, PeerId peer, Grant grant) {
        kept.held(tokenId, token, previousTokenId, peer.value(), grant == null ? null : grant.userId(),
                grant == null ? null : ChannelMessage.grant(grant).toString()).exceptionally(this::unrecorded);
    }

    @Override
    public void sessionEnded(String tokenId) {
        kept.ended(tokenId).exceptionally(this::unrecorded);
    }

    @Override
    public void keep(PeerId peer, long sent, List<Sequenced> frames) {
        kept.keep(peer.value(), sent, frames).exceptionally(this::unrecorded);
    }

    @Override
    public void carried(PeerId peer) {
        kept.carried(peer.value()).exceptionally(this::unrecorded);
    }

    @Override
    public CompletionStage<Handover> takeOver(String tokenId, String token, long lastSeq, Consumer<Handover> onArrival) {
        return commands.async().hget(keys.session(tokenId), "node").thenCompose(holder -> {
            if (holder == null || holder.equals(settings.nodeId())) {
                return CompletableFuture.completedFuture(null);
            }
            var request = UUID.randomUUID().toString();
            var answer = new CompletableFuture<Handover>();
            takeovers.put(request, new Waiting(onArrival, answer));
            node.send(holder, new ChannelMessage.Release(token, lastSeq, settings.nodeId(), request).encode())
                    .thenCompose(heard -> heard ? CompletableFuture.completedFuture(SharedSessions.Takeover.ASKED)
                            : kept.takeOver(tokenId, token, lastSeq, request)) // no one listens there: the holder died
                    .whenComplete((outcome, failed) -> {
                        if (failed == null && outcome == SharedSessions.Takeover.ASKED) {
                            awaitHolder(tokenId, token, lastSeq, request);
                        } else if (failed != null || outcome != SharedSessions.Takeover.TAKEN) {
                            var asked = takeovers.remove(request);
                            if (asked == null) {
                                return; // answered or given up meanwhile
                            }
                            if (failed != null) {
                                answer.completeExceptionally(failed);
                            } else if (outcome == SharedSessions.Takeover.ALIVE) {
                                answer.completeExceptionally(new IllegalStateException("node " + holder + " is back"));
                            } else {
                                answer.complete(Handover.refused(outcome.name().toLowerCase(Locale.ROOT)));
                            }
                        } // else the handover arrives on this node's channel: released()
                    });
            timers.schedule(() -> {
                if (takeovers.remove(request) != null) {
                    answer.completeExceptionally(new TimeoutException("node " + holder + " did not hand the session over"));
                }
            }, RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return answer;
        });
    }

    /**
     * The holder's channel took the request, but a node can take it and be dead all the same: its socket to the store
     * outlives it for a moment (the kernel closes it as the process ends), or much longer (a machine that froze, a
     * cable pulled: until TCP gives up). While the request waits for its answer, this node looks again every
     * {@link #HOLDER_CHECK}: once the holder is dead by the store's lights (nothing subscribes its channel, or its
     * liveness key expired), it takes the session over as if no one had heard. Any other outcome waits for the answer.
     */
    private void awaitHolder(String tokenId, String token, long lastSeq, String request) {
        timers.schedule(() -> {
            if (!takeovers.containsKey(request)) {
                return; // answered, taken over, or given up
            }
            kept.takeOver(tokenId, token, lastSeq, request).whenComplete((outcome, failed) -> {
                if (failed == null && outcome == SharedSessions.Takeover.ALIVE) {
                    awaitHolder(tokenId, token, lastSeq, request);
                } // taken: the handover arrives on this node's channel; else the holder's answer, or the wait's end
            });
        }, HOLDER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void handOver(String to, String request, Handover handover) {
        node.send(to, new ChannelMessage.Released(request, handover).encode()).exceptionally(failed -> {
            LOG.log(Level.WARNING, "Node " + settings.nodeId() + " could not hand a session over to node " + to, failed);
            return false;
        });
    }

    @Override
    public void forward(String to, PeerId peer, Frame frame) {
        node.send(to, new ChannelMessage.Forwarded(peer, frame.json()).encode()).exceptionally(failed -> {
            LOG.log(Level.DEBUG, () -> "A frame forwarded to " + peer + " on node " + to + " was lost", failed);
            return false;
        });
    }

    @Override
    public void moved(PeerId peer, RoomName room, String to, boolean back) {
        shared.move(peer.value(), settings.nodeId(), to, room == null ? null : room.value(), back).exceptionally(failed -> {
            LOG.log(Level.WARNING, "Node " + settings.nodeId() + " could not tell the store that " + peer + " moved to " + to, failed);
            return false;
        });
    }

    @Override
    public void release(ChannelMessage.Release release) {
        sessions.release(release.token(), release.lastSeq(), release.from(), release.request());
    }

    @Override
    public void released(ChannelMessage.Released released) {
        var takeover = takeovers.remove(released.request());
        if (takeover == null) {
            if (Handover.OK.equals(released.handover().outcome()) && rooms.carries(released.handover().peer())) {
                LOG.log(Level.WARNING, () -> "Node " + settings.nodeId() + " got the session of " + released.handover().peer()
                        + " a second time (its holder woke after it was taken for dead): it carries it already");
            } else if (Handover.OK.equals(released.handover().outcome())) {
                LOG.log(Level.WARNING, () -> "Node " + settings.nodeId() + " got the session of " + released.handover().peer()
                        + " after it had stopped waiting for it: it waits here, detached, until its grace runs out");
                sessions.orphaned(released.handover());
            }
            return;
        }
        if (Handover.OK.equals(released.handover().outcome())) {
            takeover.onArrival().accept(released.handover());
        }
        takeover.answer().complete(released.handover());
    }

    @Override
    public void moved(ChannelMessage.Moved moved) {
        rooms.news().moved(moved.room(), moved.peer(), moved.node(), moved.back());
    }

    @Override
    public void forwarded(ChannelMessage.Forwarded forwarded) {
        rooms.news().forwarded(forwarded.to(), Frame.encoded(forwarded.frame()));
    }

    @Override
    public int nodes() {
        return reaper.liveNodes();
    }

    @Override
    public CompletionStage<List<Room.Snapshot>> snapshot() {
        return shared.snapshot();
    }

    @Override
    public void kick(String to, PeerId peer, String reason) {
        node.send(to, new ChannelMessage.Kick(peer, reason).encode()).exceptionally(failed -> {
            LOG.log(Level.WARNING, "Node " + settings.nodeId() + " could not ask node " + to + " to kick " + peer, failed);
            return false;
        });
    }

    @Override
    public CompletionStage<Boolean> leave(RoomName room, PeerId peer, LeaveReason reason) {
        return shared.leave(room.value(), peer.value(), reason.wireName()).whenComplete((had, failed) -> {
            if (failed != null) {
                owed.add(() -> leave(room, peer, reason));
            }
        });
    }

    @Override
    public CompletionStage<Boolean> lock(RoomName room, boolean locked) {
        return shared.lock(room.value(), locked);
    }

    @Override
    public CompletionStage<Long> close(RoomName room) {
        return shared.close(room.value());
    }

    @Override
    public CompletionStage<Void> arrived(PeerId peer) {
        var async = commands.async();
        async.sadd(keys.peersOf(settings.nodeId()), peer.value()).exceptionally(this::unrecorded);
        return async.hset(keys.peer(peer.value()), "node", settings.nodeId()).<Void>thenApply(set -> null)
                .whenComplete((done, failed) -> {
                    if (failed != null && rooms.carries(peer)) {
                        owed.add(() -> arrived(peer));
                    }
                });
    }

    @Override
    public void departed(PeerId peer) {
        kept.forget(peer.value(), settings.nodeId()).whenComplete((forgotten, failed) -> {
            if (failed != null) {
                owed.add(() -> departed(peer));
            }
        });
    }

    @Override
    public CompletionStage<Whereabouts> locate(PeerId peer) {
        return commands.async().hmget(keys.peer(peer.value()), "node", "room").thenApply(fields -> {
            var at = fields.get(0).getValueOrElse(null);
            if (at == null || at.equals(settings.nodeId())) {
                return null; // unknown, or this node's, which is not connected here any more
            }
            var room = fields.get(1).getValueOrElse(null);
            return new Whereabouts(at, room == null ? null : new RoomName(room));
        });
    }

    /**
     * Publishes the relay to node {@code to}; if no one takes it there (the node died, seen dead yet or not), the store
     * sends it on to the node the peer moved to, or keeps it for the peer's resume elsewhere. A relay the store did not
     * take within the command timeout (it is unreachable, or this node fell that far behind) runs {@code lost} on the
     * deliveries thread, a thread of the container's.
     */
    @Override
    public void relay(String to, PeerId peer, RoomName room, Frame frame, Runnable lost) {
        var relay = new ChannelMessage.Relay(peer, room, frame.json()).encode();
        node.send(to, relay).thenCompose(heard -> heard ? CompletableFuture.completedFuture(SharedSessions.Delivery.HEARD)
                        : kept.deliver(to, peer.value(), room == null ? null : room.value(), relay, frame.json()))
                .whenComplete((delivery, failed) -> {
                    if (failed != null) {
                        LOG.log(Level.DEBUG, () -> "A relay to " + peer + " on node " + to + " may be lost, its sender is "
                                + "told unavailable: the store did not take it in time", failed);
                        if (open.get()) { // a node leaving the cluster cancels what it sent; its connections close too
                            deliveries.execute(lost);
                        }
                    } else if (delivery == SharedSessions.Delivery.FULL) {
                        LOG.log(Level.DEBUG, () -> "A relay to " + peer + " of dead node " + to + " was not kept: too much is kept for it");
                    }
                });
    }

    /**
     * Asks the store whether it knows this node, every half second at most: no answer (within the command timeout) and
     * this node is not ready, and cannot reach other nodes, until one comes; an answer that it does not know this node
     * (it restarted empty, or reaped this node while it could not reach it) and this node registers again: itself,
     * its peers, their seats. Then it pays what it owes, and looks for dead nodes.
     */
    private void watch() {
        commands.async().sismember(keys.nodes(), settings.nodeId()).whenComplete((known, failed) -> {
            if (failed != null) {
                if (reachable) {
                    reachable = false;
                    lifecycle.cannotReach("this node cannot reach the cluster's Redis/Valkey at " + settings.redactedUri());
                    LOG.log(Level.WARNING, "Node {0} cannot reach Redis/Valkey at {1} ({2}): it is not ready, and joins, "
                            + "relays to other nodes and resumes held elsewhere are refused until it can",
                            settings.nodeId(), settings.redactedUri(), failed.getMessage());
                }
                return;
            }
            if (!known) {
                register();
            }
            for (Runnable debt; (debt = owed.poll()) != null; ) {
                debt.run();
            }
            if (!reachable) {
                reachable = true;
                lifecycle.reaches();
                LOG.log(Level.INFO, "Node {0} reaches Redis/Valkey at {1} again", settings.nodeId(), settings.redactedUri());
            }
            reaper.sweep();
        });
    }

    /** Tells a store that does not know this node all it should: the node, where its peers are, the seats they hold. */
    private void register() {
        var peers = rooms.peersHere();
        var seats = rooms.seatsHere();
        LOG.log(Level.INFO, "Node {0} registers again with Redis/Valkey: {1} peers, {2} seats", settings.nodeId(),
                peers.size(), seats.size());
        node.register();
        for (var peer : peers) {
            arrived(peer);
        }
        for (var seat : seats) {
            var member = seat.member();
            shared.join(seat.room().value(), member.peer().value(), ChannelMessage.record(member), seat.capacity(), null)
                    .exceptionally(failed -> {
                        LOG.log(Level.WARNING, "Node " + settings.nodeId() + " could not restore the seat of " + member.peer()
                                + " in room " + seat.room(), failed);
                        return null;
                    });
        }
    }

    /** Handles what arrived on this node's channel; on the deliveries' thread. */
    private void received(String text) {
        try {
            ChannelMessage.parse(text).handledBy(this);
        } catch (IllegalArgumentException corrupt) {
            LOG.log(Level.WARNING, () -> "Node " + settings.nodeId() + " ignored a message on its channel: " + corrupt.getMessage());
        } catch (RuntimeException failure) {
            LOG.log(Level.ERROR, () -> "Node " + settings.nodeId() + " failed to handle a message on its channel", failure);
        }
    }

    @Override
    public void joined(ChannelMessage.Joined joined) {
        rooms.news().seated(joined.room(), joined.capacity(), joined.member(), joined.txn(), joined.earlier());
    }

    @Override
    public void left(ChannelMessage.Left left) {
        rooms.news().unseated(left.room(), left.peer(), left.reason());
    }

    @Override
    public void away(ChannelMessage.Away away) {
        rooms.news().away(away.room(), away.peer());
    }

    @Override
    public void kick(ChannelMessage.Kick kick) {
        if (!rooms.kickHere(kick.peer(), kick.reason())) {
            LOG.log(Level.INFO, () -> "Node " + settings.nodeId() + " was asked to kick " + kick.peer() + ", which is gone");
        }
    }

    @Override
    public void closed(ChannelMessage.Closed closed) {
        rooms.news().closed(closed.room());
    }

    @Override
    public void relay(ChannelMessage.Relay relay) {
        rooms.news().relayed(relay.to(), relay.room(), Frame.encoded(relay.frame()));
    }

    private <T> T unrecorded(Throwable failed) {
        LOG.log(Level.DEBUG, () -> "Node " + settings.nodeId() + " could not record a peer's whereabouts", failed);
        return null;
    }

    /** Leaves the cluster: its liveness key goes, its connections close, its threads end. */
    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        watch.cancel(false);
        reaper.stop();
        node.close();
        shutdown();
        LOG.log(Level.INFO, "Rendezvous node {0} left the cluster", settings.nodeId());
    }

    private void shutdown() {
        deliveries.shutdown();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
