package dev.rendezvous.signaling;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test server allows only its own pages' origins (see the pom): a page from anywhere else is refused. */
class OriginIT {

    @Test
    void aPageFromAnOriginThatIsNotAllowedCannotOpenASocket() {
        assertThrows(DeploymentException.class, () -> connectFrom("https://evil.example").close());
    }

    @Test
    void aPageFromTheServersOwnOriginCanOpenASocket() throws Exception {
        var base = System.getProperty("rendezvous.url");
        try (var session = connectFrom(base)) {
            assertTrue(session.isOpen());
        }
    }

    private static Session connectFrom(String origin) throws Exception {
        var config = ClientEndpointConfig.Builder.create().configurator(new ClientEndpointConfig.Configurator() {
            @Override
            public void beforeRequest(Map<String, List<String>> headers) {
                headers.put("Origin", List.of(origin));
            }
        }).build();
        return ClientManager.createClient().connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig endpointConfig) {
                // the handshake is all this test is about
            }
        }, config, Server.signalUri());
    }
}
