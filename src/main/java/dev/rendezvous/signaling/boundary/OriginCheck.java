package dev.rendezvous.signaling.boundary;

import dev.rendezvous.signaling.control.Settings;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Refuses handshakes from web origins the operator did not allow ({@code rendezvous.allowed-origins}); the container
 * answers them 403. Only the origin check is ours: creating endpoints stays with the container, which makes them CDI
 * beans.
 */
public class OriginCheck extends ServerEndpointConfig.Configurator {

    @Override
    public boolean checkOrigin(String origin) {
        return CDI.current().select(Settings.class).get().allowsOrigin(origin);
    }
}
