package dev.rendezvous.signaling;

import jakarta.json.JsonObject;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A socket to {@code /signal} through the JDK's WebSocket client, for the tests that assert the close code the server
 * sends. The Tyrus client loses that close frame over TLS when Undertow (WildFly) ends the connection right after it;
 * the JDK client reports it, as browsers do. A {@link #mute()} one reads nothing, pings included, until
 * {@link #readAgain()}: the JDK client reads only on demand, so it neither sees nor answers anything meanwhile.
 */
final class RawClient implements AutoCloseable {

    private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;

    RawClient() throws Exception {
        this(true);
    }

    /** A client that reads nothing until {@link #readAgain()}. */
    static RawClient mute() throws Exception {
        return new RawClient(false);
    }

    private RawClient(boolean reading) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(Server.signalUri(), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public void onOpen(WebSocket webSocket) {
                if (reading) {
                    webSocket.request(1);
                }
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence part, boolean last) {
                text.append(part);
                if (last) {
                    received.add(SignalClient.json(text.toString()));
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable dropped) {
                closeCode.complete(1006); // RFC 6455: closed abnormally, without a close frame
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** Sends a JSON text (single quotes stand for double quotes); false if the socket no longer takes it. */
    boolean send(String json) {
        try {
            socket.sendText(json.replace('\'', '"'), true).get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception closed) {
            return false;
        }
    }

    /** Reads again, from whatever waited, down to the close frame if the server's container kept it. */
    void readAgain() {
        socket.request(Long.MAX_VALUE);
    }

    /** The next message received, within the DSL's patience. */
    JsonObject next() throws InterruptedException {
        var message = received.poll(SignalClient.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + SignalClient.PATIENCE);
        }
        return message;
    }

    /** The close code the server sent (1006 if the connection dropped without one). */
    int expectClose() throws Exception {
        return closeCode.get(SignalClient.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
