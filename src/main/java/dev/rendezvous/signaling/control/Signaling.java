package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.signaling.entity.Peer;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * One connection's signaling: the single place that dispatches client messages, and the connection's life from its
 * opening to its close. What may be handled, and when the connection must close, its {@link ConnectionPolicy}
 * decides. The sender of everything it relays is the peer this connection started as; nothing a client writes can
 * change that.
 *
 * <p>The container calls {@link #receive}, {@link #refuse} and {@link #heard} for one connection one at a time;
 * {@link #tick} comes from the heartbeat's thread, and {@link #close} from any thread that decides a close (the
 * heartbeat, whoever overflowed this connection's outbox, a failed write). Starting and departing are decided under
 * this object's lock, so a hello racing a close never registers a peer after it left.
 */
public final class Signaling implements ClientMessage.Handler {

    private static final System.Logger LOG = System.getLogger(Signaling.class.getName());

    private final Rooms rooms;
    private final Settings settings;
    private final Link link;
    private final Outbox outbox;
    private final ConnectionPolicy policy;
    private final LongSupplier nanoClock;
    private final Clock wallClock;

    /** Written under this object's lock; read anywhere. */
    private volatile Peer peer;
    /** Guarded by this. */
    private boolean departed;

    /**
     * @param pinger runs this connection's pings, which may block (see {@link Link#ping})
     */
    public Signaling(Rooms rooms, Settings settings, Link link, Executor pinger, LongSupplier nanoClock, Clock wallClock) {
        this.rooms = rooms;
        this.settings = settings;
        this.link = link;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.policy = new ConnectionPolicy(settings, nanoClock.getAsLong());
        this.outbox = new Outbox(link, settings.outboundQueue(), settings.outboundQueueBytes(), pinger,
                () -> close(CloseCode.SLOW_CONSUMER), this::failed);
    }

    /** Handles one valid message from the client. */
    public void receive(ClientMessage message) {
        if (!admitted(message.txn())) {
            return;
        }
        try {
            message.dispatchTo(this);
        } catch (ProtocolException refused) {
            reply(refused.answering(message.txn()).toReply());
        } catch (RuntimeException failure) {
            LOG.log(Level.ERROR, () -> "Failed to handle " + message.getClass().getSimpleName() + " from " + who(), failure);
            reply(new ServerMessage.Problem(message.txn(), ErrorCode.INTERNAL, "the server failed to handle this message"));
        }
    }

    /** Answers a message that could not be read; it counts against the rate limit like any other. */
    public void refuse(ProtocolException refused) {
        if (admitted(refused.txn())) {
            reply(refused.toReply());
        }
    }

    /** Notes that the client is alive: any frame, pongs included. */
    public void heard() {
        policy.heard(nanoClock.getAsLong());
    }

    /**
     * Closes the connection with {@code code}. The peer leaves its room and the registry now, on the calling thread,
     * not when the container finishes the close handshake, which a dead peer may stall for seconds. From now on nothing
     * the client sends is handled; the close frame itself goes out once the client is quiet
     * ({@link ConnectionPolicy#closeFrameDue}).
     */
    public void close(CloseCode code) {
        var now = nanoClock.getAsLong();
        if (!policy.decideClose(code, now)) {
            return;
        }
        depart(code == CloseCode.HEARTBEAT_TIMEOUT ? LeaveReason.TIMEOUT : LeaveReason.DISCONNECTED);
        if (policy.closeFrameDue(now)) {
            sendClose(code);
        }
    }

    /**
     * Closes the connection with {@code code} now, without waiting for the client to go quiet: for a client in the middle
     * of a frame that will not be read to its end, which would keep it from ever being quiet.
     */
    public void closeAtOnce(CloseCode code) {
        if (policy.decideClose(code, nanoClock.getAsLong())) {
            depart(LeaveReason.DISCONNECTED);
            if (policy.closeFrameSent()) {
                sendClose(code);
            }
        }
    }

    /** The connection is gone: the peer leaves its room and the registry, if it has not already. */
    public void closed() {
        outbox.close();
        depart(LeaveReason.DISCONNECTED);
    }

    /** The heartbeat's look at this connection at {@code now}: ping it, close it, or send a decided close's frame. */
    public void tick(long now) {
        switch (policy.tick(now, peer != null)) {
            case PING -> {
                if (outbox.ping()) {
                    policy.pinged(now);
                }
            }
            case HELLO_TIMEOUT -> close(CloseCode.HELLO_TIMEOUT);
            case HEARTBEAT_TIMEOUT -> close(CloseCode.HEARTBEAT_TIMEOUT);
            case CLOSE_FRAME -> sendClose(policy.closing());
            case NOTHING -> {
                // nothing is due
            }
        }
    }

    /** This connection's outbox, for what watches it. */
    Outbox outbox() {
        return outbox;
    }

    @Override
    public void hello(ClientMessage.Hello message) {
        var started = start();
        if (started != null) {
            reply(new ServerMessage.Welcome(message.txn(), started.id(), settings.heartbeat(), settings.limits(),
                    settings.iceServers().forPeer(started.id(), wallClock.instant())));
        }
    }

    @Override
    public void start(ClientMessage.Start message) {
        var started = start();
        if (started != null) {
            reply(new ServerMessage.Started(message.txn(), started.id()));
        }
    }

    @Override
    public void join(ClientMessage.Join message) {
        rooms.join(started(), message.room(), message.displayName(), message.txn());
    }

    @Override
    public void leave(ClientMessage.Leave message) {
        var room = rooms.leave(started(), LeaveReason.LEFT);
        if (room == null) {
            throw new ProtocolException(ErrorCode.NOT_IN_ROOM, "you are not in a room");
        }
        reply(new ServerMessage.Left(message.txn(), room));
    }

    @Override
    public void relay(ClientMessage.Relay message) {
        var sender = started();
        rooms.deliver(sender, message.to(), Frame.of(new ServerMessage.Relayed(message.signal(), sender.id(), message.data())));
    }

    @Override
    public void post(ClientMessage.Post message) {
        var sender = started();
        var posted = Frame.of(new ServerMessage.Posted(sender.id(), message.payload()));
        if (message.to() != null) {
            rooms.deliver(sender, message.to(), posted);
        } else {
            rooms.broadcast(sender, posted);
        }
    }

    @Override
    public void ping(ClientMessage.Ping message) {
        started();
        reply(new ServerMessage.Pong(message.txn()));
    }

    private void reply(ServerMessage message) {
        outbox.send(Frame.of(message));
    }

    /** Whether to handle an arriving message; refuses it {@code rate-limited}, or closes a flooder, as the policy says. */
    private boolean admitted(String txn) {
        var now = nanoClock.getAsLong();
        policy.heard(now);
        switch (policy.admit(now)) {
            case HANDLE -> {
                return true;
            }
            case REFUSE -> reply(new ServerMessage.Problem(txn, ErrorCode.RATE_LIMITED,
                    "over " + settings.limits().messagesPerSecond() + " messages/s; this message was dropped"));
            case FLOOD -> {
                LOG.log(Level.WARNING, () -> "Closing " + who() + ": it kept sending over the rate limit after "
                        + settings.floodCloseAfter() + " refusals");
                close(CloseCode.FLOODING);
            }
            case IGNORE -> {
                // a close is decided: nothing more is handled or answered
            }
        }
        return false;
    }

    private void sendClose(CloseCode code) {
        outbox.close();
        link.close(code);
    }

    /** A write failed: the connection is broken, and ends as if it had closed. */
    private void failed(Throwable failure) {
        LOG.log(Level.DEBUG, () -> "Sending to " + who() + " failed; closing the connection", failure);
        close(CloseCode.SEND_FAILED);
    }

    /** The peer, registered now if this is the connection's first hello or start; null if the connection has departed. */
    private synchronized Peer start() {
        if (departed) {
            return null;
        }
        if (peer == null) {
            peer = rooms.connect(outbox);
        }
        return peer;
    }

    private Peer started() {
        var started = peer;
        if (started == null) {
            throw new ProtocolException(ErrorCode.NOT_STARTED, "send hello (or start) first");
        }
        return started;
    }

    private void depart(LeaveReason reason) {
        Peer gone;
        synchronized (this) {
            if (departed) {
                return;
            }
            departed = true;
            gone = peer;
        }
        if (gone != null) {
            rooms.disconnect(gone, reason);
        }
    }

    private String who() {
        var started = peer;
        return started == null ? "an unstarted connection" : started.toString();
    }
}
