package dev.rendezvous.signaling.boundary;

import dev.rendezvous.signaling.control.Gatekeeper;
import dev.rendezvous.signaling.control.Heartbeat;
import dev.rendezvous.signaling.control.Meter;
import dev.rendezvous.signaling.control.Rooms;
import dev.rendezvous.signaling.control.Sessions;
import dev.rendezvous.signaling.control.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What every connection shares: the registries of rooms and of sessions, the gatekeeper, the settings, the heartbeat,
 * the meter,
 * and the two pools for what may block a thread on one connection's network: closes and pings.
 *
 * <p>Both pools have threads of their own, made by the container's managed thread factory, instead of the
 * container's shared executor: a container may hold a closing thread until the client answers the close (Open
 * Liberty waits about five seconds for a client that does not read, and forever in one case, see {@link Closer}), and
 * a ping to a client whose socket buffer is full blocks until it reads. Neither may take the threads that serve live
 * connections, and a ping never waits behind closes. Each pool grows to its bound and lets idle threads go; past the
 * bound, work waits its turn.
 */
@ApplicationScoped
public class Connections {

    /** Closes at once: a crowd of dead peers closing together is served 32 at a time. */
    static final int MAX_CLOSING = 32;
    /** Pings at once; a ping holds its thread only while the client's socket cannot take two bytes. */
    static final int MAX_PINGING = 32;
    private static final long IDLE_SECONDS = 30;
    /** How often the closes are checked for any the container holds for good. */
    private static final long STUCK_CHECK_SECONDS = 5;

    @Inject
    Rooms rooms;

    @Inject
    Sessions sessions;

    @Inject
    Gatekeeper gatekeeper;

    @Inject
    Settings settings;

    @Inject
    Heartbeat heartbeat;

    @Inject
    Meter meter;

    @Resource
    ManagedThreadFactory threads;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private Closer closer;
    private ScheduledFuture<?> checkingCloses;
    private ExecutorService pinger;

    @PostConstruct
    void start() {
        closer = new Closer(pool(MAX_CLOSING), System::nanoTime);
        checkingCloses = scheduler.scheduleWithFixedDelay(closer::replaceStuck, STUCK_CHECK_SECONDS, STUCK_CHECK_SECONDS,
                TimeUnit.SECONDS);
        pinger = pool(MAX_PINGING);
    }

    @PreDestroy
    void stop() {
        checkingCloses.cancel(false);
        closer.shutdownNow();
        pinger.shutdownNow();
    }

    boolean allowsOrigin(String origin) {
        return settings.allowsOrigin(origin);
    }

    Rooms rooms() {
        return rooms;
    }

    Sessions sessions() {
        return sessions;
    }

    Gatekeeper gatekeeper() {
        return gatekeeper;
    }

    Settings settings() {
        return settings;
    }

    Heartbeat heartbeat() {
        return heartbeat;
    }

    Meter meter() {
        return meter;
    }

    Executor closer() {
        return closer;
    }

    ExecutorService pinger() {
        return pinger;
    }

    private ThreadPoolExecutor pool(int size) {
        var pool = new ThreadPoolExecutor(size, size, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
