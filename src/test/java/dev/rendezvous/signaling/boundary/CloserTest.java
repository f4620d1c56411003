package dev.rendezvous.signaling.boundary;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closes on threads of their own, and what happens when the container keeps one of those threads for good. */
class CloserTest {

    private static final long PATIENCE_SECONDS = 10;

    private final AtomicLong now = new AtomicLong();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    private final Closer closer = new Closer(pool, now::get);
    /** Never counted down before the test ends: the container that never gives the thread back. */
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void stop() {
        never.countDown();
        closer.shutdownNow();
    }

    @Test
    void aCloseTheContainerHoldsForGoodIsReplacedSoTheOthersStillGoOut() throws Exception {
        holdingClose();
        var closed = new CountDownLatch(1);
        closer.execute(closed::countDown);
        assertEquals(1, closer.waiting(), "behind the held close: the only thread is taken");

        now.addAndGet(Closer.STUCK_AFTER - 1);
        closer.replaceStuck();
        assertEquals(0, closer.replaced(), "not stuck yet");
        now.addAndGet(1);
        closer.replaceStuck();

        assertTrue(closed.await(PATIENCE_SECONDS, TimeUnit.SECONDS), "another thread took the held one's place");
        assertEquals(1, closer.replaced());
        closer.replaceStuck();
        assertEquals(1, closer.replaced(), "once per held close");
    }

    @Test
    void aHeldCloseThatReturnsAfterAllGivesItsPlaceBack() throws Exception {
        holdingClose();
        now.addAndGet(Closer.STUCK_AFTER);
        closer.replaceStuck();
        assertEquals(2, pool.getMaximumPoolSize());

        never.countDown();
        awaitReplaced(0);
        assertEquals(1, pool.getCorePoolSize());
        assertEquals(1, pool.getMaximumPoolSize());
    }

    @Test
    void aPoolThatCouldGrowOnItsOwnIsRefused() {
        var growing = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        try {
            assertThrows(IllegalArgumentException.class, () -> new Closer(growing, now::get));
        } finally {
            growing.shutdownNow();
        }
    }

    /** Runs a close that does not return until {@link #never} is counted down, and waits until it runs. */
    private void holdingClose() throws InterruptedException {
        var running = new CountDownLatch(1);
        closer.execute(() -> {
            running.countDown();
            try {
                never.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
    }

    /** The held close returns on its own thread: the count is given back there, right after. */
    private void awaitReplaced(int count) throws InterruptedException {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (closer.replaced() != count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(count, closer.replaced());
    }
}
