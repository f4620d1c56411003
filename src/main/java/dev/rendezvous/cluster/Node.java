package dev.rendezvous.cluster;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This server as one node of a cluster: it says it is alive by a key with a time to live ({@link Keys#node}, refreshed
 * three times a TTL), and takes messages for it on a channel of its own ({@link Keys#channel}), one channel per node:
 * a message to a peer on another node is one PUBLISH to that node, in the order published. Messages arrive on the
 * client's I/O thread and are handed to {@code deliveries}, which must keep their order.
 */
final class Node implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Node.class.getName());

    private final String id;
    private final Keys keys;
    private final Duration ttl;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> inbox;
    private final ScheduledFuture<?> heartbeat;

    /**
     * @param deliveries runs each arriving message's handling, in arrival order (one thread, or a serial queue)
     * @param received   handles a message sent to this node
     */
    Node(String id, Keys keys, Duration ttl, StatefulRedisConnection<String, String> commands,
         StatefulRedisPubSubConnection<String, String> inbox, ScheduledExecutorService timers, Executor deliveries,
         Consumer<String> received) {
        this.id = id;
        this.keys = keys;
        this.ttl = ttl;
        this.commands = commands;
        this.inbox = inbox;
        inbox.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                deliveries.execute(() -> received.accept(message));
            }
        });
        inbox.sync().subscribe(keys.channel(id));
        beat();
        commands.sync().sadd(keys.nodes(), id);
        var every = Math.max(1, ttl.toMillis() / 3);
        this.heartbeat = timers.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    String id() {
        return id;
    }

    /** Sends {@code message} to node {@code node}: whether any subscriber there took it. */
    CompletionStage<Boolean> send(String node, String message) {
        return commands.async().publish(keys.channel(node), message).thenApply(receivers -> receivers > 0);
    }

    /** Says again that this node is alive and a member, to a store that forgot it. */
    void register() {
        beat();
        commands.async().sadd(keys.nodes(), id);
    }

    private void beat() {
        commands.async().set(keys.node(id), Long.toString(System.currentTimeMillis()), SetArgs.Builder.px(ttl.toMillis()))
                .exceptionally(failed -> {
                    LOG.log(Level.DEBUG, () -> "Node " + id + " could not refresh its liveness key", failed);
                    return null;
                });
    }

    /** Leaves the cluster: its key goes at once, its channel is dropped. */
    @Override
    public void close() {
        heartbeat.cancel(false);
        commands.async().del(keys.node(id));
    }
}
