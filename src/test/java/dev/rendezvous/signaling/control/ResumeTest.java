package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ResumeFailure;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.protocol.ServerMessage.PeerState.Connectivity;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session resume without a container: connections are fake links, the grace is a manual clock. */
class ResumeTest {

    private static final RoomName ROOM = new RoomName("r");
    private static final long GRACE_MS = 30_000;

    private long now = 1_000_000_000L;
    private final Rooms rooms = new Rooms(3, true);
    private final ManualScheduler timers = new ManualScheduler();
    private final Server server = new Server(settings(Map.of()));

    private static Settings settings(Map<String, String> values) {
        return Settings.read(name -> Optional.ofNullable(values.get(name)));
    }

    /** One socket: its signaling and what it was sent. */
    private final class Socket {
        final FakeLink link = new FakeLink();
        final Signaling signaling;

        Socket(Sessions sessions, Settings settings) {
            signaling = new Signaling(rooms, sessions, new Gatekeeper(settings), settings, link, Runnable::run, () -> now);
        }

        void send(ClientMessage message) {
            signaling.receive(message);
        }

        ServerMessage last() {
            return link.last();
        }

        long lastSeq() {
            return link.seqs.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        ServerMessage.Welcome welcome() {
            return (ServerMessage.Welcome) link.messages().stream().filter(ServerMessage.Welcome.class::isInstance)
                    .reduce((first, second) -> second).orElseThrow();
        }

        PeerId id() {
            return welcome().peerId();
        }

        String token() {
            return welcome().resume().token();
        }
    }

    /** One server's sessions under its settings, and sockets to it. */
    private final class Server {
        final Settings settings;
        final Sessions sessions;

        Server(Settings settings) {
            this.settings = settings;
            this.sessions = new Sessions(rooms, settings, timers);
        }

        Socket socket() {
            return new Socket(sessions, settings);
        }

        Socket hello() {
            var socket = socket();
            socket.send(new ClientMessage.Hello("h", 1));
            return socket;
        }

        Socket joined() {
            var socket = hello();
            socket.send(new ClientMessage.Join("j", ROOM, null));
            return socket;
        }

        Socket resume(String token, long lastSeq) {
            var socket = socket();
            socket.send(new ClientMessage.Hello("r", 1, new ClientMessage.Resume(token, lastSeq)));
            return socket;
        }
    }

    /** A server of its own, with these settings. */
    private Server server(Map<String, String> values) {
        return new Server(settings(values));
    }

    private Socket hello() {
        return server.hello();
    }

    private Socket joined() {
        return server.joined();
    }

    private Socket resume(String token, long lastSeq) {
        return server.resume(token, lastSeq);
    }

    /** Drops the socket without a close frame, as a network does: the container reports 1006. */
    private static void drop(Socket socket) {
        socket.signaling.closed(1006);
    }

    private void message(Socket from, Socket to, String text) {
        from.send(new ClientMessage.Post("m", to.id(), Json.createValue(text)));
    }

    @Test
    void welcomeCarriesASingleUseTokenOfAtLeast128BitsAndNoSeqAndEverythingAfterItIsNumbered() {
        var ann = joined();
        var welcome = ann.welcome();
        assertEquals(false, welcome.resumed());
        assertEquals(GRACE_MS, welcome.resume().graceMs());
        assertTrue(welcome.resume().token().matches("[A-Za-z0-9_-]{43}"), welcome.resume().token());
        assertNotEquals(welcome.peerId().value(), welcome.resume().token());
        ann.send(new ClientMessage.Ping("p"));
        assertEquals(List.of(0L, 1L, 2L), ann.link.seqs, "welcome none; then joined 1, pong 2");
    }

    @Test
    void aSecondHelloOnALiveSessionAnswersTheSameIdAndToken() {
        var ann = hello();
        var first = ann.welcome();
        ann.send(new ClientMessage.Hello("again", 1));
        assertEquals(first.peerId(), ann.welcome().peerId());
        assertEquals(first.resume().token(), ann.welcome().resume().token());
    }

    @Test
    void aDroppedSessionKeepsItsSeatAndItsRoomHearsReconnectingAndMessagesForItWait() {
        var ann = joined();
        var bob = joined();
        drop(bob);
        assertEquals(new ServerMessage.PeerState(ROOM, bob.id(), Connectivity.RECONNECTING), ann.last());
        message(ann, bob, "are you there?");
        assertInstanceOf(ServerMessage.PeerState.class, ann.last(), "no error: the message waits");
        assertEquals(ROOM, rooms.find(bob.id()).room().name(), "the seat is kept");
    }

    @Test
    void aResumeReplaysEverythingAfterLastSeqInOrderWithItsOwnSeqThenLiveTrafficGoesOn() {
        var ann = joined();
        var bob = joined();
        message(ann, bob, "one");
        var readUpTo = bob.lastSeq(); // bob read "one"
        message(ann, bob, "two"); // sent, never read
        drop(bob);
        message(ann, bob, "three"); // queued while detached
        var back = resume(bob.token(), readUpTo);
        var welcome = assertInstanceOf(ServerMessage.Welcome.class, back.link.written.get(0).message());
        assertEquals(bob.id(), welcome.peerId());
        assertTrue(welcome.resumed());
        assertNotEquals(bob.token(), welcome.resume().token(), "a fresh token for the next time");
        assertEquals(List.of("two", "three"), back.link.messages().stream().filter(ServerMessage.Posted.class::isInstance)
                .map(posted -> ((ServerMessage.Posted) posted).payload().toString().replace("\"", "")).toList());
        assertEquals(List.of(0L, readUpTo + 1, readUpTo + 2), back.link.seqs, "the welcome, then the original numbers");
        message(ann, bob, "four");
        assertEquals(readUpTo + 3, back.lastSeq(), "live traffic continues the sequence");
        assertEquals(new ServerMessage.PeerState(ROOM, bob.id(), Connectivity.CONNECTED), ann.last());
    }

    @Test
    void aTokenResumesOnceAndThenIsUnknown() {
        var bob = joined();
        var token = bob.token();
        drop(bob);
        resume(token, bob.lastSeq());
        var again = resume(token, bob.lastSeq());
        assertEquals(new ServerMessage.Problem("r", ErrorCode.RESUME_FAILED, ((ServerMessage.Problem) again.last()).message(),
                ResumeFailure.UNKNOWN), again.last());
        assertEquals(1, again.link.written.size(), "the socket stays open and unstarted");
    }

    @Test
    void whenTheGraceRunsOutTheRoomHearsTimeoutTheSeatIsFreeAndALateResumeIsToldExpired() {
        var ann = joined();
        var bob = joined();
        joined();
        drop(bob);
        timers.advance(Duration.ofMillis(GRACE_MS - 1));
        assertInstanceOf(ServerMessage.PeerState.class, ann.last(), "not yet");
        timers.advance(Duration.ofMillis(1));
        assertEquals(new ServerMessage.PeerLeft(ROOM, bob.id(), LeaveReason.TIMEOUT), ann.last());
        assertInstanceOf(ServerMessage.Joined.class, joined().last(), "the seat is free again");
        var late = resume(bob.token(), 0);
        assertEquals(ResumeFailure.EXPIRED, ((ServerMessage.Problem) late.last()).reason());
        timers.advance(Duration.ofMillis(GRACE_MS));
        assertEquals(ResumeFailure.UNKNOWN, ((ServerMessage.Problem) resume(bob.token(), 0).last()).reason(),
                "an expired token is remembered for one more grace, not for ever");
    }

    @Test
    void aCloseWithNormalClosureOrNoCodeEndsTheSessionAtOnceWithoutPeerStateAndItsTokenIsDead() {
        for (var code : List.of(1000, 1005)) {
            var ann = joined();
            var bob = joined();
            bob.signaling.closed(code);
            assertEquals(new ServerMessage.PeerLeft(ROOM, bob.id(), LeaveReason.DISCONNECTED), ann.last(), "code " + code);
            assertTrue(ann.link.messages().stream().noneMatch(ServerMessage.PeerState.class::isInstance));
            assertEquals(ResumeFailure.UNKNOWN, ((ServerMessage.Problem) resume(bob.token(), 0).last()).reason());
            ann.signaling.closed(1000);
        }
    }

    @Test
    void leaveOnlyLeavesTheRoomAndTheSessionLivesOn() {
        var ann = joined();
        var bob = joined();
        bob.send(new ClientMessage.Leave("l"));
        assertEquals(new ServerMessage.PeerLeft(ROOM, bob.id(), LeaveReason.LEFT), ann.last());
        bob.send(new ClientMessage.Ping("still"));
        assertEquals(new ServerMessage.Pong("still"), bob.last());
    }

    @Test
    void aFullRoomKeepsTheDetachedPeersSeatAndTheResumedPeerIsStillInIt() {
        var ann = joined();
        var bob = joined();
        joined();
        drop(bob);
        var fourth = hello();
        fourth.send(new ClientMessage.Join("j", ROOM, null));
        assertEquals(ErrorCode.ROOM_FULL, ((ServerMessage.Problem) fourth.last()).code());
        var back = resume(bob.token(), bob.lastSeq());
        back.send(new ClientMessage.Post("m", ann.id(), Json.createValue("I am back")));
        assertEquals(bob.id(), ((ServerMessage.Posted) ann.last()).from(), "still a member: it reaches the room");
    }

    @Test
    void whatIsQueuedWhileDetachedAndNoLongerFitsEndsTheSessionAndAResumeIsToldGap() {
        var tight = server(Map.of("rendezvous.resume.queue-messages", "16"));
        var ann = tight.joined();
        var bob = tight.joined();
        drop(bob);
        for (var i = 0; i < 20; i++) {
            message(ann, bob, "m" + i);
        }
        assertEquals(new ServerMessage.PeerLeft(ROOM, bob.id(), LeaveReason.DISCONNECTED), ann.link.messages().stream()
                .filter(ServerMessage.PeerLeft.class::isInstance).findFirst().orElseThrow());
        var late = tight.resume(bob.token(), bob.lastSeq());
        assertEquals(ResumeFailure.GAP, ((ServerMessage.Problem) late.last()).reason());
    }

    @Test
    void aResumeFromBeforeWhatIsStillKeptIsAGapAndEndsTheSession() {
        var tight = server(Map.of("rendezvous.resume.queue-messages", "16"));
        var ann = tight.joined();
        var bob = tight.joined();
        for (var i = 0; i < 40; i++) {
            message(ann, bob, "m" + i); // bob reads them, and never acknowledges: the oldest are dropped
        }
        drop(bob);
        var late = tight.resume(bob.token(), 1);
        assertEquals(ResumeFailure.GAP, ((ServerMessage.Problem) late.last()).reason());
        assertEquals(new ServerMessage.PeerLeft(ROOM, bob.id(), LeaveReason.DISCONNECTED), ann.last());
    }

    @Test
    void acknowledgedMessagesAreForgottenAndANewerResumeStillWorks() {
        var ann = joined();
        var bob = joined();
        message(ann, bob, "one");
        bob.send(new ClientMessage.Ack(null, bob.lastSeq()));
        var acked = bob.link.written.size();
        assertEquals(acked, bob.link.written.size(), "an ack is not answered");
        drop(bob);
        var back = resume(bob.token(), bob.lastSeq());
        assertEquals(1, back.link.written.size(), "nothing after lastSeq: just the welcome");
    }

    @Test
    void aLastSeqBeyondWhatWasSentIsABadRequestAndChangesNothing() {
        var bob = joined();
        drop(bob);
        var wrong = resume(bob.token(), bob.lastSeq() + 5);
        assertEquals(ErrorCode.BAD_REQUEST, ((ServerMessage.Problem) wrong.last()).code());
        assertTrue(((ServerMessage.Welcome) resume(bob.token(), bob.lastSeq()).link.written.get(0).message()).resumed(),
                "the token still works");
    }

    @Test
    void aHalfOpenOldSocketIsClosed4005AndSentNothingMoreAndTheRoomHearsNothing() {
        var ann = joined();
        var bob = joined();
        var heardBefore = ann.link.written.size();
        var back = resume(bob.token(), bob.lastSeq()); // bob's old socket never closed
        assertEquals(List.of(CloseCode.RESUMED_ELSEWHERE), closesAfterQuiet(bob));
        message(ann, bob, "to the new socket");
        assertInstanceOf(ServerMessage.Posted.class, back.last());
        assertTrue(bob.link.messages().stream().noneMatch(ServerMessage.Posted.class::isInstance), "the old socket gets nothing");
        assertEquals(heardBefore, ann.link.written.size(), "the room heard nothing: bob never looked away");
        bob.signaling.closed(1006); // the old socket's close, reported late, changes nothing
        message(ann, bob, "still there");
        assertInstanceOf(ServerMessage.Posted.class, back.last());
    }

    @Test
    void aResumeRacingTheOldSocketsDeathEndsWithTheSessionCarriedByTheNewSocket() {
        // the server decides the old socket is dead only after the resume took the session over...
        var ann = joined();
        var bob = joined();
        var back = resume(bob.token(), bob.lastSeq());
        now += TimeUnit.SECONDS.toNanos(60);
        bob.signaling.tick(now); // its heartbeat timeout comes late
        message(ann, bob, "after the race");
        assertInstanceOf(ServerMessage.Posted.class, back.last());
        // ...or just before it: detached, then taken up, then the old socket's close arrives
        var carol = joined();
        drop(carol);
        var carolBack = resume(carol.token(), carol.lastSeq());
        carol.signaling.closed(1006);
        message(ann, carol, "after the other race");
        assertInstanceOf(ServerMessage.Posted.class, carolBack.last());
        assertTrue(ann.link.messages().stream().noneMatch(ServerMessage.PeerLeft.class::isInstance), "nobody left");
    }

    @Test
    void aResumedSessionKeepsItsRateBudget() {
        var strict = server(Map.of("rendezvous.rate.burst", "3", "rendezvous.rate.messages-per-second", "1"));
        var bob = strict.hello();
        bob.send(new ClientMessage.Ping("1"));
        bob.send(new ClientMessage.Ping("2")); // the hello and two pings: the burst is spent
        drop(bob);
        var back = strict.resume(bob.token(), bob.lastSeq());
        back.send(new ClientMessage.Ping("3"));
        assertEquals(ErrorCode.RATE_LIMITED, ((ServerMessage.Problem) back.last()).code(),
                "the new socket spends what the session had left, not a fresh burst");
    }

    @Test
    void failedResumesCountTowardTheFloodCloseSoTokensCannotBeGuessed() {
        var guesser = server.socket();
        var answered = 0;
        for (var i = 0; i < 150; i++) {
            guesser.send(new ClientMessage.Hello("g", 1, new ClientMessage.Resume("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + (i % 10), 0)));
            now += TimeUnit.MILLISECONDS.toNanos(1);
            answered = guesser.link.written.size();
        }
        assertTrue(answered <= 105, "answered " + answered + " guesses: about flood-close-after (100), and what refilled meanwhile");
        assertEquals(List.of(CloseCode.FLOODING), closesAfterQuiet(guesser), "closed after flood-close-after (100) failures");
    }

    @Test
    void aTimedOutOrSlowSocketDetachesWhileAFloodEndsTheSession() {
        var ann = joined();
        var timedOut = joined();
        now += TimeUnit.SECONDS.toNanos(51);
        ann.signaling.heard();
        timedOut.signaling.tick(now);
        assertEquals(new ServerMessage.PeerState(ROOM, timedOut.id(), Connectivity.RECONNECTING), ann.last());
        var flooder = joined();
        flooder.signaling.close(CloseCode.FLOODING);
        assertEquals(new ServerMessage.PeerLeft(ROOM, flooder.id(), LeaveReason.DISCONNECTED), ann.last());
        assertEquals(ResumeFailure.UNKNOWN, ((ServerMessage.Problem) resume(flooder.token(), 0).last()).reason());
    }

    @Test
    void withResumeOffWelcomeCarriesNoResumeAndADropEndsTheSession() {
        var off = server(Map.of("rendezvous.resume.grace-ms", "0"));
        var ann = off.joined();
        var bob = off.hello();
        assertNull(bob.welcome().resume());
        bob.send(new ClientMessage.Join("j", ROOM, null));
        drop(bob);
        assertEquals(new ServerMessage.PeerLeft(ROOM, bob.id(), LeaveReason.DISCONNECTED), ann.last());
    }

    @Test
    void seedModeIsUnchangedNoSeqNoResume() {
        var seed = server.socket();
        seed.send(new ClientMessage.Start(null));
        seed.send(new ClientMessage.Ping("p"));
        assertEquals(List.of(0L, 0L), seed.link.seqs);
    }

    /** The close frames a socket was sent once it has been quiet long enough for them. */
    private List<CloseCode> closesAfterQuiet(Socket socket) {
        now += ConnectionPolicy.QUIET_BEFORE_CLOSE;
        socket.signaling.tick(now);
        return socket.link.closes;
    }
}
