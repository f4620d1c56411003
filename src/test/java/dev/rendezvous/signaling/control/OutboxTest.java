package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.signaling.entity.Sends;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTest {

    private static final PeerId ANN = new PeerId("ann");

    private final FakeLink link = new FakeLink().hold();
    private final AtomicInteger overflows = new AtomicInteger();
    private final List<Throwable> failures = new ArrayList<>();
    private final List<Runnable> pings = new ArrayList<>();

    private Outbox outbox(int maxWaiting, long maxWeight) {
        return new Outbox(link, maxWaiting, maxWeight, pings::add, overflows::incrementAndGet, failures::add);
    }

    private static Frame pong(String txn) {
        return Frame.of(new ServerMessage.Pong(txn));
    }

    private static Frame payload(int characters) {
        return Frame.of(new ServerMessage.Posted(ANN, Json.createValue("x".repeat(characters))));
    }

    private List<String> wire() {
        return link.written.stream().map(Frame::json).toList();
    }

    @Test
    void framesGoOutOneAtATimeInOfferOrder() {
        var outbox = outbox(3, 1 << 20);
        outbox.send(pong("a"));
        outbox.send(pong("b"));
        outbox.send(pong("c"));
        assertEquals(List.of(pong("a").json()), wire(), "the second waits for the first to complete");
        link.completeOne();
        link.completeOne();
        link.completeOne();
        assertEquals(List.of(pong("a").json(), pong("b").json(), pong("c").json()), wire());
        outbox.send(pong("d"));
        assertEquals(4, wire().size(), "an idle outbox sends at once");
    }

    @Test
    void theCloseFrameWaitsForTheWriteInFlightAndWhatWaitsIsDropped() {
        var outbox = outbox(3, 1 << 20);
        var closes = new AtomicInteger();
        outbox.send(pong("a"));
        outbox.send(pong("b"));

        outbox.close(closes::incrementAndGet, 0);

        assertEquals(0, closes.get(), "not while pong a is being written");
        link.completeOne();
        assertEquals(1, closes.get(), "once it is, and pong b is dropped");
        assertEquals(List.of(pong("a").json()), wire());
    }

    @Test
    void theCloseFrameWaitsForAPingInFlight() {
        var outbox = outbox(3, 1 << 20);
        var closes = new AtomicInteger();
        assertTrue(outbox.ping());

        outbox.close(closes::incrementAndGet, 0);

        assertEquals(0, closes.get());
        pings.remove(0).run();
        assertEquals(1, closes.get());
    }

    @Test
    void anIdleOutboxClosesAtOnce() {
        var closes = new AtomicInteger();
        outbox(3, 1 << 20).close(closes::incrementAndGet, 0);
        assertEquals(1, closes.get());
    }

    @Test
    void aCloseFrameHeldBackByAWriteThatNeverEndsGoesOutOnceOverdue() {
        var outbox = outbox(3, 1 << 20);
        var closes = new AtomicInteger();
        outbox.send(pong("a"));
        outbox.close(closes::incrementAndGet, 1_000);

        outbox.closeOverdue(1_999, 1_000);
        assertEquals(0, closes.get(), "not yet overdue");
        outbox.closeOverdue(2_000, 1_000);
        assertEquals(1, closes.get());
        link.completeOne();
        assertEquals(1, closes.get(), "once only");
    }

    @Test
    void anOfferUnderALockOnlyQueuesAndTheWriteStartsWhenItsSendsRun() {
        var outbox = outbox(3, 1 << 20);
        var sends = new Sends();
        outbox.offer(pong("a"), sends);
        assertEquals(List.of(), wire(), "nothing is written while the caller may hold a lock");
        sends.run();
        assertEquals(1, wire().size());
    }

    @Test
    void aReaderOverTheMessageBoundIsReportedOnceAndGetsNothingMore() {
        var outbox = outbox(3, 1 << 20);
        outbox.send(pong("in flight"));
        for (var i = 0; i < 3; i++) {
            outbox.send(pong("waits"));
        }
        assertEquals(0, overflows.get());
        outbox.send(pong("one too many"));
        outbox.send(pong("and another"));
        assertEquals(1, overflows.get());
        link.completeOne();
        assertEquals(1, wire().size(), "the frames that waited for an overflowed outbox are dropped");
    }

    @Test
    void aReaderOverTheByteBoundIsReportedOnceEvenWithFewFramesWaiting() {
        var outbox = outbox(1_000, 200_000);
        outbox.send(payload(60_000)); // in flight: it counts until written
        outbox.send(payload(60_000));
        outbox.send(payload(60_000));
        assertEquals(0, overflows.get());
        assertTrue(outbox.weight() > 180_000);
        outbox.send(payload(60_000));
        assertEquals(1, overflows.get(), "four frames of 60,000 characters are over 200,000");
        assertEquals(0, outbox.weight(), "and the overflowed outbox holds nothing");
    }

    @Test
    void writtenFramesNoLongerCountTowardTheByteBound() {
        var outbox = outbox(1_000, 200_000);
        for (var i = 0; i < 10; i++) {
            outbox.send(payload(60_000));
            link.completeOne();
        }
        assertEquals(0, overflows.get());
        assertEquals(0, outbox.weight());
    }

    @Test
    void sendsThatCompleteOnTheCallingThreadDrainWithoutDeepeningTheStack() {
        var inline = new FakeLink();
        var outbox = new Outbox(inline, 1_000_000, Long.MAX_VALUE, Runnable::run, overflows::incrementAndGet, failures::add);
        var sends = new Sends();
        for (var i = 0; i < 200_000; i++) {
            outbox.offer(pong("p"), sends);
        }
        sends.run();
        assertEquals(200_000, inline.written.size());
        assertEquals(0, outbox.waiting());
    }

    @Test
    void aFailedWriteIsReportedOnceAndStopsTheRest() {
        var outbox = outbox(3, 1 << 20);
        outbox.send(pong("a"));
        outbox.send(pong("b"));
        link.failOne(new IOException("reset by peer"));
        outbox.send(pong("c"));
        assertEquals(1, wire().size());
        assertEquals(1, failures.size());
        assertTrue(failures.get(0) instanceof IOException);
    }

    @Test
    void aPingNeverRunsOnTheCallersThreadAndFramesOfferedMeanwhileFollowIt() {
        var outbox = outbox(3, 1 << 20);
        assertTrue(outbox.ping());
        assertEquals(0, link.pings, "the ping waits for the pinger, not written by the caller (the heartbeat)");
        assertFalse(outbox.ping(), "one ping at a time");
        outbox.send(pong("after the ping"));
        assertEquals(List.of(), wire(), "a frame offered during the ping waits for it");
        pings.remove(0).run();
        assertEquals(1, link.pings);
        assertEquals(1, wire().size());
    }

    @Test
    void aBusyOutboxIsNotPinged() {
        var outbox = outbox(3, 1 << 20);
        outbox.send(pong("a"));
        assertFalse(outbox.ping());
        assertTrue(pings.isEmpty());
        link.completeOne();
        assertTrue(outbox.ping());
    }
}
