package dev.rendezvous.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end latencies of one measurement window: from each message's intended send time to its arrival, so a sender
 * that falls behind shows up as latency instead of being hidden (no coordinated omission). Every sample is kept and
 * sorted once: exact percentiles, at 8 bytes a message.
 */
final class Latencies {

    private final long[] samples;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    Latencies(int capacity) {
        samples = new long[capacity];
    }

    /** Counts messages meant to be sent from {@code start} (a nanoTime) on; earlier ones are warm-up. */
    void openWindow(long start) {
        windowStart = start;
    }

    /** Counts no message meant to be sent from {@code end} on. */
    void closeWindow(long end) {
        windowEnd = end;
    }

    void record(long sentAt, long receivedAt) {
        if (sentAt < windowStart || sentAt >= windowEnd) {
            return;
        }
        var slot = count.getAndIncrement();
        if (slot < samples.length) {
            samples[slot] = receivedAt - sentAt;
        } else {
            dropped.incrementAndGet();
        }
    }

    /** The percentiles, in microseconds, of what was recorded; call once the window's messages have all arrived. */
    Summary summary() {
        var n = Math.min(count.get(), samples.length);
        var sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        return new Summary(n, micros(sorted, 0.50), micros(sorted, 0.99), micros(sorted, 0.999),
                n == 0 ? 0 : sorted[n - 1] / 1_000.0, dropped.get());
    }

    private static double micros(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        var rank = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, rank)] / 1_000.0;
    }

    /** Latency percentiles in microseconds; {@code unrecorded} samples did not fit (the summary is then partial). */
    record Summary(int samples, double p50, double p99, double p999, double max, int unrecorded) {
    }
}
