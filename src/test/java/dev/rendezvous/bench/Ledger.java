package dev.rendezvous.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every scenario checks: each message the generator sent reaches exactly its intended receivers, once, in the
 * order sent (per sender and receiver), stamped with the right sender. Senders number their messages; each receiver
 * expects the next number from each sender.
 */
final class Ledger {

    private final String[] peerIds;
    private final AtomicLongArray nextSeq;
    /** Per receiver and sender, the next number expected: [receiver * senders + sender]. */
    private final long[] expected;
    private final LongAdder intended = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder outOfOrder = new LongAdder();
    private final LongAdder misrouted = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final AtomicReference<String> firstRefusal = new AtomicReference<>();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    /** @param peerIds the server's id for each generator index */
    Ledger(String[] peerIds) {
        this.peerIds = peerIds.clone();
        this.nextSeq = new AtomicLongArray(peerIds.length);
        this.expected = new long[peerIds.length * peerIds.length];
    }

    /** Numbers the next message from {@code src}, which {@code receivers} peers are to receive. */
    long send(int src, int receivers) {
        intended.add(receivers);
        return nextSeq.getAndIncrement(src);
    }

    /**
     * Checks one message that generator index {@code dst} received: from {@code from} (as the server stamped it),
     * claiming to be message {@code seq} of {@code src} for {@code claimedDst} (-1 for room-wide messages).
     */
    void receive(int dst, String from, int src, int claimedDst, long seq) {
        received.increment();
        if (src < 0 || src >= peerIds.length || !peerIds[src].equals(from) || (claimedDst >= 0 && claimedDst != dst)) {
            misrouted.increment();
            return;
        }
        // each receiver's messages arrive one at a time, but not always on the same thread
        synchronized (expected) {
            var slot = dst * peerIds.length + src;
            if (seq != expected[slot]) {
                outOfOrder.increment();
            }
            expected[slot] = Math.max(expected[slot], seq + 1);
        }
    }

    /** The server answered a message with an error instead of relaying it (e.g. {@code rate-limited}). */
    void refusal(String code) {
        refused.increment();
        firstRefusal.compareAndSet(null, code);
    }

    /** A socket failed or was closed by the server during the run, for the reason given. */
    void failure(String why) {
        failures.increment();
        firstFailure.compareAndSet(null, why);
    }

    long received() {
        return received.sum();
    }

    /**
     * Whether every message sent so far has arrived or been refused: nothing more is coming (a drain waits no longer
     * for the messages the server answered with an error).
     */
    boolean settled() {
        return received.sum() + refused.sum() >= intended.sum();
    }

    Correctness verdict() {
        var lost = intended.sum() - received.sum();
        return new Correctness(intended.sum(), received.sum(), Math.max(0, lost), outOfOrder.sum(), misrouted.sum(),
                failures.sum(), firstFailure.get(), refused.sum(), firstRefusal.get());
    }

    /**
     * A run's count of deliveries, and of everything that went wrong: {@code firstFailure} says why a socket failed;
     * {@code refused} messages were answered with an error (the first one's code in {@code firstRefusal}) instead of
     * relayed, so they count as not delivered but were never lost silently.
     */
    record Correctness(long intended, long received, long lost, long outOfOrder, long misrouted, long failures,
                       String firstFailure, long refused, String firstRefusal) {
        boolean clean() {
            return intended == received && outOfOrder == 0 && misrouted == 0 && failures == 0 && refused == 0;
        }

        @Override
        public String toString() {
            return clean() ? "ok (" + received + " delivered)"
                    : "FAILED: " + intended + " intended, " + received + " received, " + lost + " lost, " + outOfOrder
                    + " out of order or duplicated, " + misrouted + " misrouted, " + failures + " socket failures"
                    + (firstFailure == null ? "" : " (first: " + firstFailure + ")")
                    + (refused == 0 ? "" : "; " + refused + " refused by the server with an error (first: " + firstRefusal
                    + "), so not delivered: is its rate limit raised for benchmarking?");
        }
    }
}
