package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.signaling.entity.Peer;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * One connection's signaling: the single place that dispatches client messages, after the rate limit, and that
 * decides when the connection has been silent or unstarted for too long. The sender of everything it relays is the
 * peer this connection started as; nothing a client writes can change that.
 *
 * <p>The container calls {@link #receive} and {@link #refuse} for one connection one at a time; {@link #tick} comes
 * from the heartbeat's thread and only reads what they write.
 */
public final class Signaling implements ClientMessage.Handler {

    private static final System.Logger LOG = System.getLogger(Signaling.class.getName());
    /** Refusals are forgiven at {@code floodCloseAfter} per this many seconds. */
    private static final double FLOOD_WINDOW_SECONDS = 10;
    /** How long the client must have sent nothing before the close frame goes out. */
    static final long QUIET_BEFORE_CLOSE = TimeUnit.MILLISECONDS.toNanos(100);
    /** The longest the close frame waits for a client that keeps sending. */
    static final long CLOSE_WAIT_LIMIT = TimeUnit.SECONDS.toNanos(2);

    private final Rooms rooms;
    private final Settings settings;
    private final Link link;
    private final LongSupplier nanoClock;
    private final Clock wallClock;
    private final TokenBucket rate;
    private final TokenBucket patience;
    private final long openedAt;
    private final long helloTimeout;
    private final long heartbeatInterval;
    private final long heartbeatTimeout;

    private volatile Peer peer;
    private volatile long lastHeard;
    private final AtomicReference<Closing> closing = new AtomicReference<>();
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private long lastPing;

    public Signaling(Rooms rooms, Settings settings, Link link, LongSupplier nanoClock, Clock wallClock) {
        this.rooms = rooms;
        this.settings = settings;
        this.link = link;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.openedAt = nanoClock.getAsLong();
        this.lastHeard = openedAt;
        this.lastPing = openedAt;
        this.rate = new TokenBucket(settings.limits().messagesPerSecond(), settings.limits().burst(), openedAt);
        this.patience = new TokenBucket(settings.floodCloseAfter() / FLOOD_WINDOW_SECONDS, settings.floodCloseAfter(), openedAt);
        this.helloTimeout = settings.helloTimeout().toNanos();
        this.heartbeatInterval = TimeUnit.MILLISECONDS.toNanos(settings.heartbeat().intervalMs());
        this.heartbeatTimeout = TimeUnit.MILLISECONDS.toNanos(settings.heartbeat().timeoutMs());
    }

    /** Handles one valid message from the client. */
    public void receive(ClientMessage message) {
        heard();
        if (closing.get() != null || !withinRate(message.txn())) {
            return;
        }
        try {
            message.dispatchTo(this);
        } catch (ProtocolException refused) {
            link.send(refused.answering(message.txn()).toReply());
        } catch (RuntimeException failure) {
            LOG.log(Level.ERROR, () -> "Failed to handle " + message.getClass().getSimpleName() + " from " + who(), failure);
            link.send(new ServerMessage.Problem(message.txn(), ErrorCode.INTERNAL, "the server failed to handle this message"));
        }
    }

    /** Answers a message that could not be read; it counts against the rate limit like any other. */
    public void refuse(ProtocolException refused) {
        heard();
        if (closing.get() == null && withinRate(refused.txn())) {
            link.send(refused.toReply());
        }
    }

    /** Notes that the client is alive: any frame, pongs included. */
    public void heard() {
        lastHeard = nanoClock.getAsLong();
    }

    /**
     * Closes the connection with {@code code}. The peer leaves its room and the registry now, not when the container
     * finishes the close handshake, which a dead peer may stall for seconds. From now on nothing the client sends is
     * handled; the close frame itself goes out once the client is quiet (see {@link #sendCloseWhenQuiet}).
     */
    public void close(CloseCode code) {
        var now = nanoClock.getAsLong();
        if (!closing.compareAndSet(null, new Closing(code, now))) {
            return;
        }
        depart(code == CloseCode.HEARTBEAT_TIMEOUT ? LeaveReason.TIMEOUT : LeaveReason.DISCONNECTED);
        sendCloseWhenQuiet(now);
    }

    /** The connection is gone: the peer leaves its room and the registry, if it has not already. */
    public void closed() {
        depart(LeaveReason.DISCONNECTED);
    }

    private void depart(LeaveReason reason) {
        var started = peer;
        if (started != null) {
            rooms.disconnect(started, reason);
        }
    }

    /**
     * The heartbeat's look at this connection at {@code now}: close it if it never said hello or went silent,
     * otherwise ping it when a ping is due.
     */
    public void tick(long now) {
        if (closing.get() != null) {
            sendCloseWhenQuiet(now);
            return;
        }
        if (peer == null && now - openedAt > helloTimeout) {
            close(CloseCode.HELLO_TIMEOUT);
        } else if (now - lastHeard > heartbeatTimeout) {
            close(CloseCode.HEARTBEAT_TIMEOUT);
        } else if (now - lastPing >= heartbeatInterval && link.ping()) {
            lastPing = now; // a connection busy sending is pinged at a later tick
        }
    }

    /**
     * Sends the decided close frame once the client has sent nothing for {@link #QUIET_BEFORE_CLOSE}, or
     * {@link #CLOSE_WAIT_LIMIT} after the decision at the latest; the heartbeat's ticks check again. A close frame sent
     * while frames are still arriving is often lost: a container that ends the connection right after sending it
     * (Payara's Tyrus does) has unread frames left, so its TCP stack resets the connection, and the client's stack
     * drops whatever it had not yet read, the close frame included (a flooder then saw 1006 instead of 4029).
     */
    private void sendCloseWhenQuiet(long now) {
        var decided = closing.get();
        if (now - lastHeard < QUIET_BEFORE_CLOSE && now - decided.since() < CLOSE_WAIT_LIMIT) {
            return;
        }
        if (closeSent.compareAndSet(false, true)) {
            link.close(decided.code());
        }
    }

    @Override
    public void hello(ClientMessage.Hello message) {
        var started = start();
        link.send(new ServerMessage.Welcome(message.txn(), started.id(), settings.heartbeat(), settings.limits(),
                settings.iceServers().forPeer(started.id(), wallClock.instant())));
    }

    @Override
    public void start(ClientMessage.Start message) {
        link.send(new ServerMessage.Started(message.txn(), start().id()));
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
        link.send(new ServerMessage.Left(message.txn(), room));
    }

    @Override
    public void relay(ClientMessage.Relay message) {
        var sender = started();
        reachable(sender, message.to()).send(new ServerMessage.Relayed(message.signal(), sender.id(), message.data()));
    }

    @Override
    public void post(ClientMessage.Post message) {
        var sender = started();
        var posted = new ServerMessage.Posted(sender.id(), message.payload());
        if (message.to() != null) {
            reachable(sender, message.to()).send(posted);
            return;
        }
        var room = sender.room();
        if (room == null) {
            throw new ProtocolException(ErrorCode.NOT_IN_ROOM, "a message without data.to goes to your room, and you are in none");
        }
        room.broadcast(sender, posted);
    }

    @Override
    public void ping(ClientMessage.Ping message) {
        started();
        link.send(new ServerMessage.Pong(message.txn()));
    }

    /** The peer {@code sender} may address: a member of its room, or, outside rooms, any peer outside rooms. */
    private Peer reachable(Peer sender, PeerId to) {
        if (to.equals(sender.id())) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "a message cannot be addressed to its sender");
        }
        var target = rooms.find(to);
        if (target == null) {
            throw new ProtocolException(ErrorCode.PEER_NOT_FOUND, "no peer " + to + " is connected");
        }
        if (sender.room() == null && target.room() == null) {
            if (!settings.directCalls()) {
                throw new ProtocolException(ErrorCode.NOT_IN_ROOM, "direct calls are turned off: join a room first");
            }
            return target;
        }
        if (!sender.sharesRoomWith(target)) {
            throw new ProtocolException(ErrorCode.NOT_SAME_ROOM, "peer " + to + " is not in your room");
        }
        return target;
    }

    private Peer start() {
        var started = peer;
        if (started == null) {
            started = rooms.connect(link::send);
            peer = started;
        }
        return started;
    }

    private Peer started() {
        var started = peer;
        if (started == null) {
            throw new ProtocolException(ErrorCode.NOT_STARTED, "send hello (or start) first");
        }
        return started;
    }

    /**
     * Takes a token for one message. Over the rate, the message is refused {@code rate-limited}; a client that keeps
     * sending anyway (more than {@code floodCloseAfter} refusals within about ten seconds) is closed 4029.
     */
    private boolean withinRate(String txn) {
        var now = nanoClock.getAsLong();
        if (rate.tryTake(now)) {
            return true;
        }
        if (!patience.tryTake(now)) {
            LOG.log(Level.WARNING, () -> "Closing " + who() + ": it kept sending over the rate limit after "
                    + settings.floodCloseAfter() + " refusals");
            close(CloseCode.FLOODING);
        } else {
            link.send(new ServerMessage.Problem(txn, ErrorCode.RATE_LIMITED,
                    "over " + settings.limits().messagesPerSecond() + " messages/s; this message was dropped"));
        }
        return false;
    }

    private String who() {
        var started = peer;
        return started == null ? "an unstarted connection" : started.toString();
    }

    /** The close decided for this connection, and when. */
    private record Closing(CloseCode code, long since) {
    }
}
