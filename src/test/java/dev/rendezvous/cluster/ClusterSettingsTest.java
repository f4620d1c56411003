package dev.rendezvous.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the cluster's properties: off by default, the values in force shown, bad ones refused by name. */
class ClusterSettingsTest {

    private static ClusterSettings read(Map<String, String> properties) {
        return ClusterSettings.read(name -> Optional.ofNullable(properties.get(name)));
    }

    @Test
    void withoutARedisUriTheServerIsOnItsOwn() {
        var settings = read(Map.of());
        assertFalse(settings.on());
        assertEquals("rv:", settings.keyPrefix());
        assertEquals(Duration.ofSeconds(10), settings.nodeTtl());
    }

    @Test
    void aNodeWithoutAnIdGetsARandomOneEachStartAndTheSettingsShowItAndHideTheUri() {
        var uri = Map.of("rendezvous.cluster.redis-uri", "redis://user:secret@127.0.0.1:6379/0");
        var first = read(uri);
        var second = read(uri);
        assertTrue(first.on());
        assertNotEquals(first.nodeId(), second.nodeId());
        assertEquals("***", first.inForce().get("rendezvous.cluster.redis-uri"));
        assertEquals(first.nodeId(), first.inForce().get("rendezvous.cluster.node-id"));
        assertEquals("rv:", first.inForce().get("rendezvous.cluster.key-prefix"));
        assertEquals("redis://127.0.0.1:6379", first.redactedUri(), "no credentials in the logs");
    }

    @Test
    void aBadNodeIdUriOrTtlIsRefusedNamingTheProperty() {
        var badId = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("rendezvous.cluster.redis-uri", "redis://h:6379", "rendezvous.cluster.node-id", "a b")));
        assertTrue(badId.getMessage().contains("rendezvous.cluster.node-id"), badId.getMessage());
        var badUri = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("rendezvous.cluster.redis-uri", "http://h:6379")));
        assertTrue(badUri.getMessage().contains("rendezvous.cluster.redis-uri"), badUri.getMessage());
        var badTtl = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("rendezvous.cluster.node-ttl-ms", "10")));
        assertTrue(badTtl.getMessage().contains("rendezvous.cluster.node-ttl-ms"), badTtl.getMessage());
    }
}
