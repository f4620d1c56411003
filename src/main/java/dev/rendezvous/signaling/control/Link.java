package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ServerMessage;

/** One client connection as the control layer uses it; the boundary implements it over a WebSocket session. */
public interface Link {

    /** Queues a message; never blocks. */
    void send(ServerMessage message);

    /** Queues a WebSocket ping frame. */
    void ping();

    /** Closes the connection with {@code code}, without blocking the caller. */
    void close(CloseCode code);
}
