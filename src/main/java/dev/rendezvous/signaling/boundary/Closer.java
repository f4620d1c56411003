package dev.rendezvous.signaling.boundary;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs closes on threads of its own, a bounded number at once, and keeps them going when the container never gives a
 * thread back. Open Liberty can wait forever to write a close frame: when its reading side dropped the connection
 * meanwhile (it does when the client's next frame has 126 bytes or more), the write never completes. A close that has
 * not returned after {@link #STUCK_AFTER} has lost its thread that way: {@link #replaceStuck} logs it once and lets the
 * pool start another in its place, up to {@link #MAX_REPLACED}, so that the other connections' closes still go out.
 * A lost close that returns after all gives its place back.
 */
final class Closer implements Executor {

    private static final System.Logger LOG = System.getLogger(Closer.class.getName());
    /** Far longer than a container holds a close it will finish: Open Liberty's longest wait is about 5.5 s. */
    static final long STUCK_AFTER = TimeUnit.SECONDS.toNanos(30);
    /** At most this many threads replace lost ones; each lost one holds only its stack. */
    static final int MAX_REPLACED = 1024;

    private final ThreadPoolExecutor pool;
    private final LongSupplier nanoClock;
    private final Set<Running> running = ConcurrentHashMap.newKeySet();
    /** Guarded by this. */
    private int replaced;

    /**
     * @param pool runs the closes, as many at once as its core size, which must be its maximum size too
     * @param nanoClock {@link System#nanoTime}, or a test's
     */
    Closer(ThreadPoolExecutor pool, LongSupplier nanoClock) {
        if (pool.getCorePoolSize() != pool.getMaximumPoolSize()) {
            throw new IllegalArgumentException("a closer's pool has as many threads at most as it keeps");
        }
        this.pool = pool;
        this.nanoClock = nanoClock;
    }

    @Override
    public void execute(Runnable close) {
        pool.execute(new Running(close));
    }

    /** Replaces the thread of each close that has run for {@link #STUCK_AFTER} or longer, once per close. */
    void replaceStuck() {
        var now = nanoClock.getAsLong();
        for (var close : running) {
            if (now - close.started < STUCK_AFTER) {
                continue;
            }
            var held = Duration.ofNanos(now - close.started).toSeconds();
            var name = close.thread.getName();
            switch (replace(close)) {
                case REPLACED -> LOG.log(Level.WARNING, () -> "A close has not returned for " + held + " s: the container "
                        + "holds its thread (" + name + "); another thread takes its place (" + replaced() + " stand in now)");
                case LOST -> LOG.log(Level.ERROR, () -> "A close has not returned for " + held + " s (" + name + "), and "
                        + MAX_REPLACED + " threads stand in for lost ones already: closes now wait their turn");
                default -> {
                    // seen before, or it has just returned
                }
            }
        }
    }

    /** How many closes wait for a thread. */
    int waiting() {
        return pool.getQueue().size();
    }

    /** How many threads stand in for lost ones now. */
    synchronized int replaced() {
        return replaced;
    }

    void shutdownNow() {
        pool.shutdownNow();
    }

    /** Marks a stuck close, and lets the pool start a thread in its place if it may; what became of it. */
    private synchronized State replace(Running close) {
        if (close.state != State.RUNNING) {
            return State.DONE;
        }
        if (replaced >= MAX_REPLACED) {
            close.state = State.LOST;
            return State.LOST;
        }
        close.state = State.REPLACED;
        replaced++;
        pool.setMaximumPoolSize(pool.getMaximumPoolSize() + 1);
        pool.setCorePoolSize(pool.getCorePoolSize() + 1);
        return State.REPLACED;
    }

    /** {@code close} has returned: if a thread stood in for it, the pool lets one go. Whether one did. */
    private synchronized boolean returned(Running close) {
        var stoodIn = close.state == State.REPLACED;
        close.state = State.DONE;
        if (stoodIn) {
            replaced--;
            pool.setCorePoolSize(pool.getCorePoolSize() - 1);
            pool.setMaximumPoolSize(pool.getMaximumPoolSize() - 1);
        }
        return stoodIn;
    }

    private enum State { RUNNING, REPLACED, LOST, DONE }

    /** One close, known to {@link #replaceStuck} while it runs. */
    private final class Running implements Runnable {

        private final Runnable close;
        private volatile long started;
        private volatile Thread thread;
        /** Guarded by the {@link Closer}. */
        private State state = State.RUNNING;

        Running(Runnable close) {
            this.close = close;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            started = nanoClock.getAsLong();
            running.add(this);
            try {
                close.run();
            } finally {
                running.remove(this);
                if (returned(this)) {
                    LOG.log(Level.INFO, () -> "A close the container held returned after all (" + thread.getName() + ")");
                }
            }
        }
    }
}
