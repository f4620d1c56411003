package dev.rendezvous.signaling.boundary;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * {@code /signal} for WildFly: text taken in the parts Undertow reads it in, bounded by {@link IncomingText} as it
 * arrives. Undertow 2.3.23 checks a whole message's size only at its end once a frame takes more than one read
 * (UNDERTOW-2770, unfixed in the 2.3 line: it buffered 18 MiB of a 32 MiB frame uploaded at 32 MB/s), and bounds no
 * part at all. A programmatic endpoint, whose handlers it adds as a socket opens; {@link Deployment} deploys it with
 * {@link #config()}.
 */
public class StreamingSignalingEndpoint extends Endpoint {

    private final Connections shared;

    /** For the container; connections are made by {@link Handshake}. */
    public StreamingSignalingEndpoint() {
        this(null);
    }

    StreamingSignalingEndpoint(Connections shared) {
        this.shared = shared;
    }

    /** Its deployment: at {@code /signal}, with the protocol's encoder and the {@link Handshake}. */
    static ServerEndpointConfig config() {
        return ServerEndpointConfig.Builder.create(StreamingSignalingEndpoint.class, "/signal")
                .encoders(List.of(ServerMessageEncoder.class))
                .configurator(new Handshake())
                .build();
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        var connection = Connection.open(shared, session);
        session.getUserProperties().put(Connection.class.getName(), connection);
        session.addMessageHandler(String.class, (MessageHandler.Partial<String>) connection::part);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (data, last) -> connection.binary());
        session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> connection.pong());
    }

    @Override
    public void onError(Session session, Throwable failure) {
        Connection.error(connectionOf(session), session, failure);
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        Connection.closed(connectionOf(session), reason);
    }

    private static Connection connectionOf(Session session) {
        return (Connection) session.getUserProperties().get(Connection.class.getName());
    }
}
