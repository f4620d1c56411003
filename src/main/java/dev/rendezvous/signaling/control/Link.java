package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ServerMessage;

/** One client connection as the control layer uses it; the boundary implements it over a WebSocket session. */
public interface Link {

    /** Queues a message; never blocks. */
    void send(ServerMessage message);

    /**
     * Sends a WebSocket ping frame now if nothing else is being sent, on the calling thread; never queues it.
     *
     * @return whether the ping went out (if not, the connection is busy sending: ask again later)
     */
    boolean ping();

    /** Closes the connection with {@code code}, without blocking the caller. */
    void close(CloseCode code);
}
