package dev.rendezvous.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One of the load generator's sockets to {@code /signal}, through the JDK's WebSocket client. Sends go out one at a
 * time in the order given (the JDK client allows one outstanding send) and never block the caller. A reply to a
 * request completes that request's future by its {@code txn}; every other message goes to the {@link #onEvent} handler,
 * on the one thread at a time that the JDK client delivers this socket's messages on.
 */
final class LoadClient implements WebSocket.Listener {

    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    final int index;
    private final Queue<String> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final Map<String, CompletableFuture<JsonObject>> requests = new ConcurrentHashMap<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile Consumer<JsonObject> onEvent = message -> { };
    private volatile Consumer<Throwable> onFailure = failure -> { };
    private WebSocket socket;
    private String peerId;
    private volatile boolean closing;
    /** Whether it asks the JDK client for the next message: a stalled reader stops asking, and so stops reading. */
    private volatile boolean reading = true;

    private LoadClient(int index) {
        this.index = index;
    }

    /** Opens a socket; the future fails if the handshake does. */
    static CompletableFuture<LoadClient> open(HttpClient http, URI uri, int index) {
        var client = new LoadClient(index);
        return http.newWebSocketBuilder().connectTimeout(HANDSHAKE_TIMEOUT).buildAsync(uri, client)
                .thenApply(socket -> {
                    client.socket = socket;
                    return client;
                });
    }

    /** Protocol 1's opening, or the tutorial's {@code start} in seed mode; completes with the server-chosen id. */
    CompletableFuture<String> start(Protocol protocol) {
        var reply = protocol == Protocol.SEED
                ? request("start", "{\"action\":\"start\"}")
                : request("h", "{\"action\":\"hello\",\"txn\":\"h\",\"data\":{\"protocol\":1}}");
        return reply.thenApply(message -> {
            peerId = protocol == Protocol.SEED ? message.getString("id") : message.getJsonObject("data").getString("peerId");
            return peerId;
        });
    }

    /** Joins {@code room}; completes with the {@code joined} reply. */
    CompletableFuture<JsonObject> join(String room) {
        return request("j", "{\"action\":\"join\",\"txn\":\"j\",\"data\":{\"room\":\"" + room + "\"}}");
    }

    /** Where messages that answer no request go from now on (relayed signals, room events). */
    void onEvent(Consumer<JsonObject> handler) {
        onEvent = handler;
    }

    /** What to do if the socket fails or is closed by the server. */
    void onFailure(Consumer<Throwable> handler) {
        onFailure = handler;
    }

    String peerId() {
        return peerId;
    }

    /** Queues a text frame; frames leave in the order queued. */
    void send(String text) {
        pending.add(text);
        pump();
    }

    /** Completes with the close reason once the connection is gone (closed by either side, or broken). */
    CompletableFuture<String> closed() {
        return closed;
    }

    void close() {
        closing = true;
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(failure -> null);
        }
    }

    /** Stops reading, as a stalled tab does: no more messages are taken from the socket until {@link #readAgain}. */
    void stopReading() {
        reading = false;
    }

    /** Reads again, from whatever waited. */
    void readAgain() {
        if (!reading) {
            reading = true;
            socket.request(1);
        }
    }

    /** Drops the TCP connection without a close handshake. */
    void abort() {
        closing = true;
        socket.abort();
    }

    private CompletableFuture<JsonObject> request(String key, String text) {
        var reply = new CompletableFuture<JsonObject>();
        requests.put(key, reply);
        send(text);
        return reply;
    }

    /** Sends what is queued, one frame at a time; loops while sends complete at once, hands off while one is pending. */
    private void pump() {
        while (!pending.isEmpty() && sending.compareAndSet(false, true)) {
            String next;
            while ((next = pending.poll()) != null) {
                var sent = socket.sendText(next, true);
                if (!sent.isDone()) {
                    sent.whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            failed(failure);
                        }
                        sending.set(false);
                        pump();
                    });
                    return;
                }
                if (sent.isCompletedExceptionally()) {
                    sent.exceptionally(failure -> {
                        failed(failure);
                        return null;
                    });
                }
            }
            sending.set(false);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (reading) {
            webSocket.request(1);
        }
        if (!last) {
            partial.append(data);
            return null;
        }
        String text;
        if (partial.isEmpty()) {
            text = data.toString();
        } else {
            text = partial.append(data).toString();
            partial.setLength(0);
        }
        JsonObject message;
        try (var reader = JSON.createReader(new StringReader(text))) {
            message = reader.readObject();
        }
        var txn = message.getString("txn", "start".equals(message.getString("action", null)) ? "start" : null);
        var request = txn == null ? null : requests.remove(txn);
        if (request == null) {
            onEvent.accept(message);
        } else if ("error".equals(message.getString("action"))) {
            request.completeExceptionally(new IllegalStateException("the server refused: " + message));
        } else {
            request.complete(message);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        var why = statusCode + " " + reason;
        closed.complete(why);
        failed(new IllegalStateException("closed by the server: " + why));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("1006 " + error);
        failed(error);
    }

    private void failed(Throwable failure) {
        requests.values().forEach(request -> request.completeExceptionally(failure));
        if (!closing) {
            onFailure.accept(failure);
        }
    }
}
