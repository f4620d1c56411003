package dev.rendezvous.signaling.boundary;

import dev.rendezvous.protocol.ClientMessage;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.nio.ByteBuffer;

/**
 * {@code /signal}: one instance per socket, adapting its lifecycle events to its {@link Connection}, with text taken in
 * whole messages read by the {@link ClientMessageDecoder}. For containers that cut off a frame past their limit as it
 * arrives, which they do for an annotated handler of whole messages (Open Liberty; Payara, whose Tyrus buffer
 * {@code web.xml} sizes). Liberty, given a handler added in code or one for parts, buffered a frame whole: 16 MiB of
 * 32 as it arrived; and it finds only an endpoint's own annotated methods, none it inherits. {@link Deployment}
 * deploys this endpoint, or {@link StreamingSignalingEndpoint} on WildFly; {@link Handshake} makes each instance with
 * the beans every connection shares.
 */
@ServerEndpoint(value = "/signal", decoders = ClientMessageDecoder.class, encoders = ServerMessageEncoder.class,
        configurator = Handshake.class)
public class SignalingEndpoint {

    private final Connections shared;
    private Connection connection;

    /** Required of annotated endpoints by the WebSocket spec (containers check it); connections are made by {@link Handshake}. */
    public SignalingEndpoint() {
        this(null);
    }

    SignalingEndpoint(Connections shared) {
        this.shared = shared;
    }

    @OnOpen
    public void open(Session session) {
        connection = Connection.open(shared, session);
    }

    @OnMessage
    public void message(ClientMessage message) {
        connection.message(message);
    }

    @OnMessage
    public void binary(ByteBuffer data) {
        connection.binary();
    }

    @OnMessage
    public void pong(PongMessage pong) {
        connection.pong();
    }

    @OnError
    public void error(Session session, Throwable failure) {
        Connection.error(connection, session, failure);
    }

    @OnClose
    public void close(CloseReason reason) {
        Connection.closed(connection, reason);
    }
}
