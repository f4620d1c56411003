package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.IceServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    private static Settings read(Map<String, String> values) {
        return Settings.read(name -> Optional.ofNullable(values.get(name)));
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        var defaults = Settings.defaults();
        assertEquals(4, defaults.limits().roomCapacity());
        assertEquals(65_536, defaults.limits().maxMessageBytes());
        assertEquals(50, defaults.limits().messagesPerSecond());
        assertEquals(200, defaults.limits().burst());
        assertEquals(Duration.ofSeconds(10), defaults.helloTimeout());
        assertTrue(defaults.directCalls());
        assertEquals(List.of(), defaults.iceServers().forUser("p", Instant.EPOCH));
    }

    @Test
    void everySettingIsReadUnderItsDocumentedName() {
        var settings = read(Map.of("rendezvous.room-capacity", "8", "rendezvous.max-message-bytes", "131072",
                "rendezvous.direct-calls", "FALSE", "rendezvous.heartbeat.interval-ms", "1000",
                "rendezvous.heartbeat.timeout-ms", "3000", "rendezvous.ice.stun-urls", " stun:a:3478 , stun:b:3478 "));
        assertEquals(8, settings.limits().roomCapacity());
        assertEquals(131_072, settings.limits().maxMessageBytes());
        assertFalse(settings.directCalls());
        assertEquals(3000, settings.heartbeat().timeoutMs());
        assertEquals(List.of(new IceServer(List.of("stun:a:3478", "stun:b:3478"), null, null)),
                settings.iceServers().forUser("p", Instant.EPOCH));
    }

    @Test
    void onlyListedOriginsMayOpenASocketOnceAnyAreListed() {
        assertTrue(Settings.defaults().allowsOrigin("https://anywhere.example"), "no list allows any origin");
        var settings = read(Map.of("rendezvous.allowed-origins", "https://meet.example.org, http://localhost:9080"));
        assertTrue(settings.allowsOrigin("https://meet.example.org"));
        assertTrue(settings.allowsOrigin("http://localhost:9080"));
        assertFalse(settings.allowsOrigin("https://evil.example"));
        assertFalse(settings.allowsOrigin("https://meet.example.org.evil.example"));
        assertTrue(settings.allowsOrigin(null), "a client that sends no Origin is no browser");
    }

    @Test
    void inForceShowsEveryPropertyWithItsValueOrDefaultAndHidesSecrets() {
        var settings = Settings.read(name -> Optional.ofNullable(Map.of(
                "rendezvous.room-capacity", "8",
                "rendezvous.ice.turn-secret", "s3cret",
                "rendezvous.auth.jwt.secret", "a-secret-of-at-least-thirty-two-bytes!!").get(name)));

        var inForce = settings.inForce();

        assertEquals("8", inForce.get("rendezvous.room-capacity"));
        assertEquals("65536", inForce.get("rendezvous.max-message-bytes"), "a default");
        assertEquals("true", inForce.get("rendezvous.direct-calls"));
        assertEquals("", inForce.get("rendezvous.allowed-origins"), "an empty list");
        assertEquals(Settings.HIDDEN, inForce.get("rendezvous.ice.turn-secret"));
        assertEquals(Settings.HIDDEN, inForce.get("rendezvous.auth.jwt.secret"));
        assertTrue(inForce.containsKey("rendezvous.auth.jwt.issuer"));
        assertNull(inForce.get("rendezvous.auth.jwt.issuer"), "optional, not set");
        assertFalse(inForce.toString().contains("s3cret"));
        assertFalse(settings.inForce().values().stream().anyMatch(value -> value != null && value.contains("thirty-two")));
    }

    @Test
    void aBadValueFailsNamingTheProperty() {
        var notANumber = assertThrows(IllegalArgumentException.class, () -> read(Map.of("rendezvous.room-capacity", "four")));
        assertEquals("rendezvous.room-capacity is 'four' but must be a whole number", notANumber.getMessage());
        var outOfRange = assertThrows(IllegalArgumentException.class, () -> read(Map.of("rendezvous.max-message-bytes", "10")));
        assertTrue(outOfRange.getMessage().startsWith("rendezvous.max-message-bytes is '10' but must be between"));
        assertThrows(IllegalArgumentException.class, () -> read(Map.of("rendezvous.heartbeat.timeout-ms", "1000")));
        assertThrows(IllegalArgumentException.class, () -> read(Map.of("rendezvous.ice.turn-urls", "turn:t:3478")));
    }

    @Test
    void turnCredentialsFollowTheTurnRestApiThatCoturnChecks() {
        var settings = read(Map.of("rendezvous.ice.turn-urls", "turn:turn.example.org:3478?transport=udp",
                "rendezvous.ice.turn-secret", "north-secret", "rendezvous.ice.turn-ttl-seconds", "86400"));
        var servers = settings.iceServers().forUser("peer1", Instant.ofEpochSecond(1_700_000_000L));
        // expected credential computed independently: base64(HMAC-SHA1("north-secret", "1700086400:peer1"))
        assertEquals(List.of(new IceServer(List.of("turn:turn.example.org:3478?transport=udp"),
                "1700086400:peer1", "UiWvFETP6WHj3Uu2jOOtW3/1Gpg=")), servers);
        assertFalse(settings.toString().contains("north-secret"), "the secret never reaches the log");
    }
}
