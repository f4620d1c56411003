package dev.rendezvous.signaling.boundary;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.Wire;
import dev.rendezvous.signaling.control.Signaling;
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
 *
 * <p>Text arrives in the parts the container reads it in, and {@link IncomingText} bounds each message as it grows,
 * so the size limit holds the same on every container: a container's own limit applies only to the whole messages a
 * Decoder is given, after it has buffered them (WildFly's Undertow 2.3.23 buffers a frame of any size before
 * checking it, UNDERTOW-2770). A complete message is read by the protocol's codec, {@link Wire#decode}.
 */
@ServerEndpoint(value = "/signal", encoders = ServerMessageEncoder.class, configurator = Handshake.class)
public class SignalingEndpoint {

    private static final System.Logger LOG = System.getLogger(SignalingEndpoint.class.getName());

    private final Connections shared;
    private Signaling signaling;
    private IncomingText incoming;

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
        // a container that enforces its limit (Liberty, Payara) ends what passes it; IncomingText stops sooner
        session.setMaxTextMessageBufferSize(settings.limits().maxMessageBytes() * IncomingText.CUT_OFF_FACTOR);
        session.setMaxBinaryMessageBufferSize(settings.limits().maxMessageBytes());
        session.setMaxIdleTimeout(0); // the heartbeat decides when a silent connection is dead
        incoming = new IncomingText(settings.limits().maxMessageBytes());
        signaling = new Signaling(shared.rooms(), settings, new SessionLink(session, shared.closer()), shared.pinger(),
                System::nanoTime, Clock.systemUTC());
        shared.heartbeat().watch(signaling);
    }

    @OnMessage
    public void text(String part, boolean last) {
        switch (incoming.add(part, last)) {
            case MESSAGE -> receive(incoming.message());
            case PART, DISCARDED -> signaling.heard();
            case TOO_BIG -> signaling.close(CloseCode.MESSAGE_TOO_BIG);
            case CUT_OFF -> signaling.closeAtOnce(CloseCode.MESSAGE_TOO_BIG);
        }
    }

    /** The protocol is JSON text: a binary frame closes the connection 1003, at its first part. */
    @OnMessage
    public void binary(ByteBuffer part, boolean last) {
        signaling.heard();
        signaling.close(CloseCode.UNSUPPORTED_DATA);
    }

    @OnMessage
    public void pong(PongMessage pong) {
        signaling.heard();
    }

    @OnError
    public void error(Session session, Throwable failure) {
        if (failure instanceof IOException) {
            LOG.log(Level.DEBUG, () -> "Connection " + session.getId() + " failed", failure);
        } else {
            LOG.log(Level.WARNING, () -> "Error on connection " + session.getId(), failure);
        }
    }

    private void receive(String text) {
        ClientMessage message;
        try {
            message = Wire.decode(text);
        } catch (ProtocolException refused) {
            signaling.refuse(refused);
            return;
        }
        signaling.receive(message);
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
