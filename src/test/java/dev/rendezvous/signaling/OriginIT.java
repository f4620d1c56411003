package dev.rendezvous.signaling;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test server allows only its own pages' origins (see the pom): a page from anywhere else is refused. */
class OriginIT {

    @Test
    void aPageFromAnOriginThatIsNotAllowedCannotOpenASocketItIsAnswered403() {
        // The JDK's WebSocket client rather than Tyrus': over TLS, Tyrus' client misses a refusal's response now and
        // then (one in four on Open Liberty here) and waits 30 s for it ("Handshake response not received",
        // eclipse-ee4j/tyrus#613), while the server did answer 403 at once (curl sees it every time).
        var opening = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "https://evil.example")
                .buildAsync(Server.signalUri(), new WebSocket.Listener() {
                    // the handshake is all this test is about
                });
        var refused = assertThrows(CompletionException.class,
                () -> opening.orTimeout(SignalClient.PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join());
        var handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause(), refused::toString);
        assertEquals(403, handshake.getResponse().statusCode());
    }

    @Test
    void aPlainHttpRequestToSignalIsAnswered426UpgradeRequired() throws Exception {
        // HTTP/1.1, the only version a WebSocket handshake (RFC 6455) speaks; HTTP/2 forbids an Upgrade header
        var request = HttpRequest.newBuilder(Server.httpUri("/signal"))
                .version(HttpClient.Version.HTTP_1_1)
                .timeout(SignalClient.PATIENCE) // a response whose body never ends fails here
                .GET()
                .build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(426, response.statusCode());
        assertEquals("websocket", response.headers().firstValue("Upgrade").orElse(null));
        assertTrue(response.body().contains("WebSocket only"), response::body); // the whole body: the response ended
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
