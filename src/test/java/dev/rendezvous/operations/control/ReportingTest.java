package dev.rendezvous.operations.control;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportingTest {

    private static Reporting read(Map<String, String> values) {
        return Reporting.read(name -> Optional.ofNullable(values.get(name)));
    }

    @Test
    void webhooksAreOffAndMetricsPrivateByDefault() {
        var reporting = read(Map.of());

        assertFalse(reporting.metricsPublic());
        assertNull(reporting.webhook());
        assertNull(reporting.inForce().get("rendezvous.webhook.url"));
        assertEquals("5", reporting.inForce().get("rendezvous.webhook.max-attempts"));
    }

    @Test
    void aWebhookIsReadWithItsSecretHiddenAndItsBackoffDoublingUpTo30Seconds() {
        var reporting = read(Map.of("rendezvous.webhook.url", "https://app.example.org/rendezvous-events",
                "rendezvous.webhook.secret", "s3cret", "rendezvous.webhook.backoff-ms", "1000"));

        var webhook = reporting.webhook();
        assertEquals(URI.create("https://app.example.org/rendezvous-events"), webhook.url());
        assertEquals("***", reporting.inForce().get("rendezvous.webhook.secret"));
        assertEquals(Duration.ofSeconds(1), webhook.backoffAfter(1));
        assertEquals(Duration.ofSeconds(2), webhook.backoffAfter(2));
        assertEquals(Duration.ofSeconds(16), webhook.backoffAfter(5));
        assertEquals(Duration.ofSeconds(30), webhook.backoffAfter(6));
        assertEquals(Duration.ofSeconds(30), webhook.backoffAfter(60));
    }

    @Test
    void aWebhookWithoutASecretOrWithABadUrlFailsNamingTheProperty() {
        var noSecret = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("rendezvous.webhook.url", "https://app.example.org/events")));
        assertTrue(noSecret.getMessage().contains("rendezvous.webhook.secret"), noSecret.getMessage());
        var badUrl = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("rendezvous.webhook.url", "ftp://app.example.org/events", "rendezvous.webhook.secret", "s")));
        assertTrue(badUrl.getMessage().startsWith("rendezvous.webhook.url"), badUrl.getMessage());
    }
}
