package dev.rendezvous.signaling.boundary;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The {@code /signal} handshake: refuses web origins the operator did not allow ({@code rendezvous.allowed-origins}),
 * which the container answers 403, and makes each connection's endpoint. Endpoints are made here rather than by the
 * container as CDI beans: Open Liberty builds a new injection target (a reflective scan of the class) for every such
 * bean, a fifth of the server's CPU per connection. The shared beans are looked up once, on the first handshake
 * (the container makes one configurator per endpoint, before CDI can be asked), and serve the codecs too.
 */
public class Handshake extends ServerEndpointConfig.Configurator {

    private volatile Connections connections;

    @Override
    public boolean checkOrigin(String origin) {
        return connections().allowsOrigin(origin);
    }

    /** Hands the socket the client's address, which the WebSocket API does not expose (see {@link RemoteAddress}). */
    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        RemoteAddress.keep(config);
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass == SignalingEndpoint.class) {
            return endpointClass.cast(new SignalingEndpoint(connections()));
        }
        if (endpointClass == StreamingSignalingEndpoint.class) {
            return endpointClass.cast(new StreamingSignalingEndpoint(connections()));
        }
        throw new InstantiationException("this configurator makes only the /signal endpoints, not " + endpointClass.getName());
    }

    /** The handshake of the {@code /signal} endpoint whose configuration this is (as its codecs are given it). */
    static Handshake of(EndpointConfig config) {
        if (config instanceof ServerEndpointConfig server && server.getConfigurator() instanceof Handshake handshake) {
            return handshake;
        }
        throw new IllegalStateException("not the configuration of a /signal endpoint: " + config);
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
