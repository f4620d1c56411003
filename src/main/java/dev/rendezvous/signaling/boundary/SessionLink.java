package dev.rendezvous.signaling.boundary;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.signaling.control.Link;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/** A {@link Link} over one WebSocket session: ordered asynchronous sends, and closes that never block the caller. */
final class SessionLink implements Link {

    private static final System.Logger LOG = System.getLogger(SessionLink.class.getName());

    private final Session session;
    private final RemoteEndpoint.Async remote;
    private final Outbox outbox;
    private final Executor executor;

    SessionLink(Session session, int queueCapacity, Executor executor) {
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.executor = executor;
        this.outbox = new Outbox(queueCapacity, this::overflowed, this::failed);
    }

    @Override
    public void send(ServerMessage message) {
        outbox.offer(done -> remote.sendObject(message, done));
    }

    @Override
    public void ping() {
        outbox.offer(done -> {
            try {
                remote.sendPing(ByteBuffer.allocate(0));
                done.onResult(new SendResult());
            } catch (IOException broken) {
                done.onResult(new SendResult(broken));
            }
        });
    }

    @Override
    public void close(CloseCode code) {
        outbox.close();
        executor.execute(() -> {
            if (!session.isOpen()) {
                return;
            }
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code.code()), code.reason()));
            } catch (IOException alreadyBroken) {
                LOG.log(Level.DEBUG, () -> "Closing session " + session.getId() + " with " + code.code() + " failed", alreadyBroken);
            }
        });
    }

    /** The session is closed: nothing more is sent. */
    void closed() {
        outbox.close();
    }

    private void overflowed() {
        LOG.log(Level.WARNING, () -> "Closing session " + session.getId() + ": its reader is too slow, "
                + "more than the outbound queue's limit of messages are waiting");
        close(CloseCode.SLOW_CONSUMER);
    }

    /**
     * A send failed: the connection is broken or already closing, and the container will report its close. Nothing more
     * is sent; closing it again here would only hold a container thread on a dead socket.
     */
    private void failed(Throwable failure) {
        LOG.log(Level.DEBUG, () -> "Sending to session " + session.getId() + " failed; sending no more", failure);
    }
}
