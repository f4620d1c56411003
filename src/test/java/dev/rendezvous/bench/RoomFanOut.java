package dev.rendezvous.bench;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scenario 4, room fan-out: rooms of four, every member broadcasting {@code message} to the other three with a window
 * in flight: a member sends its next broadcast once its slowest receiver has one fewer outstanding, so no receiver
 * ever has more than three windows on its way. Counts deliveries: one broadcast is three.
 */
final class RoomFanOut {

    static final int ROOM_SIZE = 4;

    private RoomFanOut() {
    }

    static Measurement run(Target target) throws InterruptedException {
        var options = target.options();
        var peers = ROOM_SIZE * options.rooms();
        try (var fleet = Fleet.openAll(target.http(), target.signal(), Protocol.ROOMS, peers, i -> "fanout-" + i / ROOM_SIZE)) {
            var traffic = new Traffic(fleet, Protocol.ROOMS, 8_000_000);
            var running = new AtomicBoolean(true);
            var window = options.window();
            var sent = new long[peers];
            // per sender, how many of its broadcasts each seat of its room has received
            var delivered = new long[peers][ROOM_SIZE];
            traffic.onBroadcast((receiver, src, fields) -> {
                synchronized (fleet.get(src)) {
                    delivered[src][receiver.index % ROOM_SIZE]++;
                    while (running.get() && sent[src] - slowest(delivered[src], src) < window) {
                        traffic.sendBroadcast(src, ROOM_SIZE - 1, System.nanoTime());
                        sent[src]++;
                    }
                }
            });
            for (var src = 0; src < peers; src++) {
                synchronized (fleet.get(src)) {
                    for (; sent[src] < window; sent[src]++) {
                        traffic.sendBroadcast(src, ROOM_SIZE - 1, System.nanoTime());
                    }
                }
            }
            var measured = traffic.measure(target, running);
            return new Measurement("fan-out", options.rooms() + " rooms of " + ROOM_SIZE + ", " + window
                    + " broadcasts in flight per member", 0, measured, traffic.latencies.summary(), traffic.ledger.verdict());
        }
    }

    /** The fewest broadcasts of {@code sender} that any other seat of its room has received. */
    private static long slowest(long[] deliveredBySeat, int sender) {
        var fewest = Long.MAX_VALUE;
        for (var seat = 0; seat < ROOM_SIZE; seat++) {
            if (seat != sender % ROOM_SIZE) {
                fewest = Math.min(fewest, deliveredBySeat[seat]);
            }
        }
        return fewest;
    }
}
