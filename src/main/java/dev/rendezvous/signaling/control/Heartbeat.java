package dev.rendezvous.signaling.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One container-managed timer for all connections: every tick it lets each open connection ping, or close itself if
 * it never said hello or went silent. Pings are spread out because each connection counts from its own opening.
 */
@ApplicationScoped
public class Heartbeat {

    private static final System.Logger LOG = System.getLogger(Heartbeat.class.getName());
    private static final long MIN_TICK_MS = 50;
    private static final long MAX_TICK_MS = 1_000;

    private final Set<Signaling> connections = ConcurrentHashMap.newKeySet();

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Settings settings;

    private ScheduledFuture<?> ticking;

    @PostConstruct
    void start() {
        var shortest = Math.min(settings.helloTimeout().toMillis(), settings.heartbeat().intervalMs());
        var tick = Math.max(MIN_TICK_MS, Math.min(MAX_TICK_MS, shortest / 4));
        ticking = scheduler.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (ticking != null) {
            ticking.cancel(false);
        }
    }

    public void watch(Signaling connection) {
        connections.add(connection);
    }

    public void forget(Signaling connection) {
        connections.remove(connection);
    }

    /** What the watched connections are now: how many speak which protocol, and what waits in their outboxes. */
    public Census census() {
        int seed = 0;
        int sessions = 0;
        long queued = 0;
        for (var connection : connections) {
            switch (connection.protocol()) {
                case 0 -> seed++;
                case 1 -> sessions++;
                default -> {
                    // said neither hello nor start yet: no protocol to count it under
                }
            }
            queued += connection.outbox().weight();
        }
        return new Census(seed, sessions, queued);
    }

    /**
     * The open connections at one moment: {@code seed} of those that started speak the tutorial's protocol (0),
     * {@code sessions} protocol 1; {@code outboxBytes} characters of JSON wait for, or are in flight to, all of them.
     */
    public record Census(int seed, int sessions, long outboxBytes) {
    }

    private void tick() {
        var now = System.nanoTime();
        for (var connection : connections) {
            try {
                connection.tick(now);
            } catch (RuntimeException failure) {
                // one broken connection must not stop the timer for all the others
                LOG.log(Level.ERROR, "Heartbeat failed for a connection", failure);
            }
        }
    }
}
