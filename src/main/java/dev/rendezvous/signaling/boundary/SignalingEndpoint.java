package dev.rendezvous.signaling.boundary;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.signaling.control.Signaling;
import jakarta.websocket.DecodeException;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Clock;

/**
 * {@code /signal}: one instance per connection, adapting WebSocket lifecycle events to that connection's
 * {@link Signaling}. {@link Handshake} makes each instance with the beans every connection shares.
 */
@ServerEndpoint(value = "/signal", decoders = ClientMessageDecoder.class, encoders = ServerMessageEncoder.class,
        configurator = Handshake.class)
public class SignalingEndpoint {

    /**
     * The container cuts off frames this many times the configured limit as soon as they arrive. Anything between is
     * read whole and refused by the decoder, so the 1009 close reaches the client: a close sent while a frame is still
     * arriving is often lost to the TCP reset that the unread rest of the frame causes.
     */
    private static final int CONTAINER_LIMIT_FACTOR = 4;
    private static final System.Logger LOG = System.getLogger(SignalingEndpoint.class.getName());

    private final Connections shared;
    private Signaling signaling;

    /** Required of annotated endpoints by the WebSocket spec (containers check it); connections are made by {@link Handshake}. */
    public SignalingEndpoint() {
        this(null);
    }

    SignalingEndpoint(Connections shared) {
        this.shared = shared;
    }

    @OnOpen
    public void open(Session session) {
        if (shared == null) {
            throw new IllegalStateException("the container made this endpoint itself instead of asking " + Handshake.class.getName());
        }
        var settings = shared.settings();
        session.setMaxTextMessageBufferSize(settings.limits().maxMessageBytes() * CONTAINER_LIMIT_FACTOR);
        session.setMaxBinaryMessageBufferSize(settings.limits().maxMessageBytes()); // read only to be refused 1003
        session.setMaxIdleTimeout(0); // the heartbeat decides when a silent connection is dead
        signaling = new Signaling(shared.rooms(), settings, new SessionLink(session, shared.closer()), shared.pinger(),
                System::nanoTime, Clock.systemUTC());
        shared.heartbeat().watch(signaling);
    }

    @OnMessage
    public void message(ClientMessage message) {
        signaling.receive(message);
    }

    /** The protocol is JSON text: a binary frame closes the connection 1003. */
    @OnMessage
    public void binary(ByteBuffer data) {
        signaling.heard();
        signaling.close(CloseCode.UNSUPPORTED_DATA);
    }

    @OnMessage
    public void pong(PongMessage pong) {
        signaling.heard();
    }

    @OnError
    public void error(Session session, Throwable failure) {
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

    @OnClose
    public void close() {
        if (signaling == null) {
            return;
        }
        shared.heartbeat().forget(signaling);
        signaling.closed();
    }
}
