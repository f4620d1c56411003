package dev.rendezvous.signaling;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two peers in a room of their own, each sending the other a numbered message at a steady rate while an attack
 * runs elsewhere. {@link #verify} stops them and proves nothing was harmed: each received every message of the other
 * exactly once and in order, and a newcomer's hello is answered within {@link #HELLO_BOUND}.
 */
final class Witness implements AutoCloseable {

    static final Duration HELLO_BOUND = Duration.ofSeconds(2);
    /** Well under the rate limit of 50 messages a second. */
    private static final Duration EVERY = Duration.ofMillis(50);
    private static final AtomicInteger ROOMS = new AtomicInteger();

    private final Meeting pair;
    private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger sent = new AtomicInteger();

    private Witness(Meeting pair) {
        this.pair = pair;
    }

    static Witness start() throws IOException {
        var witness = new Witness(Meeting.of("witness-" + ROOMS.incrementAndGet(), "Wendy", "Walt"));
        witness.pace.scheduleAtFixedRate(witness::exchange, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return witness;
    }

    private void exchange() {
        var n = sent.get();
        var wendy = pair.get(0);
        var walt = pair.get(1);
        wendy.send("{'action':'message','data':{'to':'" + walt.id() + "','payload':" + n + "}}");
        walt.send("{'action':'message','data':{'to':'" + wendy.id() + "','payload':" + n + "}}");
        sent.incrementAndGet();
    }

    /** Stops the exchange and asserts that it went on unharmed throughout, and that the server still greets newcomers. */
    void verify() throws IOException, InterruptedException {
        pace.shutdown();
        assertTrue(pace.awaitTermination(5, TimeUnit.SECONDS));
        var count = sent.get();
        assertTrue(count > 0, "the witnesses exchanged nothing");
        for (var member : pair.members()) {
            for (var n = 0; n < count; n++) {
                var message = member.expect("message");
                assertEquals(n, message.getJsonObject("data").getInt("payload"), () -> member.id() + " lost or reordered a message");
            }
            member.expectNothingElse();
        }
        var started = System.nanoTime();
        try (var newcomer = SignalClient.hello()) {
            var took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(HELLO_BOUND) <= 0, "a fresh hello took " + took.toMillis() + " ms");
        }
    }

    @Override
    public void close() throws IOException {
        pace.shutdownNow();
        pair.close();
    }
}
