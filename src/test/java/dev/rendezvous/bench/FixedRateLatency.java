package dev.rendezvous.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 2, open-loop latency: the same pairs, every sender at an equal share of a fixed total rate, on a schedule
 * that does not wait for the server. Latency counts from each message's scheduled time, so a server (or generator)
 * that falls behind shows as latency rather than as a lower rate.
 */
final class FixedRateLatency {

    private static final long TICK_NANOS = 200_000;

    private FixedRateLatency() {
    }

    static Measurement run(Target target, int ratePerSecond) throws InterruptedException {
        return run(target, ratePerSecond, "latency", "");
    }

    /** The scenario, reported as {@code scenario}, its load described with {@code where} added. */
    static Measurement run(Target target, int ratePerSecond, String scenario, String where) throws InterruptedException {
        var options = target.options();
        var senders = 2 * options.pairs();
        var protocol = options.protocol();
        try (var fleet = Fleet.openAll(target.http(), target::signalFor, protocol, senders,
                i -> protocol == Protocol.ROOMS ? scenario + "-" + ratePerSecond + "-" + i / 2 : null)) {
            var measured = options.latencyDuration().toNanos();
            var warmup = options.latencyWarmup().toNanos();
            var traffic = new Traffic(fleet, protocol, (int) Math.min(50_000_000, (long) ratePerSecond * (measured / 1_000_000_000 + 1)));
            traffic.onCandidate((receiver, src, fields) -> { });
            var meter = new Meter(target::serverCpuNanos, traffic.ledger::received);

            var interval = 1e9 * senders / ratePerSecond; // between two messages of one sender
            var sent = new long[senders];
            var start = System.nanoTime() + 10_000_000;
            var windowStart = start + warmup;
            var end = windowStart + measured;
            traffic.latencies.openWindow(windowStart);
            traffic.latencies.closeWindow(end);
            var metering = false;
            for (var now = System.nanoTime(); now < end; now = System.nanoTime()) {
                if (!metering && now >= windowStart) {
                    meter.start();
                    metering = true;
                }
                for (var src = 0; src < senders; src++) {
                    // sender src's k-th message is due at start + (k + src / senders) * interval: evenly interleaved
                    long due;
                    while ((due = start + (long) ((sent[src] + (double) src / senders) * interval)) <= now && due < end) {
                        traffic.sendCandidate(src, src ^ 1, due);
                        sent[src]++;
                    }
                }
                LockSupport.parkNanos(TICK_NANOS);
            }
            var window = meter.stop();
            traffic.drain();
            var latency = traffic.latencies.summary();
            // the window counts what arrived during it; the latency sample, what was scheduled in it and arrived
            var measuredWindow = new Meter.Window(window.wallNanos(), window.serverCpuNanosByProcess(), window.generatorCpuNanos(),
                    latency.samples());
            return new Measurement(scenario, options.pairs() + " pairs, open loop, " + protocol.name().toLowerCase() + where,
                    ratePerSecond, measuredWindow, latency, traffic.ledger.verdict());
        }
    }
}
