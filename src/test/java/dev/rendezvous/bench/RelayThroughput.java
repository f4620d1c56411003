package dev.rendezvous.bench;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scenario 1, saturated relay: pairs of peers (each pair in a room of its own, or outside rooms in seed mode), each
 * direction keeping a window of candidates in flight: a sender sends its next as soon as one of its messages arrives.
 */
final class RelayThroughput {

    private RelayThroughput() {
    }

    static Measurement run(Target target) throws InterruptedException {
        var options = target.options();
        var peers = 2 * options.pairs();
        var protocol = options.protocol();
        try (var fleet = Fleet.openAll(target.http(), target.signal(), protocol, peers,
                i -> protocol == Protocol.ROOMS ? "relay-" + i / 2 : null)) {
            var traffic = new Traffic(fleet, protocol, 4_000_000);
            var running = new AtomicBoolean(true);
            traffic.onCandidate((receiver, src, fields) -> {
                if (running.get()) {
                    traffic.sendCandidate(src, receiver.index, System.nanoTime());
                }
            });
            for (var src = 0; src < peers; src++) {
                for (var w = 0; w < options.window(); w++) {
                    traffic.sendCandidate(src, src ^ 1, System.nanoTime());
                }
            }
            var window = traffic.measure(target, running);
            return new Measurement("relay", options.pairs() + " pairs, " + options.window() + " in flight each way, "
                    + protocol.name().toLowerCase(), 0, window, traffic.latencies.summary(), traffic.ledger.verdict());
        }
    }
}
