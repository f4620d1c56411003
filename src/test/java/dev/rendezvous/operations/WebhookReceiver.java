package dev.rendezvous.operations;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rendezvous.operations.control.WebhookSignature;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The application that owns the rooms, as far as webhooks go: a JDK HTTP server on the port the test deployment
 * posts to, recording every request per room, answering each as the test says (200 unless told otherwise).
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Delivery(JsonObject event, String signature, String body) {
        String type() {
            return event.getString("type");
        }

        String id() {
            return event.getString("id");
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, BlockingQueue<Delivery>> byRoom = new ConcurrentHashMap<>();
    /** How to answer a room's requests: a status, given the delivery; absent, 200. */
    private final Map<String, Function<Delivery, Integer>> answers = new ConcurrentHashMap<>();

    WebhookReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(threads);
        server.createContext("/events", this::handle);
        server.start();
    }

    /** Answers the requests of {@code room} with what {@code answer} says, from now on. */
    void answer(String room, Function<Delivery, Integer> answer) {
        answers.put(room, answer);
    }

    /** The next request about {@code room}, within {@code patience}. */
    Delivery next(String room, Duration patience) throws InterruptedException {
        var delivery = deliveries(room).poll(patience.toMillis(), TimeUnit.MILLISECONDS);
        if (delivery == null) {
            throw new AssertionError("no webhook request about room " + room + " within " + patience);
        }
        return delivery;
    }

    /** How many requests about {@code room} arrived and were not taken with {@link #next} yet. */
    int waiting(String room) {
        return deliveries(room).size();
    }

    /** An answer that holds the request until {@code release} opens, then answers 200. */
    static Function<Delivery, Integer> holdUntil(CountDownLatch release) {
        return delivery -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return 200;
        };
    }

    private BlockingQueue<Delivery> deliveries(String room) {
        return byRoom.computeIfAbsent(room, key -> new LinkedBlockingQueue<>());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonObject event;
            try (var reader = Json.createReader(new StringReader(body))) {
                event = reader.readObject();
            }
            var delivery = new Delivery(event, exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), body);
            var room = event.getString("room");
            deliveries(room).add(delivery);
            var status = answers.getOrDefault(room, any -> 200).apply(delivery);
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
