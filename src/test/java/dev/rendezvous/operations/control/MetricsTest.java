package dev.rendezvous.operations.control;

import dev.rendezvous.operations.PrometheusText;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.signaling.control.Heartbeat;
import dev.rendezvous.signaling.control.Rooms;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics as a scraper reads them, counted through the {@link dev.rendezvous.signaling.control.Meter} calls. */
class MetricsTest {

    private final Metrics metrics = new Metrics();

    MetricsTest() {
        metrics.heartbeat = new Heartbeat();
        metrics.rooms = new Rooms(4, true);
        metrics.gauges();
    }

    private PrometheusText scrape() throws Exception {
        var out = new ByteArrayOutputStream();
        var type = metrics.write("text/plain", out);
        assertTrue(type.startsWith("text/plain; version=0.0.4"), type);
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everySeriesAScraperGraphsExistsFromTheStartAtZero() throws Exception {
        var metrics = scrape();

        assertEquals(0, metrics.value("rendezvous_messages_received_total", "rendezvous_messages_received_total", "action", "hello"));
        assertTrue(metrics.family("rendezvous_messages_received_total").samples()
                .containsKey("rendezvous_messages_received_total{action=iceCandidate}"));
        assertTrue(metrics.family("rendezvous_messages_relayed_total").samples()
                .containsKey("rendezvous_messages_relayed_total{action=message}"));
        assertTrue(metrics.family("rendezvous_errors_total").samples()
                .containsKey("rendezvous_errors_total{code=room-locked}"));
        assertTrue(metrics.family("rendezvous_closes_total").samples()
                .containsKey("rendezvous_closes_total{code=4010}"));
        assertEquals(0, metrics.value("rendezvous_connections", "rendezvous_connections", "protocol", "0"));
        assertEquals(0, metrics.value("rendezvous_outbox_bytes", "rendezvous_outbox_bytes"));
    }

    @Test
    void eachCallCountsUnderItsLabel() throws Exception {
        metrics.received("join");
        metrics.received("join");
        metrics.relayed("offer");
        metrics.refused(ErrorCode.RATE_LIMITED);
        metrics.refused(ErrorCode.NOT_IN_ROOM);
        metrics.closed(4010);
        metrics.closed(3999); // a client's own code is counted too
        metrics.joined(2_000_000);

        var after = scrape();

        assertEquals(2, after.value("rendezvous_messages_received_total", "rendezvous_messages_received_total", "action", "join"));
        assertEquals(1, after.value("rendezvous_messages_relayed_total", "rendezvous_messages_relayed_total", "action", "offer"));
        assertEquals(1, after.value("rendezvous_errors_total", "rendezvous_errors_total", "code", "rate-limited"));
        assertEquals(1, after.value("rendezvous_errors_total", "rendezvous_errors_total", "code", "not-in-room"));
        assertEquals(1, after.value("rendezvous_rate_limited_total", "rendezvous_rate_limited_total"));
        assertEquals(1, after.value("rendezvous_closes_total", "rendezvous_closes_total", "code", "4010"));
        assertEquals(1, after.value("rendezvous_closes_total", "rendezvous_closes_total", "code", "3999"));
        assertEquals(1, after.value("rendezvous_join_seconds", "rendezvous_join_seconds_count"));
        assertEquals(0.002, after.value("rendezvous_join_seconds", "rendezvous_join_seconds_sum"), 1e-9);
        assertEquals(0, after.value("rendezvous_join_seconds", "rendezvous_join_seconds_bucket", "le", "0.001"));
        assertEquals(1, after.value("rendezvous_join_seconds", "rendezvous_join_seconds_bucket", "le", "0.0025"));
    }
}
