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
    private final Runnable onOverflow;

    /**
     * @param executor   runs closes, and {@code onOverflow}, off the caller's thread
     * @param onOverflow what to do when the reader falls too far behind: it runs on {@code executor}, because the
     *                   overflow is noticed on the thread of whoever sent, which may be inside a room's update
     */
    SessionLink(Session session, int queueCapacity, Executor executor, Runnable onOverflow) {
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.executor = executor;
        this.onOverflow = onOverflow;
        this.outbox = new Outbox(queueCapacity, this::overflowed, this::failed);
    }

    @Override
    public void send(ServerMessage message) {
        outbox.offer(done -> remote.sendObject(message, done));
    }

    /**
     * Pings only between sends, on the caller's (the heartbeat's) thread: the containers' ping is a blocking write,
     * which must never run on a container I/O thread that drains the queue.
     */
    @Override
    public boolean ping() {
        return outbox.offerIfIdle(done -> {
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
                + "more messages wait for it than the outbound queue holds");
        executor.execute(onOverflow);
    }

    /**
     * A send failed: the connection is broken or already closing, and the container will report its close. Nothing more
     * is sent; closing it again here would only hold a container thread on a dead socket.
     */
    private void failed(Throwable failure) {
        LOG.log(Level.DEBUG, () -> "Sending to session " + session.getId() + " failed; sending no more", failure);
    }
}
