package dev.rendezvous.operations;

import jakarta.json.Json;
import jakarta.json.JsonStructure;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The operators' HTTP as a test sees it: plain requests, with or without BASIC credentials, each bounded in time. */
final class Http {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER) // a login page's redirect must show as what it is
            .build();

    private final String authorization;

    private Http(String authorization) {
        this.authorization = authorization;
    }

    static Http anonymous() {
        return new Http(null);
    }

    static Http as(String user, String password) {
        var pair = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        return new Http("Basic " + Base64.getEncoder().encodeToString(pair));
    }

    HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return send(request(uri).GET());
    }

    /** A POST of {@code json} (may be empty) as {@code application/json}, as the ops page sends it. */
    HttpResponse<String> post(URI uri, String json) throws IOException, InterruptedException {
        var body = json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        return send(request(uri).header("Content-Type", "application/json").POST(body));
    }

    /** A POST as an HTML form on another site could send it, cross-origin, without asking first. */
    HttpResponse<String> postForm(URI uri) throws IOException, InterruptedException {
        return send(request(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("x=1")));
    }

    static JsonStructure json(HttpResponse<String> response) {
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            return reader.read();
        }
    }

    private HttpRequest.Builder request(URI uri) {
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
