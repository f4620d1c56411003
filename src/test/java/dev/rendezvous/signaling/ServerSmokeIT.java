package dev.rendezvous.signaling;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Order(1)
class ServerSmokeIT {

    @Test
    void theWarServesItsPageAtTheContextRoot() throws Exception {
        // HTTP/1.1: the JDK client's default h2c upgrade of a plain-HTTP request goes unanswered by Open Liberty
        var response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(Server.httpUri("/")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("Rendezvous"), response.body());
    }
}
