package dev.rendezvous.operations.boundary;

import dev.rendezvous.signaling.control.Lifecycle;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HealthTest {

    private final Health health = new Health();

    HealthTest() {
        health.lifecycle = new Lifecycle();
    }

    @Test
    void notReadyWhileStartingWithTheReasonInItsData() {
        var ready = health.ready().call();

        assertEquals(Status.DOWN, ready.getStatus());
        assertEquals("rendezvous", ready.getName());
        assertEquals("starting", data(ready, "state"));
        assertEquals("the application is starting: /signal is not deployed yet", data(ready, "reason"));
    }

    @Test
    void readyOnceSignalIsServed() {
        health.lifecycle.serving();

        var ready = health.ready().call();

        assertEquals(Status.UP, ready.getStatus());
        assertEquals("serving", data(ready, "state"));
        assertEquals(null, data(ready, "reason"));
    }

    @Test
    void notReadyOnceStoppingEvenIfItServedBefore() {
        health.lifecycle.serving();
        health.lifecycle.stopping();
        health.lifecycle.serving(); // a late deployment event cannot make a stopping application ready again

        var ready = health.ready().call();

        assertEquals(Status.DOWN, ready.getStatus());
        assertEquals("the application is stopping", data(ready, "reason"));
    }

    @Test
    void liveWhileStartingServingAndStopping() {
        assertEquals(Status.UP, health.live().call().getStatus());
        health.lifecycle.serving();
        assertEquals(Status.UP, health.live().call().getStatus());
        health.lifecycle.stopping();
        assertEquals(Status.UP, health.live().call().getStatus());
        assertEquals("rendezvous", health.live().call().getName());
    }

    private static Object data(HealthCheckResponse response, String key) {
        return response.getData().orElseThrow().get(key);
    }
}
