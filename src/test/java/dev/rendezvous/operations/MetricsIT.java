package dev.rendezvous.operations;

import dev.rendezvous.signaling.SignalClient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /admin/metrics} in Prometheus' text format, read with a strict parser: the counters move as a scripted session
 * goes. The suite runs one test at a time against the server, so what this session does is all that moves them, bar
 * the heartbeat's closes of other tests' sockets, which only ever add to the close counts.
 */
class MetricsIT {

    @Test
    void metricsAreServedAsPrometheusTextToTheOperator() throws Exception {
        var response = Admin.operator().get(Admin.uri("/metrics"));

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                response.headers().map().toString());
        var metrics = PrometheusText.parse(response.body());
        assertEquals("gauge", metrics.family("rendezvous_connections").type());
        assertEquals("gauge", metrics.family("rendezvous_rooms").type());
        assertEquals("gauge", metrics.family("rendezvous_room_peers").type());
        assertEquals("gauge", metrics.family("rendezvous_outbox_bytes").type());
        assertEquals("histogram", metrics.family("rendezvous_join_seconds").type());
        assertTrue(metrics.family("rendezvous_join_seconds").samples().containsKey("rendezvous_join_seconds_bucket{le=+Inf}"),
                metrics.family("rendezvous_join_seconds").samples().toString());
        assertTrue(metrics.family("rendezvous_messages_relayed_total").samples()
                .containsKey("rendezvous_messages_relayed_total{action=renegotiate}"), "every series exists from the start");
        for (var counter : new String[]{"rendezvous_messages_received_total", "rendezvous_messages_relayed_total",
                "rendezvous_errors_total", "rendezvous_closes_total", "rendezvous_rate_limited_total"}) {
            assertEquals("counter", metrics.family(counter).type(), counter);
        }
    }

    @Test
    void theCountersFollowAScriptedSession() throws Exception {
        var room = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        var before = scrape();
        try (var ann = SignalClient.inRoom(room, "Ann"); var bob = SignalClient.inRoom(room, "Bob")) {
            ann.expect("peer-joined");
            var during = scrape();
            assertTrue(during.value("rendezvous_connections", "rendezvous_connections", "protocol", "1") >= 2);
            assertTrue(during.value("rendezvous_rooms", "rendezvous_rooms") >= 1);
            assertTrue(during.value("rendezvous_room_peers", "rendezvous_room_peers") >= 2);

            for (var i = 0; i < 10; i++) {
                ann.send("{'action':'offer','data':{'to':'" + bob.id() + "','description':{'type':'offer','sdp':'v=0'}}}");
                bob.expect("offer");
            }
            bob.send("{'action':'offer','data':{'to':'nobody-here','description':{'type':'offer','sdp':'v=0'}}}");
            bob.expectError("peer-not-found");
            bob.send("{'action':'leave','txn':'l'}");
            bob.expect("left");
            ann.expect("peer-left");
            bob.close();
        }
        var after = scrapeUntil(now -> delta(before, now, "rendezvous_closes_total", "rendezvous_closes_total", "code", "1000") >= 2);

        assertEquals(2, delta(before, after, "rendezvous_messages_received_total", "rendezvous_messages_received_total", "action", "join"));
        assertEquals(11, delta(before, after, "rendezvous_messages_received_total", "rendezvous_messages_received_total", "action", "offer"));
        assertEquals(10, delta(before, after, "rendezvous_messages_relayed_total", "rendezvous_messages_relayed_total", "action", "offer"));
        assertEquals(1, delta(before, after, "rendezvous_errors_total", "rendezvous_errors_total", "code", "peer-not-found"));
        assertEquals(2, delta(before, after, "rendezvous_join_seconds", "rendezvous_join_seconds_count"));
        assertTrue(delta(before, after, "rendezvous_join_seconds", "rendezvous_join_seconds_sum") > 0);
    }

    private static double delta(PrometheusText before, PrometheusText after, String family, String sample, String... labels) {
        return after.value(family, sample, labels) - before.value(family, sample, labels);
    }

    /** Scrapes until {@code done} holds of what it read (the server handles a client's close after the client returns), for 10 s at most. */
    private static PrometheusText scrapeUntil(Predicate<PrometheusText> done) throws Exception {
        var deadline = Instant.now().plus(SignalClient.PATIENCE);
        var scraped = scrape();
        while (!done.test(scraped)) {
            assertTrue(Instant.now().isBefore(deadline), "the metrics did not come to the expected values within "
                    + SignalClient.PATIENCE + "; the last scrape:\n" + scraped);
            TimeUnit.MILLISECONDS.sleep(100); // a poll, bounded above: the server has no event to wait on from here
            scraped = scrape();
        }
        return scraped;
    }

    private static PrometheusText scrape() throws Exception {
        var response = Admin.operator().get(Admin.uri("/metrics"));
        assertEquals(200, response.statusCode(), response.body());
        return PrometheusText.parse(response.body());
    }
}
