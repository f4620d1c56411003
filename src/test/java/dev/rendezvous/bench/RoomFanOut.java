package dev.rendezvous.bench;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scenario 4, room fan-out: rooms of four, every member broadcasting {@code message} to the other three with a window
 * in flight (paced by the next member's arrivals). Counts deliveries: one broadcast is three.
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
            traffic.onBroadcast((receiver, src, fields) -> {
                if (running.get() && receiver.index == next(src)) {
                    traffic.sendBroadcast(src, ROOM_SIZE - 1, System.nanoTime());
                }
            });
            for (var src = 0; src < peers; src++) {
                for (var w = 0; w < options.window(); w++) {
                    traffic.sendBroadcast(src, ROOM_SIZE - 1, System.nanoTime());
                }
            }
            var window = traffic.measure(target, running);
            return new Measurement("fan-out", options.rooms() + " rooms of " + ROOM_SIZE + ", " + options.window()
                    + " broadcasts in flight per member", 0, window, traffic.latencies.summary(), traffic.ledger.verdict());
        }
    }

    /** The member after {@code member} in its room, whose arrivals pace {@code member}'s sending. */
    private static int next(int member) {
        var room = member / ROOM_SIZE;
        return room * ROOM_SIZE + (member + 1) % ROOM_SIZE;
    }
}
