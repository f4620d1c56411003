package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.Sequenced;

import java.io.IOException;
import java.util.function.Consumer;

/** One client connection as the control layer uses it; the boundary implements it over a WebSocket session. */
public interface Link {

    /**
     * Starts writing {@code frame} and returns without waiting for the network; reports the end to {@code done}, with
     * null if it was written or the reason if not, on whatever thread, possibly before returning. {@link Outbox} calls
     * it for one frame at a time.
     */
    void write(Sequenced frame, Consumer<Throwable> done);

    /**
     * Writes a WebSocket ping frame. It may block until the frame is written (some containers' ping is a blocking
     * write), so {@link Outbox} calls it only on its own executor, between frames, and never under a lock.
     */
    void ping() throws IOException;

    /** The address of the client as the container saw it (no proxy header is trusted), or null if it did not say. */
    String remoteAddress();

    /** The client's address and port ({@code ip:port}), for operators to tell connections apart; null if unknown. */
    default String remoteEndpoint() {
        return remoteAddress();
    }

    /** Closes the connection with {@code code}, without blocking the caller. */
    default void close(CloseCode code) {
        close(code, code.reason());
    }

    /** Closes the connection with {@code code} and this close reason (at most 123 bytes of UTF-8), without blocking. */
    void close(CloseCode code, String reason);

    /**
     * Closes a connection that is still opening with {@code code}, on the caller's thread: the container's, before it
     * reads from the connection. Nothing was written to the connection yet, so the close frame cannot wait on the
     * network. A close from another thread would race the container's first read: Open Liberty then takes the
     * client's first frame, if 126 bytes or longer, for a wrong answer to the close and drops the connection before
     * the close frame is written (the client sees 1006), and the thread writing it waits forever.
     */
    void closeOpening(CloseCode code);
}
