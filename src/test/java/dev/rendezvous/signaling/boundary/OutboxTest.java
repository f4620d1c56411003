package dev.rendezvous.signaling.boundary;

import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTest {

    private final List<String> wire = new ArrayList<>();
    private final ArrayDeque<SendHandler> inFlight = new ArrayDeque<>();
    private final AtomicInteger overflows = new AtomicInteger();
    private final List<Throwable> failures = new ArrayList<>();
    private final Outbox outbox = new Outbox(3, overflows::incrementAndGet, failures::add);

    /** A send that completes only when the test says so, like a network that is busy. */
    private Consumer<SendHandler> held(String frame) {
        return done -> {
            wire.add(frame);
            inFlight.add(done);
        };
    }

    private void completeOne() {
        inFlight.remove().onResult(new SendResult());
    }

    @Test
    void framesGoOutOneAtATimeInOfferOrder() {
        outbox.offer(held("a"));
        outbox.offer(held("b"));
        outbox.offer(held("c"));
        assertEquals(List.of("a"), wire, "the second waits for the first to complete");
        completeOne();
        assertEquals(List.of("a", "b"), wire);
        completeOne();
        completeOne();
        assertEquals(List.of("a", "b", "c"), wire);
        outbox.offer(held("d"));
        assertEquals(List.of("a", "b", "c", "d"), wire, "an idle outbox sends at once");
    }

    @Test
    void anIdleOnlySendStartsAtOnceOnTheCallersThreadOrNotAtAll() {
        outbox.offer(held("a"));
        assertFalse(outbox.offerIfIdle(held("ping")), "refused while a frame is in flight");
        completeOne();
        assertEquals(0, outbox.waiting(), "and never queued");
        var caller = Thread.currentThread();
        var ranOn = new ArrayList<Thread>();
        assertTrue(outbox.offerIfIdle(done -> {
            ranOn.add(Thread.currentThread());
            done.onResult(new SendResult());
        }));
        assertEquals(List.of(caller), ranOn);
        outbox.offer(held("b"));
        assertEquals(List.of("a", "b"), wire, "the outbox is idle again after it");
    }

    @Test
    void sendsThatCompleteOnTheCallingThreadDrainWithoutDeepeningTheStack() {
        var sent = new AtomicInteger();
        var outbox = new Outbox(1_000_000, overflows::incrementAndGet, failures::add);
        outbox.offer(done -> {
            // while the first send is in flight, a burst queues up behind it
            for (var i = 0; i < 200_000; i++) {
                outbox.offer(inner -> {
                    sent.incrementAndGet();
                    inner.onResult(new SendResult());
                });
            }
            done.onResult(new SendResult());
        });
        assertEquals(200_000, sent.get());
        assertEquals(0, outbox.waiting());
    }

    @Test
    void aReaderTooSlowForTheQueueIsReportedOnceAndGetsNothingMore() {
        outbox.offer(held("a"));
        for (var i = 0; i < 3; i++) {
            outbox.offer(held("queued"));
        }
        assertEquals(0, overflows.get());
        outbox.offer(held("one too many"));
        outbox.offer(held("and another"));
        assertEquals(1, overflows.get());
        completeOne();
        assertEquals(List.of("a"), wire, "queued frames of an overflowed outbox are dropped");
    }

    @Test
    void aFailedSendIsReportedOnceAndStopsTheRest() {
        outbox.offer(held("a"));
        outbox.offer(held("b"));
        inFlight.remove().onResult(new SendResult(new IOException("reset by peer")));
        outbox.offer(held("c"));
        assertEquals(List.of("a"), wire);
        assertEquals(1, failures.size());
        assertTrue(failures.get(0) instanceof IOException);
    }
}
