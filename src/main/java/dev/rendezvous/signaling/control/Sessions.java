package dev.rendezvous.signaling.control;

import dev.rendezvous.access.Grant;
import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.ResumeFailure;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.signaling.entity.Peer;
import dev.rendezvous.signaling.entity.Sends;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /** How long a resume waits for the node that holds the session to hand it over. */
    private static final Duration HANDOVER_WAIT = Duration.ofSeconds(5);

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
        held(token, null, peer.id(), grant);
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
        if (session == null && presented != null && rooms.cluster().on()) {
            return resumeElsewhere(request, presented, carrier, outbox, greeting);
        }
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
                held(next, presented, session.peer.id(), session.grant);
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
            var cluster = rooms.cluster();
            session.mailbox.detach(outbox, cluster.on() ? new KeptElsewhere(cluster, session.peer.id()) : null);
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

    /**
     * In a cluster: takes up on {@code carrier} the session of {@code presented}, which another node holds. That node
     * hands over the session's peer, seat and the frames after {@code lastSeq}; this one numbers them on, and takes the
     * peer's place in its room on every node.
     *
     * @throws ProtocolException {@code resume-failed} as {@link #resume} does, or {@code unavailable} if the store or the
     *                           holder does not answer
     */
    private Session resumeElsewhere(ClientMessage.Resume request, ResumeToken presented, Signaling carrier, Outbox outbox,
                                    BiFunction<Session, ResumeToken, ServerMessage> greeting) {
        var next = ResumeToken.fresh(random);
        var adopted = new AtomicReference<Session>();
        Cluster.Handover handover;
        try {
            handover = rooms.cluster().takeOver(presented.id(), request.token(), request.lastSeq(),
                    arrived -> adopted.set(adopt(arrived, carrier, next))).toCompletableFuture()
                    .get(HANDOVER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw unanswered(adopted);
        } catch (ExecutionException | TimeoutException failed) {
            throw unanswered(adopted);
        }
        if (handover == null) {
            throw refusal(presented);
        }
        switch (handover.outcome()) {
            case Cluster.Handover.OK -> {
                // taken: below
            }
            case "ahead" -> throw new ProtocolException(ErrorCode.BAD_REQUEST, "lastSeq " + request.lastSeq()
                    + " is beyond the last message sent to this session");
            case "gap" -> throw ProtocolException.resumeFailed(ResumeFailure.GAP, "a message after lastSeq "
                    + request.lastSeq() + " is no longer kept; the session has ended: say hello afresh");
            default -> throw refusal(presented);
        }
        var session = adopted.get();
        var welcome = Frame.of(greeting.apply(session, next));
        var sends = new Sends();
        if (session.mailbox.attach(outbox, request.lastSeq(), welcome, sends) == Mailbox.Replay.GAP) {
            session.end(); // what was handed over did not fit what a session may keep
            forget(session, ResumeFailure.GAP);
            sessionGone(session, LeaveReason.DISCONNECTED);
            throw ProtocolException.resumeFailed(ResumeFailure.GAP, "more was sent after lastSeq " + request.lastSeq()
                    + " than a session keeps; the session has ended: say hello afresh");
        }
        held(next, presented, session.peer.id(), session.grant);
        sends.run();
        return session;
    }

    /**
     * The holder did not answer in time: the client is told {@code unavailable}; a session handed over all the same
     * waits here, detached, and ends when its grace runs out.
     */
    private ProtocolException unanswered(AtomicReference<Session> adopted) {
        var late = adopted.get();
        if (late != null) {
            detach(late, late.carrier(), null, LeaveReason.DISCONNECTED);
        }
        return new ProtocolException(ErrorCode.UNAVAILABLE, "the node that holds this session did not answer; try again");
    }

    /**
     * In a cluster: a session another node handed over after this one stopped waiting for it. Its client was told
     * {@code unavailable}; the session waits here, detached, so its room hears {@code reconnecting} and then, when the
     * grace runs out, {@code peer-left}: nothing is held forever.
     */
    public void orphaned(Cluster.Handover handover) {
        var token = ResumeToken.fresh(random);
        var session = adopt(handover, null, token);
        held(token, null, session.peer.id(), session.grant);
        detach(session, null, null, LeaveReason.DISCONNECTED);
    }

    /**
     * Makes here the session another node handed over: its peer, with the frames it had kept, numbered on; carried by
     * {@code carrier} (null: none yet), to be resumed next with {@code token}. Runs on the thread that applies the
     * cluster's news.
     */
    private Session adopt(Cluster.Handover handover, Signaling carrier, ResumeToken token) {
        var self = new AtomicReference<Session>();
        var mailbox = new Mailbox(settings.resume().keepMessages(), settings.resume().keepBytes(), () -> lost(self.get()),
                handover.lastSeq() + 1);
        var sends = new Sends();
        for (var json : handover.frames()) {
            mailbox.offer(Frame.encoded(json), sends);
        }
        var peer = rooms.adopt(handover.peer(), handover.userId(), mailbox, handover.room(), handover.capacity(),
                handover.members());
        var session = new Session(peer, mailbox, new RateBudget(settings, System.nanoTime()), handover.grant(), token, carrier);
        self.set(session);
        peer.removableBy(reason -> kick(session, reason));
        byToken.put(token.id(), session);
        var ice = settings.iceServers();
        if (ice.hasTurn()) {
            var every = ice.refreshEvery().toMillis();
            session.refreshesBy(scheduler.scheduleAtFixedRate(() -> refresh(session), every, every, TimeUnit.MILLISECONDS));
        }
        sends.run();
        return session;
    }

    /**
     * In a cluster: node {@code to} asks, for its request {@code request}, for the session of {@code token}, whose client
     * read up to {@code lastSeq} and resumes there. The session moves: its frames after {@code lastSeq} go to that node,
     * and what arrives for it here after them is forwarded; a half-open connection that carried it is closed 4005;
     * its room, on every node, has it carried there. Runs on the thread that applies the cluster's news.
     */
    public void release(String token, long lastSeq, String to, String request) {
        var cluster = rooms.cluster();
        var presented = ResumeToken.parse(token).orElse(null);
        var session = presented == null ? null : byToken.get(presented.id());
        if (session == null || !session.token().matches(presented)) {
            cluster.handOver(to, request, Cluster.Handover.refused("unknown"));
            return;
        }
        var peer = session.peer;
        Signaling halfOpen;
        boolean detached;
        RoomName room;
        synchronized (session) {
            if (session.state() == Session.State.ENDED || !session.token().matches(presented)) {
                cluster.handOver(to, request, Cluster.Handover.refused("unknown"));
                return;
            }
            if (lastSeq > session.mailbox.lastSeq()) {
                cluster.handOver(to, request, Cluster.Handover.refused("ahead"));
                return;
            }
            detached = session.state() == Session.State.DETACHED;
            var seated = peer.room();
            room = seated == null ? null : seated.name();
            var snapshot = seated == null ? null : seated.snapshot();
            var members = snapshot == null ? List.<Cluster.Member>of() : snapshot.peers().stream()
                    .map(occupant -> new Cluster.Member(occupant.peerId(), occupant.displayName(), occupant.userId(),
                            occupant.node() == null ? cluster.node() : occupant.node(), occupant.joinedAt(), occupant.remoteAddress()))
                    .toList();
            var capacity = snapshot == null ? 0 : snapshot.capacity();
            Peer.Outbox forward = (frame, sends) -> sends.add(() -> cluster.forward(to, peer.id(), frame));
            var handedOver = session.mailbox.handOver(lastSeq, forward, frames -> cluster.handOver(to, request,
                    new Cluster.Handover(Cluster.Handover.OK, peer.id(), peer.userId(), session.grant, lastSeq, frames,
                            room, capacity, members, detached)));
            if (!handedOver) {
                cluster.handOver(to, request, Cluster.Handover.refused("gap"));
                halfOpen = session.carrier();
                session.end();
            } else {
                halfOpen = session.movedAway();
                byToken.remove(presented.id(), session);
            }
        }
        if (session.state() == Session.State.ENDED && !session.movedOut()) { // a gap: it ends, as a gap here would
            if (halfOpen != null) {
                halfOpen.resumedElsewhere();
            }
            forget(session, ResumeFailure.GAP);
            sessionGone(session, LeaveReason.DISCONNECTED);
            return;
        }
        if (halfOpen != null) {
            halfOpen.resumedElsewhere();
        }
        rooms.movedAway(peer);
        rooms.news().movedAway(peer.id(), to);
        cluster.moved(peer.id(), room, to, detached);
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

    /** In a cluster, the store learns this node holds the session of {@code token} now, and {@code previous} (or null) is gone. */
    private void held(ResumeToken token, ResumeToken previous, PeerId peer, Grant grant) {
        var cluster = rooms.cluster();
        if (cluster.on()) {
            cluster.sessionHeld(token.id(), token.text(), previous == null ? null : previous.id(), peer, grant);
        }
    }

    private void forget(Session session, ResumeFailure remembered) {
        var token = session.token();
        byToken.remove(token.id(), session);
        rooms.cluster().sessionEnded(token.id());
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
