package dev.rendezvous.signaling.boundary;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.Sequenced;
import dev.rendezvous.signaling.control.Link;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A {@link Link} over one WebSocket session: asynchronous writes, the container's ping, and closes off the caller's
 * thread, except the refusal of a connection still opening.
 */
final class SessionLink implements Link {

    private static final System.Logger LOG = System.getLogger(SessionLink.class.getName());
    private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

    private final Session session;
    private final RemoteEndpoint.Async remote;
    private final Executor closer;

    /**
     * @param closer runs closes: a container may hold the closing thread until the client answers the close
     */
    SessionLink(Session session, Executor closer) {
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.closer = closer;
    }

    @Override
    public void write(Sequenced frame, Consumer<Throwable> done) {
        remote.sendObject(frame, result -> done.accept(result.isOK() ? null : result.getException()));
    }

    /** Undertow queues the ping; Open Liberty (whose asynchronous ping is its blocking one) and Payara may write it before returning. */
    @Override
    public void ping() throws IOException {
        remote.sendPing(NO_DATA.duplicate());
    }

    @Override
    public String remoteAddress() {
        return RemoteAddress.of(session);
    }

    @Override
    public String remoteEndpoint() {
        return RemoteAddress.endpointOf(session);
    }

    @Override
    public void close(CloseCode code, String reason) {
        closer.execute(() -> closeNow(code, reason));
    }

    @Override
    public void closeOpening(CloseCode code) {
        closeNow(code, code.reason());
    }

    private void closeNow(CloseCode code, String reason) {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code.code()), reason));
        } catch (IOException alreadyBroken) {
            LOG.log(Level.DEBUG, () -> "Closing session " + session.getId() + " with " + code.code() + " failed", alreadyBroken);
        }
    }
}
