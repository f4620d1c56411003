package dev.rendezvous.signaling.boundary;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The {@code /signal} handshake: refuses web origins the operator did not allow ({@code rendezvous.allowed-origins}),
 * which the container answers 403. It also serves the codecs what every connection shares ({@link #of}), looked up
 * once on the first handshake (the container makes one configurator per endpoint, before CDI can be asked).
 *
 * <p>Endpoints stay the container's to make, as CDI beans. Making them here saved Open Liberty a fifth of its CPU per
 * connection (it builds a new injection target per bean), but on Payara it made close frames race the connection's
 * teardown: LimitsIT saw 1006 instead of 4029, or no close at all, in about half its runs.
 */
public class Handshake extends ServerEndpointConfig.Configurator {

    private volatile Connections connections;

    @Override
    public boolean checkOrigin(String origin) {
        return connections().allowsOrigin(origin);
    }

    /** The handshake of the {@code /signal} endpoint whose configuration this is (as its codecs are given it). */
    static Handshake of(EndpointConfig config) {
        if (config instanceof ServerEndpointConfig server && server.getConfigurator() instanceof Handshake handshake) {
            return handshake;
        }
        throw new IllegalStateException("not the configuration of " + SignalingEndpoint.class.getName() + ": " + config);
    }

    int maxMessageBytes() {
        return connections().settings().limits().maxMessageBytes();
    }

    private Connections connections() {
        var known = connections;
        if (known == null) {
            // racing first handshakes may both look up: they get the same application-scoped bean
            known = CDI.current().select(Connections.class).get();
            connections = known;
        }
        return known;
    }
}
