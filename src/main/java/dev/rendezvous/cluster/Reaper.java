package dev.rendezvous.cluster;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Frees what dead nodes held. A node whose liveness key expired (it was not heard for the node TTL) is dead; one live
 * node takes a lease on it ({@link Keys#reaping}) and tells the rooms of each of its peers that the peer is
 * {@code reconnecting}; when the resume grace has passed (counted from now) it takes those still there out of their
 * rooms ({@code peer-left} {@code timeout}) and forgets the node. A node that starts under the id of a dead one frees
 * what it left at once.
 */
final class Reaper {

    private static final System.Logger LOG = System.getLogger(Reaper.class.getName());
    private static final String TIMEOUT = "timeout";

    private final RedisAsyncCommands<String, String> redis;
    private final Keys keys;
    private final String self;
    private final Duration ttl;
    private final Duration grace;
    private final SharedRooms rooms;
    private final SharedSessions sessions;
    private final ScheduledExecutorService timers;
    /** The ends of the graces of dead nodes' peers, until they run or the node leaves the cluster. */
    private final Set<ScheduledFuture<?>> graces = ConcurrentHashMap.newKeySet();
    private volatile int live = 1;

    Reaper(RedisAsyncCommands<String, String> redis, Keys keys, String self, Duration ttl, Duration grace,
           SharedRooms rooms, SharedSessions sessions, ScheduledExecutorService timers) {
        this.redis = redis;
        this.keys = keys;
        this.self = self;
        this.ttl = ttl;
        this.grace = grace;
        this.rooms = rooms;
        this.sessions = sessions;
        this.timers = timers;
    }

    /** How many nodes were alive at the last sweep, this one included. */
    int liveNodes() {
        return live;
    }

    /** Looks for dead nodes and reaps those no other node is reaping. */
    void sweep() {
        redis.smembers(keys.nodes()).thenAccept(nodes -> {
            var alive = new AtomicInteger(1);
            var looks = new ArrayList<CompletableFuture<?>>();
            for (var node : nodes) {
                if (!node.equals(self)) {
                    looks.add(redis.exists(keys.node(node)).thenCompose(found -> {
                                if (found > 0) {
                                    alive.incrementAndGet();
                                    return CompletableFuture.completedFuture((String) null);
                                }
                                return redis.set(keys.reaping(node), self,
                                        SetArgs.Builder.nx().px(ttl.multipliedBy(2).plus(grace).toMillis()));
                            })
                            .thenAccept(leased -> {
                                if ("OK".equals(leased)) {
                                    reap(node);
                                }
                            }).toCompletableFuture());
                }
            }
            CompletableFuture.allOf(looks.toArray(CompletableFuture[]::new)).thenRun(() -> live = alive.get());
        }).exceptionally(failed -> {
            LOG.log(Level.DEBUG, "Node " + self + " could not look for dead nodes", failed);
            return null;
        });
    }

    /** This node starts under the id {@code self}: what a dead node of that id left is freed at once. */
    CompletionStage<Void> reclaim() {
        return redis.smembers(keys.peersOf(self)).thenCompose(peers -> {
            if (!peers.isEmpty()) {
                LOG.log(Level.INFO, "Node {0} frees the {1} peers its previous run left behind", self, peers.size());
            }
            return free(self, List.copyOf(peers), false);
        });
    }

    private void reap(String dead) {
        redis.smembers(keys.peersOf(dead)).thenAccept(found -> {
            var peers = List.copyOf(found);
            LOG.log(Level.WARNING, "Node {0} was not heard for {1} ms: its {2} peers are reconnecting for {3} ms, then leave",
                    dead, ttl.toMillis(), peers.size(), grace.toMillis());
            for (var peer : peers) {
                redis.hget(keys.peer(peer), "room").thenAccept(room -> {
                    if (room != null) {
                        rooms.away(room, peer, dead);
                    }
                });
            }
            var end = new CompletableFuture<ScheduledFuture<?>>();
            var scheduled = timers.schedule(() -> {
                graces.remove(end.join());
                free(dead, peers, true);
            }, grace.toMillis(), TimeUnit.MILLISECONDS);
            graces.add(scheduled);
            end.complete(scheduled);
        }).exceptionally(failed -> {
            LOG.log(Level.WARNING, "Node " + self + " could not reap node " + dead + "; another sweep will", failed);
            return null;
        });
    }

    /** This node leaves the cluster: the graces it was counting are left to the node that reaps next (the lease lapses). */
    void stop() {
        graces.forEach(scheduled -> scheduled.cancel(false));
        graces.clear();
    }

    /** Takes {@code peers} of {@code node} out of their rooms and forgets them (and, if {@code dead}, the node). */
    private CompletionStage<Void> free(String node, List<String> peers, boolean dead) {
        var freed = new AtomicInteger();
        var done = CompletableFuture.<Void>completedFuture(null);
        for (var peer : peers) {
            done = done.thenCompose(ignored -> redis.hmget(keys.peer(peer), "node", "room", "session")).thenCompose(fields -> {
                var at = fields.get(0).getValueOrElse(null);
                var room = fields.get(1).getValueOrElse(null);
                var session = fields.get(2).getValueOrElse(null);
                if (at != null && !at.equals(node)) {
                    return sessions.forget(peer, node); // resumed on another node: only no longer counted here
                }
                // first the session's record, so that no resume takes it over now; a resume that took it over
                // already has moved it, and neither its seat nor its whereabouts go
                var ended = session == null ? CompletableFuture.completedFuture(0L) : redis.del(keys.session(session));
                return ended.thenCompose(ignored -> room == null ? CompletableFuture.completedFuture(false)
                                : rooms.leave(room, peer, TIMEOUT, node))
                        .thenCompose(ignored -> sessions.forget(peer, node));
            }).thenAccept(forgotten -> {
                if (forgotten) {
                    freed.incrementAndGet();
                }
            });
        }
        if (dead) {
            done = done.thenCompose(ignored -> redis.srem(keys.nodes(), node)).thenApply(removed -> {
                LOG.log(Level.INFO, "Node {0} is forgotten: {1} of its {2} peers left their rooms, the others had resumed elsewhere",
                        node, freed.get(), peers.size());
                return null;
            });
        }
        return done.exceptionally(failed -> {
            LOG.log(Level.WARNING, "Node " + self + " could not free the peers of node " + node, failed);
            return null;
        });
    }
}
