package dev.rendezvous.signaling;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs first: is the server up and serving the WAR at its context root? */
@Order(1)
class ServerSmokeIT {

    /** Some server plugins start the server in the background and return at once: give it this long to come up. */
    private static final Duration STARTUP = Duration.ofMinutes(3);

    @Test
    void theWarServesItsPageAtTheContextRoot() throws Exception {
        // HTTP/1.1: the JDK client's default h2c upgrade of a plain-HTTP request goes unanswered by Open Liberty
        var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        var request = HttpRequest.newBuilder(Server.httpUri("/")).timeout(Duration.ofSeconds(10)).build();
        var deadline = System.nanoTime() + STARTUP.toNanos();
        HttpResponse<String> response;
        while (true) {
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 || System.nanoTime() > deadline) {
                    break;
                }
            } catch (IOException notUpYet) {
                if (System.nanoTime() > deadline) {
                    throw notUpYet;
                }
            }
            Thread.sleep(250); // a server still starting: polled, bounded by STARTUP
        }
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("Rendezvous"), response.body());
    }
}
