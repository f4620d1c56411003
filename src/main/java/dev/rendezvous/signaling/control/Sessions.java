package dev.rendezvous.signaling.control;

import dev.rendezvous.access.Grant;
import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.ResumeFailure;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.signaling.entity.Sends;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * The protocol-1 sessions, by resume token: how a session opens, detaches when its connection drops without the
 * client meaning to go, waits out its grace, is taken up again by a resume on any connection, and ends. Each change
 * is decided under the session's lock, and what the room hears of it ({@code peer-state}) is queued in the same step,
 * so a room hears {@code reconnecting} and {@code connected} in the order they happened. Tokens of sessions that
 * expired or lost frames are remembered for one more grace, so a late resume is told why.
 */
@ApplicationScoped
public class Sessions {

    private final ConcurrentMap<String, Session> byToken = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Ended> ended = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private Rooms rooms;
    private Settings settings;
    private Clock clock = Clock.systemUTC();
    /** The container's timers, which end graces and forget old tokens. */
    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    private ScheduledExecutorService scheduler;

    @Inject
    public Sessions(Rooms rooms, Settings settings) {
        this.rooms = rooms;
        this.settings = settings;
    }

    /** Without a container: {@code scheduler} ends the graces and renews TURN credentials, by the time of {@code clock}. */
    public Sessions(Rooms rooms, Settings settings, ScheduledExecutorService scheduler, Clock clock) {
        this(rooms, settings);
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Without a container: {@code scheduler} ends the graces and renews TURN credentials. */
    public Sessions(Rooms rooms, Settings settings, ScheduledExecutorService scheduler) {
        this(rooms, settings, scheduler, Clock.systemUTC());
    }

    /** For the CDI proxy only. */
    protected Sessions() {
    }

    /** A session whose token, or why it is gone, is remembered for one grace after it ended. */
    private record Ended(ResumeToken token, ResumeFailure why) {
    }

    /**
     * A fresh session, carried by {@code carrier}, whose frames go to {@code outbox}, which spends {@code budget} and
     * holds {@code grant} (null with access control off). With TURN configured, it gets fresh credentials
     * ({@code ice-servers}) every {@link IceServers#refreshEvery} until it ends, detached or not.
     */
    Session open(Signaling carrier, Outbox outbox, RateBudget budget, Grant grant) {
        var token = ResumeToken.fresh(random);
        var self = new AtomicReference<Session>();
        var mailbox = new Mailbox(settings.resume().keepMessages(), settings.resume().keepBytes(), () -> lost(self.get()));
        var peer = rooms.connect(mailbox, grant == null ? null : grant.userId());
        var session = new Session(peer, mailbox, budget, grant, token, carrier);
        self.set(session);
        mailbox.attach(outbox, 0, null, new Sends());
        byToken.put(token.id(), session);
        var ice = settings.iceServers();
        if (ice.hasTurn()) {
            var every = ice.refreshEvery().toMillis();
            session.refreshesBy(scheduler.scheduleAtFixedRate(() -> refresh(session), every, every, TimeUnit.MILLISECONDS));
        }
        return session;
    }

    /** The ICE servers {@code user} is handed now, in a welcome or a refresh. */
    List<IceServer> iceServersFor(String user) {
        return settings.iceServers().forUser(user, clock.instant());
    }

    /**
     * Takes up the session of {@code request}'s token on {@code carrier}: {@code outbox} gets its welcome (made by
     * {@code greeting} with the session's peer and next token), then every frame after {@code lastSeq}, and what comes
     * next. A half-open connection that still carries it is closed 4005; a detached one's room hears {@code connected}.
     *
     * @throws ProtocolException {@code resume-failed} (expired, unknown, gap) or {@code bad-request} ({@code lastSeq}
     *                           beyond what was sent), with nothing changed unless it is a gap, which ends the session
     */
    Session resume(ClientMessage.Resume request, Signaling carrier, Outbox outbox, BiFunction<Session, ResumeToken, ServerMessage> greeting) {
        var presented = ResumeToken.parse(request.token()).orElse(null);
        var session = presented == null ? null : byToken.get(presented.id());
        if (session == null || !session.token().matches(presented)) {
            throw refusal(presented);
        }
        var next = ResumeToken.fresh(random);
        var welcome = Frame.of(greeting.apply(session, next));
        var back = announcement(session, ServerMessage.PeerState.Connectivity.CONNECTED);
        var sends = new Sends();
        Signaling halfOpen;
        synchronized (session) {
            if (session.state() == Session.State.ENDED || !session.token().matches(presented)) {
                throw refusal(presented); // ended or taken up by another resume meanwhile
            }
            if (request.lastSeq() > session.mailbox.lastSeq()) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "lastSeq " + request.lastSeq()
                        + " is beyond the last message sent to this session (" + session.mailbox.lastSeq() + ")");
            }
            var wasDetached = session.state() == Session.State.DETACHED;
            if (session.mailbox.attach(outbox, request.lastSeq(), welcome, sends) == Mailbox.Replay.GAP) {
                halfOpen = session.carrier();
                session.end();
                forget(session, ResumeFailure.GAP);
            } else {
                halfOpen = session.takenUpBy(carrier, next);
                byToken.remove(presented.id(), session);
                byToken.put(next.id(), session);
                if (wasDetached) {
                    rooms.announce(session.peer, back, sends);
                }
            }
        }
        if (halfOpen != null) {
            halfOpen.resumedElsewhere();
        }
        if (session.state() == Session.State.ENDED) {
            sessionGone(session, LeaveReason.DISCONNECTED);
            throw ProtocolException.resumeFailed(ResumeFailure.GAP, "a message after lastSeq " + request.lastSeq()
                    + " is no longer kept; the session has ended: say hello afresh");
        }
        sends.run();
        return session;
    }

    /**
     * {@code dropped}, which carried the session, is gone without the client meaning it: the session waits for a
     * resume until the grace runs out, keeping its seat; its room hears {@code reconnecting}. With resume turned off
     * the session ends at once.
     */
    void detach(Session session, Signaling dropped, Outbox outbox, LeaveReason otherwise) {
        if (settings.resume().graceMs() == 0) {
            end(session, otherwise);
            return;
        }
        var away = announcement(session, ServerMessage.PeerState.Connectivity.RECONNECTING);
        var sends = new Sends();
        synchronized (session) {
            var number = session.detachedFrom(dropped);
            if (number < 0) {
                return;
            }
            session.mailbox.detach(outbox);
            rooms.announce(session.peer, away, sends);
            session.expiresBy(number, scheduler.schedule(() -> expire(session, number), settings.resume().graceMs(), TimeUnit.MILLISECONDS));
        }
        sends.run();
    }

    /** The session is gone on purpose (the client closed, or broke a rule): its room hears why; its token is dead. */
    void end(Session session, LeaveReason reason) {
        if (session.end()) {
            forget(session, null);
            sessionGone(session, reason);
        }
    }

    /**
     * An operator removes the session: its connection, if one carries it, is closed 4010 with {@code reason}; a detached
     * one simply ends. Either way its room hears {@code peer-left} {@code kicked} and its token is dead.
     */
    void kick(Session session, String reason) {
        var carrier = session.carrier();
        if (carrier != null) {
            carrier.kick(reason);
        }
        end(session, LeaveReason.KICKED); // nothing more if the carrier ended it already
    }

    public int sessionCount() {
        return byToken.size();
    }

    /** Sends {@code session} fresh TURN credentials: numbered, and kept for a resume like any other message. */
    private void refresh(Session session) {
        var fresh = Frame.of(new ServerMessage.IceServersUpdate(iceServersFor(session.turnUser())));
        var sends = new Sends();
        session.mailbox.offer(fresh, sends);
        sends.run();
    }

    private void expire(Session session, long number) {
        if (session.expire(number)) {
            forget(session, ResumeFailure.EXPIRED);
            sessionGone(session, LeaveReason.TIMEOUT);
        }
    }

    /** A detached session's frames no longer fit: it cannot be resumed without a gap, and ends. */
    private void lost(Session session) {
        if (session.end()) {
            forget(session, ResumeFailure.GAP);
            sessionGone(session, LeaveReason.DISCONNECTED);
        }
    }

    private void forget(Session session, ResumeFailure remembered) {
        var token = session.token();
        byToken.remove(token.id(), session);
        if (remembered != null && settings.resume().graceMs() > 0) {
            var entry = new Ended(token, remembered);
            ended.put(token.id(), entry);
            Runnable forgetIt = () -> ended.remove(token.id(), entry);
            scheduler.schedule(forgetIt, settings.resume().graceMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void sessionGone(Session session, LeaveReason reason) {
        session.mailbox.close();
        rooms.disconnect(session.peer, reason);
    }

    private ProtocolException refusal(ResumeToken presented) {
        var gone = presented == null ? null : ended.get(presented.id());
        var why = gone != null && gone.token().matches(presented) ? gone.why() : ResumeFailure.UNKNOWN;
        return ProtocolException.resumeFailed(why, switch (why) {
            case EXPIRED -> "the session waited " + settings.resume().graceMs() + " ms for a resume and ended: say hello afresh";
            case GAP -> "the session lost messages while it waited and ended: say hello afresh";
            case UNKNOWN -> "no session has this token (it was used already, or the session ended): say hello afresh";
        });
    }

    /** What the session's room hears of it, encoded before any lock is taken; null if it is in no room. */
    private static Frame announcement(Session session, ServerMessage.PeerState.Connectivity state) {
        var room = session.peer.room();
        return room == null ? null : Frame.of(new ServerMessage.PeerState(room.name(), session.peer.id(), state));
    }
}
