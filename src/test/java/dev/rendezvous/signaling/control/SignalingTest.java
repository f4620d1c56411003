package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.Member;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.protocol.Signal;
import dev.rendezvous.protocol.SignalFields;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher and its connection's life, without a container: links are lists, time is a number. */
class SignalingTest {

    private static final RoomName ROOM = new RoomName("r");

    private long now = 1_000_000_000L;
    private final Rooms rooms = new Rooms(3, true);
    private final ManualScheduler timers = new ManualScheduler();
    private final Sessions sessions = new Sessions(rooms, Settings.defaults(), timers);

    private record Connection(Signaling signaling, FakeLink link) {
        PeerId id() {
            return ((ServerMessage.Welcome) link.written.get(0).message()).peerId();
        }

        void receive(ClientMessage message) {
            signaling.receive(message);
        }
    }

    /** What the connections counted, in order, as a meter sees it. */
    private final List<String> counted = Collections.synchronizedList(new ArrayList<>());
    private final Meter meter = new Meter() {
        @Override
        public void received(String action) {
            counted.add("received " + action);
        }

        @Override
        public void relayed(String action) {
            counted.add("relayed " + action);
        }

        @Override
        public void refused(ErrorCode code) {
            counted.add("refused " + code.wireName());
        }

        @Override
        public void closed(int code) {
            counted.add("closed " + code);
        }

        @Override
        public void joined(long nanos) {
            counted.add("joined after " + nanos);
        }
    };

    private Connection open(Settings settings) {
        var link = new FakeLink();
        return new Connection(new Signaling(rooms, sessions, new Gatekeeper(settings), settings, link, Runnable::run,
                () -> now, meter), link);
    }

    private Connection hello(Settings settings) {
        var connection = open(settings);
        connection.receive(new ClientMessage.Hello("h", 1));
        return connection;
    }

    private Connection hello() {
        return hello(Settings.defaults());
    }

    private Connection joined(String displayName) {
        var connection = hello();
        connection.receive(new ClientMessage.Join("j", ROOM, new DisplayName(displayName)));
        return connection;
    }

    private static Settings settings(Map<String, String> values) {
        return Settings.read(name -> Optional.ofNullable(values.get(name)));
    }

    @Test
    void theMeterCountsEachMessageRelayErrorJoinAndCloseOnce() {
        var ann = joined("Ann");
        var bob = joined("Bob");
        counted.clear();

        ann.receive(new ClientMessage.Relay("o", Signal.OFFER, bob.id(), SignalFields.NONE));
        ann.receive(new ClientMessage.Post("m", null, Json.createValue("hi")));
        ann.receive(new ClientMessage.Relay("x", Signal.ANSWER, new PeerId("nobody"), SignalFields.NONE));
        now += 1_000;
        bob.signaling.closed(1000);
        bob.signaling.closed(1000);
        ann.signaling.close(CloseCode.HEARTBEAT_TIMEOUT);
        ann.signaling.closed(1006);

        assertEquals(List.of("received offer", "relayed offer", "received message", "relayed message", "received answer",
                "refused peer-not-found", "closed 1000", "closed " + CloseCode.HEARTBEAT_TIMEOUT.code()), counted);
    }

    @Test
    void aJoinIsTimedFromItsArrivalUntilJoinedIsQueued() {
        var ann = hello();
        counted.clear();

        ann.receive(new ClientMessage.Join("j", ROOM, new DisplayName("Ann")));

        assertEquals(List.of("received join", "joined after 0"), counted, "the clock did not move: nothing waited");
    }

    @Test
    void welcomeNamesAFreshPeerAndTheConfiguredLimits() {
        var ann = hello(settings(Map.of("rendezvous.rate.burst", "7")));
        var welcome = assertInstanceOf(ServerMessage.Welcome.class, ann.link.last());
        assertEquals("h", welcome.txn());
        assertEquals(7, welcome.limits().burst());
        assertEquals(ann.id(), rooms.find(ann.id()).id());
    }

    @Test
    void helloTwiceKeepsThePeerId() {
        var ann = hello();
        ann.receive(new ClientMessage.Hello("again", 1));
        assertEquals(ann.id(), ((ServerMessage.Welcome) ann.link.last()).peerId());
        assertEquals(1, rooms.peerCount());
    }

    @Test
    void earlierMembersArePoliteTowardTheNewcomerWhoIsImpoliteTowardThem() {
        var ann = joined("Ann");
        var bob = joined("Bob");
        var joined = assertInstanceOf(ServerMessage.Joined.class, bob.link.last());
        assertEquals(List.of(new Member(ann.id(), new DisplayName("Ann"), true)), joined.peers());
        assertEquals(new ServerMessage.PeerJoined(ROOM, new Member(bob.id(), new DisplayName("Bob"), false)), ann.link.last());
    }

    @Test
    void aFullRoomRefusesAndChangesNothing() {
        var members = List.of(joined("A"), joined("B"), joined("C"));
        var late = hello();
        late.receive(new ClientMessage.Join("late", ROOM, new DisplayName("D")));
        assertEquals(new ServerMessage.Problem("late", ErrorCode.ROOM_FULL, "room r is full (3 peers)"), late.link.last());
        assertEquals(4, members.get(0).link.written.size(), "welcome, joined, two peer-joined; nothing about the refused peer");
    }

    @Test
    void aFullRoomRefusesAMemberOfAnotherRoomWhoStaysWhereItWas() {
        List.of(joined("A"), joined("B"), joined("C"));
        var mover = hello();
        var other = new RoomName("other");
        mover.receive(new ClientMessage.Join("1", other, null));
        mover.receive(new ClientMessage.Join("2", ROOM, null));
        assertInstanceOf(ServerMessage.Problem.class, mover.link.last());
        assertEquals(other, rooms.find(mover.id()).room().name());
    }

    @Test
    void theLastToLeaveRemovesTheRoom() {
        var ann = joined("Ann");
        var bob = joined("Bob");
        assertEquals(1, rooms.roomCount());
        ann.receive(new ClientMessage.Leave("l"));
        assertEquals(new ServerMessage.Left("l", ROOM), ann.link.last());
        assertEquals(new ServerMessage.PeerLeft(ROOM, ann.id(), LeaveReason.LEFT), bob.link.last());
        bob.signaling.closed(1000);
        assertEquals(0, rooms.roomCount());
        assertEquals(1, rooms.peerCount());
    }

    @Test
    void aRelayCarriesTheSendersIdWhateverTheClientClaims() {
        var ann = joined("Ann");
        var bob = joined("Bob");
        var data = SignalFields.of(Json.createObjectBuilder().add("to", ann.id().value()).add("from", "forged").build());
        bob.receive(new ClientMessage.Relay("o", Signal.OFFER, ann.id(), data));
        var relayed = assertInstanceOf(ServerMessage.Relayed.class, ann.link.last());
        assertEquals(bob.id(), relayed.from());
    }

    @Test
    void aRelayTheClusterLosesOnItsWayToAnotherNodeIsAnsweredUnavailableWithItsTxn() {
        var elsewhere = new PeerId("BBBBBBBBBBBBBBBBBBBBBB");
        var lost = new ArrayList<Runnable>();
        var cluster = new Cluster() {
            @Override
            public boolean on() {
                return true;
            }

            @Override
            public String node() {
                return "here";
            }

            @Override
            public java.util.concurrent.CompletionStage<Whereabouts> locate(PeerId peer) {
                return java.util.concurrent.CompletableFuture.completedFuture(new Whereabouts("there", null));
            }

            @Override
            public void relay(String node, PeerId to, RoomName room, Frame frame, Runnable lostOnTheWay) {
                assertEquals("there", node);
                lost.add(lostOnTheWay);
            }
        };
        var clustered = new Rooms(3, true, dev.rendezvous.signaling.entity.RoomEvents.NONE, cluster);
        var link = new FakeLink();
        var ann = new Signaling(clustered, new Sessions(clustered, Settings.defaults(), timers), new Gatekeeper(Settings.defaults()),
                Settings.defaults(), link, Runnable::run, () -> now, meter);
        ann.receive(new ClientMessage.Hello("h", 1));
        ann.receive(new ClientMessage.Relay("o1", Signal.OFFER, elsewhere, SignalFields.NONE));
        ann.receive(new ClientMessage.Post("m1", elsewhere, Json.createValue("hi")));
        assertEquals(1, link.written.size(), "nothing is answered while the store may still take them");

        lost.forEach(Runnable::run); // the store did not take them in time
        var offer = assertInstanceOf(ServerMessage.Problem.class, link.written.get(1).message());
        var message = assertInstanceOf(ServerMessage.Problem.class, link.written.get(2).message());
        assertEquals(List.of("o1 unavailable", "m1 unavailable"), List.of(offer.txn() + " " + offer.code().wireName(),
                message.txn() + " " + message.code().wireName()));
        assertTrue(offer.message().contains("peer " + elsewhere), offer.message());
        assertEquals(2, counted.stream().filter("refused unavailable"::equals).count(), "each counted as refused");
    }

    @Test
    void directCallsCanBeTurnedOff() {
        var off = settings(Map.of("rendezvous.direct-calls", "false"));
        var rooms = new Rooms(3, false);
        var annLink = new FakeLink();
        var bobLink = new FakeLink();
        var offSessions = new Sessions(rooms, off, timers);
        var ann = new Signaling(rooms, offSessions, new Gatekeeper(off), off, annLink, Runnable::run, () -> now);
        var bob = new Signaling(rooms, offSessions, new Gatekeeper(off), off, bobLink, Runnable::run, () -> now);
        ann.receive(new ClientMessage.Hello("h", 1));
        bob.receive(new ClientMessage.Hello("h", 1));
        var bobId = ((ServerMessage.Welcome) bobLink.last()).peerId();
        ann.receive(new ClientMessage.Relay("o", Signal.OFFER, bobId, SignalFields.NONE));
        assertEquals(ErrorCode.NOT_IN_ROOM, ((ServerMessage.Problem) annLink.last()).code());
        assertEquals(1, bobLink.written.size(), "only bob's welcome");
    }

    @Test
    void messagesOverTheRateAreRefusedAndAFloodIsClosed() {
        var ann = hello(settings(Map.of("rendezvous.rate.burst", "2", "rendezvous.rate.messages-per-second", "1",
                "rendezvous.rate.flood-close-after", "3")));
        ann.receive(new ClientMessage.Ping("1")); // the hello took the first token
        ann.receive(new ClientMessage.Ping("2"));
        assertEquals(ErrorCode.RATE_LIMITED, ((ServerMessage.Problem) ann.link.last()).code());
        now += TimeUnit.SECONDS.toNanos(1);
        ann.receive(new ClientMessage.Ping("3"));
        assertEquals(new ServerMessage.Pong("3"), ann.link.last(), "a second later one token is back");
        // three refusals are tolerated (one already spent, 0.3 forgiven over the second); the next closes
        ann.receive(new ClientMessage.Ping("flood"));
        ann.receive(new ClientMessage.Ping("flood"));
        assertEquals(List.of(), ann.link.closes);
        ann.receive(new ClientMessage.Ping("flood"));
        var answered = ann.link.written.size();
        ann.receive(new ClientMessage.Ping("after the close"));
        assertEquals(answered, ann.link.written.size(), "nothing is answered once the close is decided");
        // the close frame waits until the flood stops, so that it is not lost to a reset of the connection
        ann.signaling.tick(now);
        assertEquals(List.of(), ann.link.closes);
        now += ConnectionPolicy.QUIET_BEFORE_CLOSE;
        ann.signaling.tick(now);
        assertEquals(List.of(CloseCode.FLOODING), ann.link.closes);
        now += ConnectionPolicy.CLOSE_WAIT_LIMIT;
        ann.signaling.tick(now);
        assertEquals(List.of(CloseCode.FLOODING), ann.link.closes, "closed once");
    }

    @Test
    void aFloodThatNeverStopsIsClosedAfterTheCloseWaitLimit() {
        var ann = hello(settings(Map.of("rendezvous.rate.burst", "1", "rendezvous.rate.messages-per-second", "1",
                "rendezvous.rate.flood-close-after", "1")));
        ann.receive(new ClientMessage.Ping("refused"));
        ann.receive(new ClientMessage.Ping("closes"));
        var decided = now;
        while (now - decided < ConnectionPolicy.CLOSE_WAIT_LIMIT) {
            ann.signaling.tick(now);
            assertEquals(List.of(), ann.link.closes, "still flooding, not yet at the limit");
            now += ConnectionPolicy.QUIET_BEFORE_CLOSE / 2;
            ann.receive(new ClientMessage.Ping("flood"));
        }
        ann.signaling.tick(now);
        assertEquals(List.of(CloseCode.FLOODING), ann.link.closes);
    }

    @Test
    void aSilentConnectionIsClosedAtOnceWhenTheCloseIsDecided() {
        var ann = hello(Settings.defaults());
        now += ConnectionPolicy.QUIET_BEFORE_CLOSE;
        ann.signaling.close(CloseCode.SLOW_CONSUMER);
        assertEquals(List.of(CloseCode.SLOW_CONSUMER), ann.link.closes);
    }

    @Test
    void aConnectionWithoutHelloIsClosedAfterTheHelloTimeout() {
        var silent = open(Settings.defaults());
        now += TimeUnit.SECONDS.toNanos(10);
        silent.signaling.tick(now);
        assertTrue(silent.link.closes.isEmpty());
        now += 1;
        silent.signaling.tick(now);
        assertEquals(List.of(CloseCode.HELLO_TIMEOUT), silent.link.closes);
    }

    @Test
    void pingsGoOutEveryIntervalAndSilenceBeyondTheTimeoutClosesWithTimeoutForTheRoom() {
        var ann = joined("Ann");
        var bob = joined("Bob");
        for (var second = 1; second <= 50; second++) {
            now += TimeUnit.SECONDS.toNanos(1);
            ann.signaling.heard();
            ann.signaling.tick(now);
            bob.signaling.tick(now);
        }
        assertEquals(2, ann.link.pings, "one ping per 20 s interval");
        assertTrue(bob.link.closes.isEmpty(), "50 s of silence is the limit, not over it");
        now += 1;
        bob.signaling.tick(now);
        assertEquals(List.of(CloseCode.HEARTBEAT_TIMEOUT), bob.link.closes);
        assertEquals(new ServerMessage.PeerState(ROOM, bob.id(), ServerMessage.PeerState.Connectivity.RECONNECTING),
                ann.link.last(), "the room hears at once, before the container reports the close, that bob may come back");
        timers.advance(java.time.Duration.ofMillis(Settings.defaults().resume().graceMs()));
        assertEquals(new ServerMessage.PeerLeft(ROOM, bob.id(), LeaveReason.TIMEOUT), ann.link.last(),
                "and, when the grace runs out, that it timed out");
    }

    @Test
    void aConnectionBusySendingIsPingedAtTheNextTickInstead() {
        var ann = joined("Ann");
        ann.link.hold();
        ann.signaling.outbox().send(Frame.of(new ServerMessage.Pong("busy")));
        now += TimeUnit.SECONDS.toNanos(20);
        ann.signaling.tick(now);
        assertEquals(0, ann.link.pings);
        ann.link.completeOne();
        now += TimeUnit.SECONDS.toNanos(1);
        ann.signaling.tick(now);
        assertEquals(1, ann.link.pings, "the ping skipped while busy goes out at the next tick");
        now += TimeUnit.SECONDS.toNanos(1);
        ann.signaling.tick(now);
        assertEquals(1, ann.link.pings, "and the interval counts from then");
    }

    @Test
    @Timeout(10)
    void aPingThatNeverCompletesStallsNeitherTheHeartbeatNorTheOtherConnections() {
        var pinger = Executors.newCachedThreadPool();
        var stuck = new CountDownLatch(1);
        try {
            var stalled = new FakeLink() {
                @Override
                public void ping() {
                    try {
                        stuck.await(); // a socket whose buffer is full: the container's ping blocks
                    } catch (InterruptedException released) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            var healthy = new FakeLink();
            var blocked = new Signaling(rooms, sessions, new Gatekeeper(Settings.defaults()), Settings.defaults(), stalled, pinger, () -> now);
            var alive = new Signaling(rooms, sessions, new Gatekeeper(Settings.defaults()), Settings.defaults(), healthy, Runnable::run, () -> now);
            blocked.receive(new ClientMessage.Hello("h", 1));
            alive.receive(new ClientMessage.Hello("h", 1));
            for (var second = 1; second <= 60; second++) {
                now += TimeUnit.SECONDS.toNanos(1);
                alive.heard();
                blocked.tick(now); // this very thread goes on although that ping never completes
                alive.tick(now);
            }
            assertEquals(3, healthy.pings, "the other connection is pinged every 20 s all along");
            assertEquals(List.of(CloseCode.HEARTBEAT_TIMEOUT), stalled.closes, "and the stalled one still times out");
            assertTrue(healthy.closes.isEmpty());
        } finally {
            stuck.countDown();
            pinger.shutdownNow();
        }
    }

    @Test
    void aFailedWriteEndsTheConnectionAndDetachesItsSession() {
        var ann = joined("Ann");
        var bob = joined("Bob");
        bob.link.hold();
        ann.receive(new ClientMessage.Post("m", bob.id(), Json.createValue("hi")));
        bob.link.failOne(new IOException("broken pipe"));
        assertEquals(new ServerMessage.PeerState(ROOM, bob.id(), ServerMessage.PeerState.Connectivity.RECONNECTING), ann.link.last());
        ann.receive(new ClientMessage.Post("m2", bob.id(), Json.createValue("still there?")));
        assertInstanceOf(ServerMessage.PeerState.class, ann.link.last(), "a message to a detached peer waits for it, no error");
        now += ConnectionPolicy.CLOSE_WAIT_LIMIT;
        bob.signaling.tick(now);
        assertEquals(List.of(CloseCode.SEND_FAILED), bob.link.closes);
    }

    @Test
    void aReaderThatOverflowsItsOutboxLeavesItsRoomOnTheSendersThread() {
        var ann = joined("Ann");
        var slow = joined("Slow");
        slow.link.hold();
        var payload = Json.createValue("x".repeat(60_000));
        for (var i = 0; i < 20; i++) {
            ann.receive(new ClientMessage.Post("m" + i, slow.id(), payload));
        }
        var lastToAnn = ann.link.messages().stream().filter(message -> message instanceof ServerMessage.PeerState
                || message instanceof ServerMessage.PeerLeft).toList();
        assertEquals(List.of(new ServerMessage.PeerState(ROOM, slow.id(), ServerMessage.PeerState.Connectivity.RECONNECTING),
                        new ServerMessage.PeerLeft(ROOM, slow.id(), LeaveReason.DISCONNECTED)), lastToAnn,
                "the byte bound (1 MiB) is reached within 20 frames of 60,000 characters, which detaches the session;"
                        + " the frames kept for it then no longer fit, which ends it; no other thread was needed");
        now += ConnectionPolicy.QUIET_BEFORE_CLOSE;
        slow.signaling.tick(now);
        assertEquals(List.of(CloseCode.SLOW_CONSUMER), slow.link.closes, "its close frame goes out at the next tick");
        assertEquals(ErrorCode.PEER_NOT_FOUND, ((ServerMessage.Problem) ann.link.last()).code(),
                "what ann sent after it left is answered peer-not-found");
    }

    @Test
    void aHelloRacingACloseRegistersNoPeer() {
        var silent = open(Settings.defaults());
        silent.signaling.close(CloseCode.HELLO_TIMEOUT);
        silent.signaling.hello(new ClientMessage.Hello("late", 1)); // the container was already inside receive
        assertEquals(0, rooms.peerCount());
        assertTrue(silent.link.messages().stream().noneMatch(ServerMessage.Welcome.class::isInstance));
    }

    @Test
    void aJoinThatArrivesAfterTheCloseDecisionSeatsNobody() {
        var members = List.of(joined("A"), joined("B"));
        var late = hello();
        late.signaling.close(CloseCode.FLOODING);
        late.signaling.join(new ClientMessage.Join("j", ROOM, null)); // dispatched just before the close was decided
        var third = joined("C");
        assertInstanceOf(ServerMessage.Joined.class, third.link.last(), "the seat was not taken by the closed peer");
        assertEquals(2, ((ServerMessage.Joined) third.link.last()).peers().size());
        members.forEach(member -> assertTrue(member.link.messages().stream().noneMatch(message ->
                message instanceof ServerMessage.PeerJoined joined && joined.peer().peerId().equals(late.id()))));
    }

    @Test
    void aFailingHandlerAnswersInternalAndTheConnectionGoesOn() {
        var broken = new Rooms(3, true) {
            @Override
            public void join(dev.rendezvous.signaling.entity.Peer peer, RoomName name, DisplayName displayName, String txn) {
                throw new IllegalStateException("boom");
            }
        };
        var link = new FakeLink();
        var ann = new Signaling(broken, new Sessions(broken, Settings.defaults(), timers), new Gatekeeper(Settings.defaults()),
                Settings.defaults(), link, Runnable::run, () -> now);
        ann.receive(new ClientMessage.Hello("h", 1));
        ann.receive(new ClientMessage.Join("j", ROOM, null));
        assertEquals(ErrorCode.INTERNAL, ((ServerMessage.Problem) link.last()).code());
        ann.receive(new ClientMessage.Ping("p"));
        assertEquals(new ServerMessage.Pong("p"), link.last());
    }
}
