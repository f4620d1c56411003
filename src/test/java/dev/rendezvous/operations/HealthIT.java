package dev.rendezvous.operations;

import dev.rendezvous.signaling.AuthIT;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * MicroProfile Health as a load balancer sees it, without credentials: on Open Liberty and Payara at
 * {@code /health/*} of the HTTP port, on WildFly of the management port (the build's {@code rendezvous.health.url}).
 * Every deployment of the WAR on the server reports its own check named {@code rendezvous}.
 */
class HealthIT {

    /** A server is ready once all its deployments are: wait for the ones the build adds after start (Open Liberty). */
    @BeforeAll
    static void allDeploymentsServe() throws Exception {
        AuthIT.awaitDeployment(AuthIT.HS256);
        AuthIT.awaitDeployment(AuthIT.ES256);
    }

    @Test
    void livenessHasACheckNamedRendezvousThatIsUp() throws Exception {
        var response = Http.anonymous().get(health("/live"));

        assertEquals(200, response.statusCode(), response.body());
        for (var check : rendezvousChecks(Http.json(response).asJsonObject())) {
            assertEquals("UP", check.getString("status"), check.toString());
        }
    }

    @Test
    void readinessHasACheckNamedRendezvousThatIsUpWhileSignalIsServed() throws Exception {
        var response = Http.anonymous().get(health("/ready"));

        assertEquals(200, response.statusCode(), response.body());
        for (var check : rendezvousChecks(Http.json(response).asJsonObject())) {
            assertEquals("UP", check.getString("status"), check.toString());
            assertEquals("serving", check.getJsonObject("data").getString("state"), check.toString());
        }
    }

    private static List<JsonObject> rendezvousChecks(JsonObject health) {
        var checks = health.getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .filter(check -> "rendezvous".equals(check.getString("name")))
                .toList();
        assertFalse(checks.isEmpty(), "no check named rendezvous in " + health);
        return checks;
    }

    private static URI health(String kind) {
        return URI.create(System.getProperty("rendezvous.health.url", "http://localhost:9080/health") + kind);
    }
}
