package dev.rendezvous.bench;

import jakarta.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.concurrent.locks.LockSupport;

/**
 * Messages between the sockets of one fleet, checked as they arrive: every message is numbered by its sender and
 * checked by its receiver against the {@link Ledger}, and its latency goes to {@link Latencies}.
 */
final class Traffic {

    private static final Duration DRAIN = Duration.ofSeconds(30);

    final Fleet fleet;
    final Ledger ledger;
    final Latencies latencies;
    final Protocol protocol;
    private final String[] peerIds;

    /** A delivered message, as its receiver's scenario sees it. */
    interface Arrival {
        void arrived(LoadClient receiver, int src, JsonObject fields);
    }

    Traffic(Fleet fleet, Protocol protocol, int latencyCapacity) {
        this.fleet = fleet;
        this.protocol = protocol;
        this.peerIds = fleet.peerIds();
        this.ledger = new Ledger(peerIds);
        this.latencies = new Latencies(latencyCapacity);
    }

    /** Checks and records each relayed candidate, then hands it to {@code then}. */
    void onCandidate(Arrival then) {
        listen(protocol.action, message -> message.getJsonObject("data"), true, then);
    }

    /** Checks and records each room-wide message, then hands it to {@code then}. */
    void onBroadcast(Arrival then) {
        listen("message", message -> message.getJsonObject("data").getJsonObject("payload"), false, then);
    }

    /**
     * Sends the next candidate from {@code src} to {@code dst}. Numbering and queueing happen under the sender's lock:
     * two threads may send for one sender (the opening window, and arrivals that release the next message), and a
     * number taken first must also be queued first.
     */
    void sendCandidate(int src, int dst, long intendedAt) {
        var sender = fleet.get(src);
        synchronized (sender) {
            var seq = ledger.send(src, 1);
            sender.send(protocol.candidate(peerIds[dst], src, dst, seq, intendedAt));
        }
    }

    /** Sends the next room-wide message from {@code src}, for {@code receivers} others; numbered as above. */
    void sendBroadcast(int src, int receivers, long intendedAt) {
        var sender = fleet.get(src);
        synchronized (sender) {
            var seq = ledger.send(src, receivers);
            sender.send(Protocol.broadcast(src, seq, intendedAt));
        }
    }

    /**
     * Measures a closed loop that is already running: warm-up, then the measured window; then {@code running} is
     * cleared, so that arrivals release no more messages, and what is in flight drains.
     */
    Meter.Window measure(Target target, AtomicBoolean running) throws InterruptedException {
        var options = target.options();
        pause(options.warmup());
        var meter = new Meter(target::serverCpuNanos, ledger::received);
        latencies.openWindow(System.nanoTime());
        meter.start();
        pause(options.duration());
        var window = meter.stop();
        latencies.closeWindow(System.nanoTime());
        running.set(false);
        drain();
        return window;
    }

    /** Lets a phase of fixed length pass: the load runs on other threads meanwhile. */
    static void pause(Duration phase) throws InterruptedException {
        Thread.sleep(phase.toMillis());
    }

    /** Waits, within a bound, until everything sent has arrived; what has not by then counts as lost. */
    void drain() {
        var deadline = System.nanoTime() + DRAIN.toNanos();
        while (!ledger.settled() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000);
        }
    }

    private void listen(String action, Function<JsonObject, JsonObject> fieldsOf, boolean addressed,
                        Arrival then) {
        for (var client : fleet.clients()) {
            client.onFailure(failure -> ledger.failure(failure.getMessage()));
            client.onEvent(message -> {
                var now = System.nanoTime();
                var kind = message.getString("action", null);
                if ("error".equals(kind)) {
                    ledger.refusal(message.getJsonObject("data").getString("code", "?"));
                    return;
                }
                if (!action.equals(kind)) {
                    return;
                }
                var fields = fieldsOf.apply(message);
                var src = fields.getInt("src", -1);
                ledger.receive(client.index, sender(message), src, addressed ? fields.getInt("dst", -1) : -1,
                        fields.getJsonNumber("seq").longValue());
                latencies.record(fields.getJsonNumber("t").longValue(), now);
                then.arrived(client, src, fields);
            });
        }
    }

    /** Who the server says sent this: {@code from}, or for a tutorial-protocol server without it, {@code data.remoteId}. */
    private static String sender(JsonObject message) {
        var from = message.getString("from", null);
        return from != null ? from : message.getJsonObject("data").getString("remoteId", null);
    }
}
