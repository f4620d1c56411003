package dev.rendezvous.signaling;

import jakarta.json.JsonObject;

import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A WebSocket to {@code /signal} spoken frame by frame over a plain TCP (or TLS) socket, for the tests that assert the
 * close code the server sends or that need a client which truly stops reading. It reads exactly what arrived, in
 * order, so a close frame that reached the socket is never lost to the connection ending right after it; a
 * {@link #mute()} one does not read from the socket at all, pings included, until {@link #readAgain()}, as a stalled
 * browser tab does.
 *
 * <p>Library clients do not serve here: Tyrus' client loses the close frame over TLS when Undertow (WildFly) ends the
 * connection right after it, and the JDK's client, resumed over a backlog, hangs with the end of the stream pending
 * (seen on Payara under load). Only what these tests use is spoken: unfragmented masked text frames out; text, ping
 * and close frames in (text possibly fragmented).
 */
public final class RawClient implements AutoCloseable {

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    /** RFC 6455: the connection ended without a close frame. */
    private static final int CLOSED_ABNORMALLY = 1006;
    private static final int NO_STATUS = 1005;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Between the 64 KiB chunks of a large frame: 32 MB/s, an upload over a fast network. */
    private static final long UPLOAD_PACE = TimeUnit.MILLISECONDS.toNanos(2);
    /** Small stacks: a test may hold thousands of these clients, each with a reader and a writer thread. */
    private static final long THREAD_STACK = 256 * 1024;

    private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final CompletableFuture<String> closeReason = new CompletableFuture<>();
    /** This client sent its close frame: the server's next close frame answers it and is not answered again. */
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Writes one frame at a time, so that a send that the server never takes is given up after a bounded wait. */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(task -> {
        var thread = new Thread(null, task, "raw-client-writer", THREAD_STACK);
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean reading = new AtomicBoolean();
    /** Set while the reader must not handle what it reads; the reader waits on it. */
    private final AtomicBoolean paused = new AtomicBoolean();
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** What a mute client's socket takes in before the server must hold the rest: small, so a stalled reader stalls soon. */
    private static final int MUTE_RECEIVE_BUFFER = 16 * 1024;

    public RawClient() throws IOException {
        this(Server.signalUri(), true, null);
    }

    /** A reading client at {@code uri}. */
    public static RawClient at(URI uri) throws IOException {
        return new RawClient(uri, true, null);
    }

    /** A reading client at {@code uri} whose connection comes from {@code local}, e.g. 127.0.0.7: another client address. */
    static RawClient from(InetAddress local, URI uri) throws IOException {
        return new RawClient(uri, true, local);
    }

    /**
     * A reading client over plain ws whatever the suite runs over: for crowds, whose thousands of TLS handshakes would
     * only measure TLS (about 35 ms each on two cores).
     */
    static RawClient overPlainWs() throws IOException {
        return new RawClient(Server.plainSignalUri(), true, null);
    }

    /**
     * A client that reads nothing, not even pings, until {@link #readAgain()}; its receive buffer is small, so the
     * server has to hold what it cannot send after a few frames.
     */
    static RawClient mute() throws IOException {
        return new RawClient(Server.signalUri(), false, null);
    }

    private RawClient(URI uri, boolean reading, InetAddress local) throws IOException {
        var secure = uri.getScheme().equals("wss");
        var port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
        socket = secure ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        if (local != null) {
            socket.bind(new InetSocketAddress(local, 0));
        }
        if (!reading) {
            socket.setReceiveBufferSize(MUTE_RECEIVE_BUFFER); // before connecting, so the window is negotiated small
        }
        socket.connect(new InetSocketAddress(uri.getHost(), port), (int) SignalClient.PATIENCE.toMillis());
        socket.setSoTimeout((int) SignalClient.PATIENCE.toMillis()); // only for the handshake; reading waits unbounded
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
        handshake(uri);
        socket.setSoTimeout(0);
        if (reading) {
            readAgain();
        }
    }

    /** Sends a JSON text (single quotes stand for double quotes); false if the socket no longer takes it. */
    public boolean send(String json) {
        return sendText(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a text frame of exactly these bytes, valid UTF-8 or not; false if the socket no longer takes it. */
    boolean sendText(byte[] payload) {
        return sendFrame(TEXT, payload);
    }

    /** Sends a binary frame; false if the socket no longer takes it. */
    boolean sendBinary(byte[] payload) {
        return sendFrame(BINARY, payload);
    }

    /**
     * Sends one text frame of {@code size} bytes of payload ('x's), 64 KiB every 2 ms, as a large upload arrives over a
     * real network, and runs {@code halfway} when half of it is written. Nothing else is written meanwhile, pongs
     * included: a frame cannot be interrupted.
     *
     * @return how many payload bytes the socket took before the server ended the connection (all if it did not)
     */
    long streamFrame(long size, Runnable halfway) throws Exception {
        return writer.submit(() -> {
            var header = new ByteArrayOutputStream();
            header.write(0x80 | TEXT);
            header.write(0x80 | 127);
            header.writeBytes(ByteBuffer.allocate(8).putLong(size).array());
            header.writeBytes(new byte[4]); // an all-zero mask: x ^ 0 = x, so the payload needs no masking pass
            out.write(header.toByteArray());
            var taken = writeX(size / 2);
            halfway.run();
            return taken + writeX(size - size / 2);
        }).get(2, TimeUnit.MINUTES);
    }

    private long writeX(long count) {
        var chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        var written = 0L;
        try {
            while (written < count) {
                var length = (int) Math.min(chunk.length, count - written);
                out.write(chunk, 0, length);
                out.flush();
                written += length;
                java.util.concurrent.locks.LockSupport.parkNanos(UPLOAD_PACE); // the pace of the upload, not a wait for anything
            }
        } catch (IOException ended) {
            // the server ended the connection
        }
        return written;
    }

    /**
     * Says goodbye as a browser does: a close frame with 1000, then, once the server answered with its own close frame
     * (or ended the connection), the end of the connection. Ending it right after the close frame would race the frame:
     * over TLS a server may see the end of the stream first and report the close as abnormal (1006).
     */
    void closeCleanly() {
        closeWith(new byte[]{(byte) 0x03, (byte) 0xE8});
    }

    /** Closes with a close frame that carries no code (the receiver sees 1005), like {@link #closeCleanly()} otherwise. */
    void closeWithoutCode() {
        closeWith(new byte[0]);
    }

    private void closeWith(byte[] payload) {
        closing.set(true);
        if (sendFrame(CLOSE, payload) && reading.get()) {
            try {
                closeCode.get(SignalClient.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException noAnswer) {
                throw new AssertionError("the server did not answer our close within " + SignalClient.PATIENCE, noAnswer);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }

    /** Ends the connection with a TCP reset, as a crashed client or a cut network would: no close frame, no FIN. */
    public void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException alreadyGone) {
            // a socket that cannot take the option is closed already
        }
        close();
    }

    /** Every message that has arrived so far, taken out of the queue. */
    java.util.List<JsonObject> receivedSoFar() {
        var all = new java.util.ArrayList<JsonObject>();
        received.drainTo(all);
        return all;
    }

    private boolean sendFrame(int opcode, byte[] payload) {
        try {
            writer.submit(() -> writeFrame(opcode, payload)).get(SignalClient.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException notTaken) {
            return false; // the write failed, the server stopped reading, or the test closed this client
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops reading, as a tab that hangs does: the frame being read when this is called is left unhandled (a ping is not
     * answered), and nothing more is read until {@link #readAgain()}.
     */
    void stopReading() {
        synchronized (paused) {
            paused.set(true);
        }
    }

    /** Reads again (or for the first time), from whatever waited, down to the close frame if one came. */
    void readAgain() {
        synchronized (paused) {
            paused.set(false);
            paused.notifyAll();
        }
        if (!reading.compareAndSet(false, true)) {
            return; // one reader per socket: a second would split frames between them
        }
        var reader = new Thread(null, this::readUntilClosed, "raw-client-reader", THREAD_STACK);
        reader.setDaemon(true);
        reader.start();
    }

    /** The next message received, within the DSL's patience. */
    public JsonObject next() throws InterruptedException {
        var message = received.poll(SignalClient.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + SignalClient.PATIENCE);
        }
        return message;
    }

    /** The close code the server sent (1006 if the connection ended without a close frame). */
    public int expectClose() throws Exception {
        return closeCode.get(SignalClient.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The reason in the server's close frame ("" if it gave none, or sent no close frame). */
    public String expectCloseReason() throws Exception {
        expectClose();
        return closeReason.getNow("");
    }

    /**
     * The close code a client that stopped reading gets, once it reads again: the one the server decided, except on
     * Payara, whose Tyrus drops such a connection rather than wait for the close frame to be read (1006), as
     * docs/protocol.md says under "Close codes".
     */
    void expectCloseOfAStalledReader(int decided) throws Exception {
        var code = expectClose();
        if (Server.kind().equals("payara")) {
            org.junit.jupiter.api.Assertions.assertTrue(code == decided || code == CLOSED_ABNORMALLY,
                    "closed with " + code + ", neither " + decided + " nor dropped (1006)");
        } else {
            org.junit.jupiter.api.Assertions.assertEquals(decided, code);
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
        try {
            socket.close();
        } catch (IOException alreadyGone) {
            // closing is all that was asked; a socket that fails to close is gone either way
        }
    }

    private void handshake(URI uri) throws IOException {
        var key = new byte[16];
        RANDOM.nextBytes(key);
        var encodedKey = Base64.getEncoder().encodeToString(key);
        var request = "GET " + uri.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + socket.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + encodedKey + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        var status = readLine();
        var headers = new java.util.ArrayList<String>();
        String accept = null;
        for (var header = readLine(); !header.isEmpty(); header = readLine()) {
            headers.add(header);
            var colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Accept")) {
                accept = header.substring(colon + 1).trim();
            }
        }
        if (!status.startsWith("HTTP/1.1 101")) {
            // who answered, and from where: an answer no container of ours gives (a 301 once, on Payara) says more so
            throw new IOException("the server at " + socket.getRemoteSocketAddress() + " (from "
                    + socket.getLocalSocketAddress() + ") refused the upgrade: " + status + " " + headers);
        }
        if (!expectedAccept(encodedKey).equals(accept)) {
            throw new IOException("the server answered the upgrade with Sec-WebSocket-Accept " + accept);
        }
    }

    private String readLine() throws IOException {
        var line = new ByteArrayOutputStream();
        for (var b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new EOFException("the server ended the connection during the handshake");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static String expectedAccept(String key) {
        try {
            var sha1 = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("every Java platform has SHA-1", missing);
        }
    }

    /** Reads frames until the close frame or the end of the connection, answering pings and the close. */
    private void readUntilClosed() {
        var text = new ByteArrayOutputStream();
        try {
            while (true) {
                var first = in.readUnsignedByte();
                awaitReading();
                var opcode = first & 0x0F;
                var payload = readPayload();
                switch (opcode) {
                    case TEXT, CONTINUATION -> {
                        text.writeBytes(payload);
                        if ((first & 0x80) != 0) {
                            received.add(SignalClient.json(text.toString(StandardCharsets.UTF_8)));
                            text.reset();
                        }
                    }
                    case PING -> answer(PONG, payload);
                    case CLOSE -> {
                        closeReason.complete(payload.length > 2
                                ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "");
                        closeCode.complete(payload.length >= 2 ? ByteBuffer.wrap(payload).getShort() & 0xFFFF : NO_STATUS);
                        if (!closing.get()) { // the server's close, not its answer to ours
                            answer(CLOSE, payload.length >= 2 ? new byte[]{payload[0], payload[1]} : new byte[0]);
                        }
                        return;
                    }
                    default -> {
                        // pongs and binary frames carry nothing these tests read
                    }
                }
            }
        } catch (IOException ended) {
            closeCode.complete(CLOSED_ABNORMALLY);
        }
    }

    /** Waits while the test has stopped this client reading. */
    private void awaitReading() throws IOException {
        synchronized (paused) {
            while (paused.get()) {
                try {
                    paused.wait();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while not reading", interrupted);
                }
            }
        }
    }

    private byte[] readPayload() throws IOException {
        var second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        var mask = (second & 0x80) != 0 ? in.readNBytes(4) : null;
        var payload = in.readNBytes(Math.toIntExact(length));
        if (payload.length < length) {
            throw new EOFException("the connection ended inside a frame");
        }
        if (mask != null) {
            for (var i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
        }
        return payload;
    }

    /** Answers a ping or a close through the writer, unless the test has closed this client meanwhile. */
    private void answer(int opcode, byte[] payload) {
        try {
            writer.execute(() -> {
                try {
                    writeFrame(opcode, payload);
                } catch (IOException gone) {
                    // the server already ended the connection: nothing is left to answer
                }
            });
        } catch (RejectedExecutionException closedByTheTest) {
            // close() stopped the writer (and closes the socket): the test is done with this client
        }
    }

    /** Writes one final, masked frame, as RFC 6455 requires of a client; call on the writer thread only. */
    private Void writeFrame(int opcode, byte[] payload) throws IOException {
        var frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        var mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.writeBytes(mask);
        for (var i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
        return null;
    }
}
