package dev.rendezvous.signaling.boundary;

import dev.rendezvous.signaling.control.Lifecycle;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * Deploys {@code /signal} as the container bounds incoming text best: {@link StreamingSignalingEndpoint} on Undertow
 * (WildFly), {@link SignalingEndpoint} elsewhere; each says why. The container's scan deploys neither
 * ({@link ScanNothing}); this listener deploys the one, as the application starts, and tells the {@link Lifecycle}
 * that it serves (and, as the application stops, that it no longer does).
 */
@WebListener
public class Deployment implements ServletContextListener {

    private static final System.Logger LOG = System.getLogger(Deployment.class.getName());

    @Inject
    Lifecycle lifecycle;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        var container = (ServerContainer) event.getServletContext().getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new IllegalStateException("this server offers no WebSocket container (" + ServerContainer.class.getName() + ")");
        }
        var streaming = container.getClass().getName().startsWith("io.undertow.");
        var endpoint = streaming ? StreamingSignalingEndpoint.class : SignalingEndpoint.class;
        try {
            if (streaming) {
                container.addEndpoint(StreamingSignalingEndpoint.config());
            } else {
                container.addEndpoint(SignalingEndpoint.class);
            }
        } catch (DeploymentException failed) {
            throw new IllegalStateException("cannot deploy " + endpoint.getName(), failed);
        }
        lifecycle.serving();
        LOG.log(Level.INFO, "Rendezvous serves /signal with {0} on {1}", endpoint.getSimpleName(), container.getClass().getName());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        lifecycle.stopping();
    }

    /** Keeps the container's scan from deploying the {@code /signal} endpoints: {@link Deployment} deploys one of them. */
    public static class ScanNothing implements ServerApplicationConfig {
        @Override
        public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> endpointClasses) {
            return Set.of();
        }

        @Override
        public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
            return Set.of();
        }
    }
}
