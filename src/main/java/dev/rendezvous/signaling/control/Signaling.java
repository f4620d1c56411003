package dev.rendezvous.signaling.control;

import dev.rendezvous.access.Grant;
import dev.rendezvous.access.TokenRefused;
import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.signaling.entity.Peer;
import dev.rendezvous.signaling.entity.Sends;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One connection's signaling: the single place that dispatches client messages, and the connection's life from its
 * opening to its close. What may be handled, and when the connection must close, its {@link ConnectionPolicy}
 * decides. A protocol-1 {@code hello} opens a {@link Session} (or resumes one) that this connection carries until it
 * closes; the tutorial's {@code start} opens a peer that lives and dies with the connection. The sender of everything
 * it relays is the peer this connection started as; nothing a client writes can change that.
 *
 * <p>The container calls {@link #receive}, {@link #refuse} and {@link #heard} for one connection one at a time;
 * {@link #tick} comes from the heartbeat's thread, and {@link #close} from any thread that decides a close (the
 * heartbeat, whoever overflowed this connection's outbox, a failed write). Starting and leaving are decided under
 * this object's lock, so a hello racing a close never leaves a session or peer behind that nothing carries.
 */
public final class Signaling implements ClientMessage.Handler {

    private static final System.Logger LOG = System.getLogger(Signaling.class.getName());
    /** A client's close without intent to leave is any but these: RFC 6455's normal closure, and no status at all. */
    private static final int NORMAL_CLOSURE = 1000;
    private static final int NO_STATUS = 1005;

    private final Rooms rooms;
    private final Sessions sessions;
    private final Gatekeeper gatekeeper;
    private final Settings settings;
    private final Link link;
    private final Outbox outbox;
    private final ConnectionPolicy policy;
    private final LongSupplier nanoClock;
    private final Meter meter;

    /** The started peer: a session's, or a seed-mode one's; written under this object's lock. */
    private volatile Peer peer;
    /** The protocol-1 session this connection carries, or null; written under this object's lock. */
    private volatile Session session;
    /** Guarded by this: the connection has closed or been taken over, and starts nothing more. */
    private boolean gone;
    /** Whether the meter heard of this connection's close: once, with the code decided first. */
    private final AtomicBoolean closeCounted = new AtomicBoolean();

    /**
     * @param pinger runs this connection's pings, which may block (see {@link Link#ping})
     */
    public Signaling(Rooms rooms, Sessions sessions, Gatekeeper gatekeeper, Settings settings, Link link, Executor pinger,
                     LongSupplier nanoClock) {
        this(rooms, sessions, gatekeeper, settings, link, pinger, nanoClock, Meter.NONE);
    }

    /**
     * @param pinger runs this connection's pings, which may block (see {@link Link#ping})
     * @param meter  counts what happens on this connection
     */
    public Signaling(Rooms rooms, Sessions sessions, Gatekeeper gatekeeper, Settings settings, Link link, Executor pinger,
                     LongSupplier nanoClock, Meter meter) {
        this.meter = meter;
        this.rooms = rooms;
        this.sessions = sessions;
        this.gatekeeper = gatekeeper;
        this.settings = settings;
        this.link = link;
        this.nanoClock = nanoClock;
        this.policy = new ConnectionPolicy(settings, nanoClock.getAsLong());
        this.outbox = new Outbox(link, settings.outboundQueue(), settings.outboundQueueBytes(), pinger,
                () -> close(CloseCode.SLOW_CONSUMER), this::failed);
    }

    /**
     * The connection has opened, and the container has not read from it yet: with access control on, one from an
     * address that failed too often in the last minute is closed 4001 at once, on this thread, whatever it would send
     * ({@link Link#closeOpening}).
     *
     * @return whether the connection stays open
     */
    public boolean opened() {
        if (!gatekeeper.barred(link.remoteAddress(), nanoClock.getAsLong())) {
            return true;
        }
        var code = CloseCode.UNAUTHORIZED;
        closeAtOnce(code, LeaveReason.DISCONNECTED, () -> link.closeOpening(code));
        return false;
    }

    /** Handles one valid message from the client. */
    public void receive(ClientMessage message) {
        if (!admitted(message.txn())) {
            return;
        }
        meter.received(message.action());
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
     * Closes the connection with {@code code}. What it means for the session is settled now, on the calling thread, not
     * when the container finishes the close handshake, which a dead peer may stall for seconds: a connection that went
     * silent, fell behind or broke leaves its session detached, waiting for a resume; any other close ends it, and the
     * room hears {@code peer-left} at once. From now on nothing the client sends is handled; the close frame itself
     * goes out once the client is quiet ({@link ConnectionPolicy#closeFrameDue}).
     */
    public void close(CloseCode code) {
        var now = nanoClock.getAsLong();
        if (!policy.decideClose(code, now)) {
            return;
        }
        countClose(code.code());
        switch (code) {
            case HEARTBEAT_TIMEOUT -> drop(LeaveReason.TIMEOUT);
            case SLOW_CONSUMER, SEND_FAILED -> drop(LeaveReason.DISCONNECTED);
            case RESUMED_ELSEWHERE -> {
                // the session goes on, on the connection that took it
            }
            default -> leave(LeaveReason.DISCONNECTED);
        }
        if (policy.closeFrameDue(now)) {
            sendClose(code);
        }
    }

    /**
     * Closes the connection with {@code code} now, without waiting for the client to go quiet: for a client in the middle
     * of a frame that will not be read to its end, which would keep it from ever being quiet. Its session ends.
     */
    public void closeAtOnce(CloseCode code) {
        closeAtOnce(code, LeaveReason.DISCONNECTED, () -> link.close(code));
    }

    /** Ends the session at once (its room hears {@code why}) and has {@code closeFrame} send the close frame. */
    private void closeAtOnce(CloseCode code, LeaveReason why, Runnable closeFrame) {
        var now = nanoClock.getAsLong();
        if (policy.decideClose(code, now)) {
            countClose(code.code());
            leave(why);
            if (policy.closeFrameSent()) {
                outbox.close(closeFrame, now);
            }
        }
    }

    /**
     * The container reports the connection closed, with the code the client sent (1006 if there was none to read). A
     * close the server decided was settled when it was decided; a client that closed with 1000, or with no code, left
     * on purpose; any other close (1001, a tab closed or reloaded; 1006, the network) leaves its session detached.
     */
    public void closed(int code) {
        outbox.close();
        if (policy.closing() != null) {
            return;
        }
        countClose(code);
        if (code == NORMAL_CLOSURE || code == NO_STATUS) {
            leave(LeaveReason.DISCONNECTED);
        } else {
            drop(LeaveReason.DISCONNECTED);
        }
    }

    /** The heartbeat's look at this connection at {@code now}: ping it, close it, or send a decided close's frame. */
    public void tick(long now) {
        if (policy.closing() != null) { // only a decided close has a close frame that may wait
            outbox.closeOverdue(now, ConnectionPolicy.CLOSE_WAIT_LIMIT);
        }
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

    /**
     * An operator removes this connection's peer: its session ends (a resume gets {@code unknown}), its room hears
     * {@code peer-left} {@code kicked}, and the socket is closed 4010 with {@code reason} at once.
     */
    void kick(String reason) {
        closeAtOnce(CloseCode.KICKED, LeaveReason.KICKED, () -> link.close(CloseCode.KICKED, CloseCode.KICKED.reasonOr(reason)));
    }

    /** The protocol this connection speaks: 1 once a session started, 0 once a seed-mode peer did, else -1. */
    int protocol() {
        return session != null ? 1 : peer != null ? 0 : -1;
    }

    /** This connection's outbox, for what watches it. */
    Outbox outbox() {
        return outbox;
    }

    /**
     * Another connection took up the session this one carried (a resume while this one was half-open): this one is
     * closed 4005 and sends nothing more; the session, and its room, carry on.
     */
    void resumedElsewhere() {
        synchronized (this) {
            gone = true;
            session = null;
        }
        outbox.close();
        close(CloseCode.RESUMED_ELSEWHERE);
    }

    @Override
    public void hello(ClientMessage.Hello message) {
        if (message.resume() != null) {
            resume(message);
            return;
        }
        Grant grant = null;
        if (peer == null && gatekeeper.on()) { // a second hello on a live session needs no token
            try {
                grant = gatekeeper.admit(message.token(), link.remoteAddress(), nanoClock.getAsLong());
            } catch (TokenRefused refused) {
                unauthorized(message.txn(), refused.getMessage());
                return;
            }
        }
        var started = startSession(grant);
        if (started == null) {
            return;
        }
        var carried = session; // null for a seed-mode peer saying hello: it has no session to resume
        var welcome = carried == null
                ? new ServerMessage.Welcome(message.txn(), started.id(), settings.heartbeat(), settings.limits(),
                        sessions.iceServersFor(started.id().value()))
                : welcome(message.txn(), carried, carried.token(), false);
        outbox.send(Frame.of(welcome)); // unnumbered, as every welcome is
    }

    @Override
    public void start(ClientMessage.Start message) {
        if (gatekeeper.on()) {
            gatekeeper.refuseStart(link.remoteAddress(), nanoClock.getAsLong());
            unauthorized(message.txn(), "this server admits only holders of a token: say hello with data.token");
            return;
        }
        var started = startPeer();
        if (started != null) {
            reply(new ServerMessage.Started(message.txn(), started.id()));
        }
    }

    @Override
    public void join(ClientMessage.Join message) {
        var arrived = nanoClock.getAsLong();
        var joiner = started();
        var carried = session;
        var grant = carried == null ? null : carried.grant;
        if (grant != null && !grant.allows(message.room())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "your token does not grant room " + message.room());
        }
        rooms.join(joiner, message.room(), grant == null ? message.displayName() : grant.nameOr(message.displayName()),
                message.txn());
        meter.joined(nanoClock.getAsLong() - arrived);
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
        rooms.deliver(sender, message.to(), Frame.of(new ServerMessage.Relayed(message.signal(), sender.id(), message.data())),
                () -> lostOnTheWay(message.txn(), "peer " + message.to()));
        meter.relayed(message.action());
    }

    @Override
    public void post(ClientMessage.Post message) {
        var sender = started();
        var posted = Frame.of(new ServerMessage.Posted(sender.id(), message.payload()));
        if (message.to() != null) {
            rooms.deliver(sender, message.to(), posted, () -> lostOnTheWay(message.txn(), "peer " + message.to()));
        } else {
            rooms.broadcast(sender, posted, () -> lostOnTheWay(message.txn(), "your room's members on other nodes"));
        }
        meter.relayed(message.action());
    }

    @Override
    public void ping(ClientMessage.Ping message) {
        started();
        reply(new ServerMessage.Pong(message.txn()));
    }

    @Override
    public void ack(ClientMessage.Ack message) {
        started();
        var carried = session;
        if (carried != null) {
            carried.mailbox.acknowledge(message.seq());
        }
    }

    /**
     * Takes up a detached (or half-open) session on this connection; failing, the socket stays open and unstarted. A
     * failed resume counts as a refusal toward the flood limit, so guessing tokens gets a client closed 4029.
     */
    private void resume(ClientMessage.Hello hello) {
        synchronized (this) {
            if (gone) {
                return;
            }
            if (peer != null) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "this connection has started already; resume on a new one");
            }
        }
        Session taken;
        try {
            taken = sessions.resume(hello.resume(), this, outbox,
                    (resumed, token) -> welcome(hello.txn(), resumed, token, true));
        } catch (ProtocolException refused) {
            if (refused.code() == ErrorCode.RESUME_FAILED && !policy.refused(nanoClock.getAsLong())) {
                LOG.log(Level.WARNING, () -> "Closing a connection that kept presenting resume tokens that fail");
                close(CloseCode.FLOODING);
            }
            throw refused;
        }
        policy.adopt(taken.budget);
        boolean closedMeanwhile;
        synchronized (this) {
            closedMeanwhile = gone;
            if (!closedMeanwhile) {
                session = taken;
                peer = taken.peer;
                peer.connectedFrom(link.remoteEndpoint());
            }
        }
        if (closedMeanwhile) {
            sessions.detach(taken, this, outbox, LeaveReason.DISCONNECTED); // it was taken up by a connection already gone
        }
    }

    /** The welcome of {@code started}, to be resumed next with {@code token} (unless resume is off). */
    private ServerMessage.Welcome welcome(String txn, Session started, ResumeToken token, boolean resumed) {
        var grace = settings.resume().graceMs();
        var resume = grace == 0 ? null : new ServerMessage.ResumeGrant(token.text(), grace);
        return new ServerMessage.Welcome(txn, started.peer.id(), settings.heartbeat(), settings.limits(),
                sessions.iceServersFor(started.turnUser()), resume, resumed);
    }

    /**
     * Tells the client that its message {@code txn}, bound for {@code whom} on another node, may not have arrived: the
     * store the nodes share did not take it in time. It comes later than the message's handling, from the cluster's thread.
     */
    private void lostOnTheWay(String txn, String whom) {
        reply(new ServerMessage.Problem(txn, ErrorCode.UNAVAILABLE,
                "the cluster's store did not take this message for " + whom + " in time: it may not have arrived"));
    }

    /** Refuses a hello or start without a valid token: the client is told why, and the connection is closed 4001. */
    private void unauthorized(String txn, String why) {
        reply(new ServerMessage.Problem(txn, ErrorCode.UNAUTHORIZED, why));
        close(CloseCode.UNAUTHORIZED);
    }

    /** A reply to this connection's client: numbered through its session's mailbox if it has one. */
    private void reply(ServerMessage message) {
        if (message instanceof ServerMessage.Problem problem) {
            meter.refused(problem.code());
        }
        var frame = Frame.of(message);
        var carried = session;
        if (carried == null) {
            outbox.send(frame);
        } else {
            var sends = new Sends();
            carried.mailbox.offer(frame, sends);
            sends.run();
        }
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

    /** Tells the meter how this connection closed: the first time only. */
    private void countClose(int code) {
        if (closeCounted.compareAndSet(false, true)) {
            meter.closed(code);
        }
    }

    /**
     * Sends the close frame once the write in flight has ended; a slow consumer's at once, since its write in flight
     * waits for a reader that stopped reading.
     */
    private void sendClose(CloseCode code) {
        if (code == CloseCode.SLOW_CONSUMER) {
            outbox.close();
            link.close(code);
        } else {
            outbox.close(() -> link.close(code), nanoClock.getAsLong());
        }
    }

    /** A write failed: the connection is broken, and ends as if it had dropped. */
    private void failed(Throwable failure) {
        LOG.log(Level.DEBUG, () -> "Sending to " + who() + " failed; closing the connection", failure);
        close(CloseCode.SEND_FAILED);
    }

    /** The session of this connection, opened now if this is its first hello; null if the connection is gone. */
    private synchronized Peer startSession(Grant grant) {
        if (gone) {
            return null;
        }
        if (peer == null) {
            var opened = sessions.open(this, outbox, policy.budget(), grant);
            opened.peer.removableBy(reason -> sessions.kick(opened, reason));
            opened.peer.connectedFrom(link.remoteEndpoint());
            session = opened;
            peer = opened.peer;
        }
        return peer;
    }

    /** The seed-mode peer of this connection, registered now if this is its first start; null if the connection is gone. */
    private synchronized Peer startPeer() {
        if (gone) {
            return null;
        }
        if (peer == null) {
            peer = rooms.connect(outbox);
            peer.removableBy(this::kick);
            peer.connectedFrom(link.remoteEndpoint());
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

    /** The connection dropped without the client meaning to go: its session waits for a resume; a seed peer is gone. */
    private void drop(LeaveReason otherwise) {
        depart(carried -> sessions.detach(carried, this, outbox, otherwise), otherwise);
    }

    /** The client went on purpose, or broke a rule: its session ends (its room hears {@code reason}), or its seed peer goes. */
    private void leave(LeaveReason reason) {
        depart(carried -> sessions.end(carried, reason), reason);
    }

    /** Once only: hands this connection's session to {@code ofSession}, or takes its seed peer out with {@code reason}. */
    private void depart(Consumer<Session> ofSession, LeaveReason reason) {
        Session carried;
        Peer started;
        synchronized (this) {
            if (gone) {
                return;
            }
            gone = true;
            carried = session;
            started = peer;
        }
        if (carried != null) {
            ofSession.accept(carried);
        } else if (started != null) {
            rooms.disconnect(started, reason);
        }
    }

    private String who() {
        var started = peer;
        return started == null ? "an unstarted connection" : started.toString();
    }
}
