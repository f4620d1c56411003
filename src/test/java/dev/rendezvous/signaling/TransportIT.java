package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The server serves the app and the endpoint both in plain HTTP and over TLS, as its configuration says. */
class TransportIT {

    @Test
    void thePageIsServedOverPlainHttpAndOverTls() throws Exception {
        var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        for (var base : new String[]{System.getProperty("rendezvous.http.url"), System.getProperty("rendezvous.https.url")}) {
            var response = client.send(HttpRequest.newBuilder(URI.create(base + "/")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), base);
        }
    }

    @Test
    void theSignalingEndpointAnswersOverWsAndOverWss() throws Exception {
        for (var base : new String[]{System.getProperty("rendezvous.http.url"), System.getProperty("rendezvous.https.url")}) {
            try (var client = SignalClient.connect(URI.create(base.replaceFirst("^http", "ws") + "/signal"))) {
                client.send("{'action':'hello','txn':'t'}");
                assertEquals("t", client.expect("welcome").getString("txn"), base);
            }
        }
    }
}
