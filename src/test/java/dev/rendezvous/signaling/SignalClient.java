package dev.rendezvous.signaling;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The test's side of one real WebSocket to {@code /signal} (Tyrus client): send JSON, expect the next message,
 * expect the close. Every wait is bounded; assertions run on the test thread.
 */
public final class SignalClient implements AutoCloseable {

    /** How long any single expected message may take. */
    public static final Duration PATIENCE = Duration.ofSeconds(10);

    private static final AtomicInteger MARKERS = new AtomicInteger();

    private final BlockingDeque<JsonObject> received = new LinkedBlockingDeque<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final Session session;
    private String id;
    /** The {@code seq} of the last numbered message taken, 0 before the first: each must be the one after it. */
    private long lastSeq;

    private SignalClient(URI uri) throws IOException {
        session = connectTo(uri, true);
        session.setMaxTextMessageBufferSize(1 << 20);
    }

    private Session connectTo(URI uri, boolean mayRetry) throws IOException {
        try {
            // A container (and transport) of its own. Tyrus' client shuts a container's executors down when its
            // count of open connections reaches zero, without holding off a connect that starts meanwhile: with one
            // container shared by all tests, a socket opened as the previous one closed got executors already shut
            // down (its sends were rejected), and connects failed now and then (seen on Payara in CI).
            return ClientManager.createClient().connectToServer(new Endpoint() {
                @Override
                public void onOpen(Session session, EndpointConfig config) {
                    session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> received.add(json(text)));
                }

                @Override
                public void onClose(Session session, CloseReason reason) {
                    closed.complete(reason);
                }
            }, ClientEndpointConfig.Builder.create().build(), uri);
        } catch (jakarta.websocket.DeploymentException failed) {
            if (mayRetry && causedByTheClientsNullConnection(failed)) {
                // Grizzly's connect future came back with no connection, inside Tyrus' client (a NullPointerException
                // in GrizzlyClientSocket.connect, seen once over TLS on Payara under load): the client's fault, not
                // the server's, which would have refused with an I/O or TLS error. One more try; said out loud.
                System.out.println("SignalClient: Tyrus' client connected to no connection (" + failed.getMessage() + "); once more");
                return connectTo(uri, false);
            }
            throw new IOException("cannot connect to " + uri, failed);
        }
    }

    private static boolean causedByTheClientsNullConnection(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NullPointerException && String.valueOf(cause.getMessage()).contains("\"connection\" is null")) {
                return true;
            }
        }
        return false;
    }

    /** A connected client that has said nothing yet. */
    public static SignalClient connect() throws IOException {
        return connect(Server.signalUri());
    }

    /** A connected client at {@code uri} that has said nothing yet. */
    public static SignalClient connect(URI uri) throws IOException {
        return new SignalClient(uri);
    }

    /** A client that said hello (protocol 1); its peer id is known. */
    public static SignalClient hello() throws IOException {
        return hello(Server.signalUri());
    }

    /** A client at {@code uri} that said hello (protocol 1, no token); its peer id is known. */
    public static SignalClient hello(URI uri) throws IOException {
        var client = connect(uri);
        client.send("{'action':'hello','txn':'h','data':{'protocol':1}}");
        client.id = client.expect("welcome").getJsonObject("data").getString("peerId");
        return client;
    }

    /** A client at {@code uri} that opened as the tutorial's client does ({@code start}); its id is known. */
    public static SignalClient started(URI uri) throws IOException {
        var client = connect(uri);
        client.send("{'action':'start'}");
        client.id = client.expect("start").getString("id");
        return client;
    }

    /** A client at {@code uri} that said hello with {@code token} and was welcomed; its peer id is known. */
    public static SignalClient hello(URI uri, String token) throws IOException {
        var client = connect(uri);
        client.send("{'action':'hello','txn':'h','data':{'protocol':1,'token':'" + token + "'}}");
        client.id = client.expect("welcome").getJsonObject("data").getString("peerId");
        return client;
    }

    /** A client that opened the way the tutorial's client does, with {@code {"action":"start"}}. */
    public static SignalClient started() throws IOException {
        return started(Server.signalUri());
    }

    /** A client that said hello and joined {@code room}. */
    public static SignalClient inRoom(String room, String displayName) throws IOException {
        var client = hello();
        client.join(room, displayName);
        return client;
    }

    /** Joins {@code room}, returning the {@code joined} data. */
    public JsonObject join(String room, String displayName) {
        send("{'action':'join','txn':'j','data':{'room':'" + room + "','displayName':'" + displayName + "'}}");
        return expect("joined").getJsonObject("data");
    }

    /** This client's peer id, as the server told it. */
    public String id() {
        assertNotNull(id, "this client has no id: it never said hello");
        return id;
    }

    /** Sends a JSON text; single quotes stand for double quotes, to keep tests readable. */
    public SignalClient send(String json) {
        return sendRaw(json.replace('\'', '"'));
    }

    /** Sends a text frame exactly as given; fails with an AssertionError if the socket cannot take it (e.g. it closed). */
    public SignalClient sendRaw(String text) {
        try {
            session.getBasicRemote().sendText(text);
        } catch (IOException | RuntimeException failed) {
            // Tyrus reports a send on a socket the server just closed either way
            throw new AssertionError("sending failed: " + failed, failed);
        }
        return this;
    }

    /** The next message, whatever it is. */
    public JsonObject next() {
        try {
            var message = received.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                fail("no message within " + PATIENCE);
            }
            if (message.containsKey("seq")) {
                // every message of a protocol-1 session is numbered without a gap: a skipped number is a lost message
                assertEquals(lastSeq + 1, message.getJsonNumber("seq").longValueExact(), () -> "out of sequence: " + message);
                lastSeq = message.getJsonNumber("seq").longValueExact();
            }
            return message;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }

    /** The next message if one comes within {@code within}, else null (checked in sequence as {@link #next()} does). */
    public JsonObject poll(Duration within) {
        try {
            var message = received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (message != null) {
                received.putFirst(message);
                return next();
            }
            return null;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError(interrupted);
        }
    }

    /** The next message without its {@code seq} (which {@link #next()} checked), to compare it whole. */
    public JsonObject nextUnnumbered() {
        return unnumbered(next());
    }

    /** {@code message} without its {@code seq}. */
    public static JsonObject unnumbered(JsonObject message) {
        return Json.createObjectBuilder(message).remove("seq").build();
    }

    /** The next message, which must have this action. */
    public JsonObject expect(String action) {
        var message = next();
        assertEquals(action, message.getString("action"), () -> "expected " + action + " but got " + message);
        return message;
    }

    /** The next message, which must be an error with this code; returns it. */
    public JsonObject expectError(String code) {
        var error = expect("error");
        assertEquals(code, error.getJsonObject("data").getString("code"), () -> "unexpected error " + error);
        return error;
    }

    /** The code of an error message, failing if it is not an error. */
    public String errorCode(JsonObject message) {
        assertEquals("error", message.getString("action"), message::toString);
        return message.getJsonObject("data").getString("code");
    }

    /**
     * Proves nothing else was queued for this client: a ping's pong must be the very next message. Anything the
     * server sent this client before handling the ping would arrive first, and {@link #next()} proves by its
     * {@code seq} that nothing was skipped.
     */
    public void expectNothingElse() {
        var marker = "quiet-" + MARKERS.incrementAndGet();
        send("{'action':'ping','txn':'" + marker + "'}");
        assertEquals(json("{\"action\":\"pong\",\"txn\":\"" + marker + "\"}"), nextUnnumbered(), "expected nothing but our pong");
    }

    /** Waits for the server to close this socket and returns why. */
    public CloseReason expectClose() {
        try {
            return closed.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillOpen) {
            throw new AssertionError("the socket was not closed within " + PATIENCE);
        } catch (InterruptedException | ExecutionException unexpected) {
            throw new AssertionError(unexpected);
        }
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close() throws IOException {
        if (session.isOpen()) {
            session.close();
        }
    }

    public static JsonArray jsonArray(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readArray();
        }
    }

    public static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
