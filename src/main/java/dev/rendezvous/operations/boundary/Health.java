package dev.rendezvous.operations.boundary;

import dev.rendezvous.signaling.control.Lifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The MicroProfile Health checks, both named {@code rendezvous}: live while the application answers at all; ready
 * while {@code /signal} is deployed, the application is not stopping and (in a cluster) the nodes' store can be
 * reached, which is when a load balancer should send it new sockets. DOWN carries its reason in the data ({@code reason}). They read the {@link Lifecycle} only: WildFly
 * runs them on its management threads, outside the application's naming context, where no other bean may be first
 * made.
 */
@ApplicationScoped
public class Health {

    static final String NAME = "rendezvous";

    @Inject
    Lifecycle lifecycle;

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> new HealthCheckResponse(NAME, Status.UP, Optional.of(Map.of("state", state(lifecycle.state()))));
    }

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> {
            var state = lifecycle.state();
            var notReady = lifecycle.notReady();
            if (notReady != null) {
                return new HealthCheckResponse(NAME, Status.DOWN, Optional.of(Map.of("state", state(state), "reason", notReady)));
            }
            return new HealthCheckResponse(NAME, Status.UP, Optional.of(Map.of("state", state(state))));
        };
    }

    private static String state(Lifecycle.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
