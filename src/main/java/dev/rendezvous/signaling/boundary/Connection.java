package dev.rendezvous.signaling.boundary;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.Wire;
import dev.rendezvous.signaling.control.Signaling;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * One socket to {@code /signal}, as the endpoints hand its events over: its {@link Signaling}, which the heartbeat
 * watches, and, for text that arrives in parts, the {@link IncomingText} that bounds it.
 */
final class Connection {

    /**
     * The container cuts off frames this many times the configured limit as soon as they arrive. Anything between is
     * read whole and refused, so the 1009 close reaches the client: a close sent while a frame is still arriving is
     * often lost to the TCP reset that the unread rest of the frame causes.
     */
    static final int CONTAINER_LIMIT_FACTOR = IncomingText.CUT_OFF_FACTOR;
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    private final Connections shared;
    private final Signaling signaling;
    private final IncomingText incoming;

    /** The connection of a socket that just opened; {@code shared} is null if the container made the endpoint itself. */
    static Connection open(Connections shared, Session session) {
        if (shared == null) {
            throw new IllegalStateException("the container made the /signal endpoint itself instead of asking " + Handshake.class.getName());
        }
        return new Connection(shared, session);
    }

    private Connection(Connections shared, Session session) {
        this.shared = shared;
        var settings = shared.settings();
        session.setMaxTextMessageBufferSize(settings.limits().maxMessageBytes() * CONTAINER_LIMIT_FACTOR);
        session.setMaxBinaryMessageBufferSize(settings.limits().maxMessageBytes()); // read only to be refused 1003
        session.setMaxIdleTimeout(0); // the heartbeat decides when a silent connection is dead
        this.incoming = new IncomingText(settings.limits().maxMessageBytes());
        this.signaling = new Signaling(shared.rooms(), shared.sessions(), shared.gatekeeper(), settings,
                new SessionLink(session, shared.closer()), shared.pinger(), System::nanoTime, shared.meter());
        if (signaling.opened()) {
            shared.heartbeat().watch(signaling); // a connection refused while opening is closed already: nothing to watch
        }
    }

    /** A whole message, read by the endpoint's decoder. */
    void message(ClientMessage message) {
        signaling.receive(message);
    }

    /** A part of a text message: bounded as it arrives, read by the protocol's codec once whole. */
    void part(String part, boolean last) {
        switch (incoming.add(part, last)) {
            case MESSAGE -> {
                try {
                    signaling.receive(Wire.decode(incoming.message()));
                } catch (ProtocolException refused) {
                    signaling.refuse(refused);
                }
            }
            case PART, DISCARDED -> signaling.heard();
            case TOO_BIG -> signaling.close(CloseCode.MESSAGE_TOO_BIG);
            case CUT_OFF -> signaling.closeAtOnce(CloseCode.MESSAGE_TOO_BIG);
        }
    }

    /** The protocol is JSON text: a binary frame closes the connection 1003. */
    void binary() {
        signaling.heard();
        signaling.close(CloseCode.UNSUPPORTED_DATA);
    }

    void pong() {
        signaling.heard();
    }

    /** A failure on a socket, whose connection is null if it failed before it opened. */
    static void error(Connection connection, Session session, Throwable failure) {
        if (connection == null) {
            LOG.log(Level.WARNING, () -> "Error on connection " + session.getId() + " before it opened", failure);
        } else {
            connection.error(session, failure);
        }
    }

    /** The socket closed, for {@code reason} (the client's code, or 1006 if none came); its connection is null if it never opened. */
    static void closed(Connection connection, CloseReason reason) {
        if (connection != null) {
            connection.closed(reason.getCloseCode().getCode());
        }
    }

    private void error(Session session, Throwable failure) {
        if (failure instanceof ClientMessageDecoder.OversizedFrame) {
            signaling.close(CloseCode.MESSAGE_TOO_BIG);
        } else if (failure instanceof DecodeException && failure.getCause() instanceof ProtocolException refused) {
            signaling.refuse(refused);
        } else if (failure instanceof IOException) {
            LOG.log(Level.DEBUG, () -> "Connection " + session.getId() + " failed", failure);
        } else {
            LOG.log(Level.WARNING, () -> "Error on connection " + session.getId(), failure);
        }
    }

    private void closed(int code) {
        shared.heartbeat().forget(signaling);
        signaling.closed(code);
    }
}
