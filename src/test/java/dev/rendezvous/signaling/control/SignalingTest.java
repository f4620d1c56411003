package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.Member;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.protocol.Signal;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher and rooms, without a container: links are lists, time is a number. */
class SignalingTest {

    private static final RoomName ROOM = new RoomName("r");

    private long now = 1_000_000_000L;
    private final Rooms rooms = new Rooms(3);

    private final class FakeLink implements Link {
        final List<ServerMessage> sent = new ArrayList<>();
        final List<CloseCode> closes = new ArrayList<>();
        int pings;
        boolean busy;

        @Override
        public void send(ServerMessage message) {
            sent.add(message);
        }

        @Override
        public boolean ping() {
            if (busy) {
                return false;
            }
            pings++;
            return true;
        }

        @Override
        public void close(CloseCode code) {
            closes.add(code);
        }

        ServerMessage last() {
            return sent.get(sent.size() - 1);
        }
    }

    private record Connection(Signaling signaling, FakeLink link) {
        PeerId id() {
            return ((ServerMessage.Welcome) link.sent.get(0)).peerId();
        }

        void receive(ClientMessage message) {
            signaling.receive(message);
        }
    }

    private Connection open(Settings settings) {
        var link = new FakeLink();
        return new Connection(new Signaling(rooms, settings, link, () -> now,
                Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC)), link);
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
        connection.receive(new ClientMessage.Join("j", ROOM, displayName));
        return connection;
    }

    private static Settings settings(Map<String, String> values) {
        return Settings.read(name -> Optional.ofNullable(values.get(name)));
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
        assertEquals(List.of(new Member(ann.id(), "Ann", true)), joined.peers());
        assertEquals(new ServerMessage.PeerJoined(ROOM, new Member(bob.id(), "Bob", false)), ann.link.last());
    }

    @Test
    void aFullRoomRefusesAndChangesNothing() {
        var members = List.of(joined("A"), joined("B"), joined("C"));
        var late = hello();
        late.receive(new ClientMessage.Join("late", ROOM, "D"));
        assertEquals(new ServerMessage.Problem("late", ErrorCode.ROOM_FULL, "room r is full (3 peers)"), late.link.last());
        assertEquals(4, members.get(0).link.sent.size(), "welcome, joined, two peer-joined; nothing about the refused peer");
    }

    @Test
    void aFullRoomRefusesAMemberOfAnotherRoomWhoStaysWhereItWas() {
        List.of(joined("A"), joined("B"), joined("C"));
        var mover = hello();
        var other = new RoomName("other");
        mover.receive(new ClientMessage.Join("1", other, "M"));
        mover.receive(new ClientMessage.Join("2", ROOM, "M"));
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
        bob.signaling.closed();
        assertEquals(0, rooms.roomCount());
        assertEquals(1, rooms.peerCount());
    }

    @Test
    void aRelayCarriesTheSendersIdWhateverTheClientClaims() {
        var ann = joined("Ann");
        var bob = joined("Bob");
        var data = Json.createObjectBuilder().add("to", ann.id().value()).add("from", "forged").build();
        bob.receive(new ClientMessage.Relay("o", Signal.OFFER, ann.id(), data));
        var relayed = assertInstanceOf(ServerMessage.Relayed.class, ann.link.last());
        assertEquals(bob.id(), relayed.from());
    }

    @Test
    void directCallsCanBeTurnedOff() {
        var off = settings(Map.of("rendezvous.direct-calls", "false"));
        var ann = hello(off);
        var bob = hello(off);
        ann.receive(new ClientMessage.Relay("o", Signal.OFFER, bob.id(), Json.createObjectBuilder().build()));
        assertEquals(ErrorCode.NOT_IN_ROOM, ((ServerMessage.Problem) ann.link.last()).code());
        assertEquals(1, bob.link.sent.size(), "only bob's welcome");
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
        var answered = ann.link.sent.size();
        ann.receive(new ClientMessage.Ping("after the close"));
        assertEquals(answered, ann.link.sent.size(), "nothing is answered once the close is decided");
        // the close frame waits until the flood stops, so that it is not lost to a reset of the connection
        ann.signaling.tick(now);
        assertEquals(List.of(), ann.link.closes);
        now += Signaling.QUIET_BEFORE_CLOSE;
        ann.signaling.tick(now);
        assertEquals(List.of(CloseCode.FLOODING), ann.link.closes);
        now += Signaling.CLOSE_WAIT_LIMIT;
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
        while (now - decided < Signaling.CLOSE_WAIT_LIMIT) {
            ann.signaling.tick(now);
            assertEquals(List.of(), ann.link.closes, "still flooding, not yet at the limit");
            now += Signaling.QUIET_BEFORE_CLOSE / 2;
            ann.receive(new ClientMessage.Ping("flood"));
        }
        ann.signaling.tick(now);
        assertEquals(List.of(CloseCode.FLOODING), ann.link.closes);
    }

    @Test
    void aSilentConnectionIsClosedAtOnceWhenTheCloseIsDecided() {
        var ann = hello(Settings.defaults());
        now += Signaling.QUIET_BEFORE_CLOSE;
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
        bob.signaling.closed();
        assertEquals(new ServerMessage.PeerLeft(ROOM, bob.id(), LeaveReason.TIMEOUT), ann.link.last());
    }

    @Test
    void aConnectionBusySendingIsPingedAtTheNextTickInstead() {
        var ann = joined("Ann");
        ann.link.busy = true;
        now += TimeUnit.SECONDS.toNanos(20);
        ann.signaling.tick(now);
        assertEquals(0, ann.link.pings);
        ann.link.busy = false;
        now += TimeUnit.SECONDS.toNanos(1);
        ann.signaling.tick(now);
        assertEquals(1, ann.link.pings, "the ping skipped while busy goes out at the next tick");
        now += TimeUnit.SECONDS.toNanos(1);
        ann.signaling.tick(now);
        assertEquals(1, ann.link.pings, "and the interval counts from then");
    }

    @Test
    void aFailingHandlerAnswersInternalAndTheConnectionGoesOn() {
        var broken = new Rooms(3) {
            @Override
            public void join(dev.rendezvous.signaling.entity.Peer peer, RoomName name, String displayName, String txn) {
                throw new IllegalStateException("boom");
            }
        };
        var link = new FakeLink();
        var ann = new Signaling(broken, Settings.defaults(), link, () -> now, Clock.systemUTC());
        ann.receive(new ClientMessage.Hello("h", 1));
        ann.receive(new ClientMessage.Join("j", ROOM, null));
        assertEquals(ErrorCode.INTERNAL, ((ServerMessage.Problem) link.last()).code());
        ann.receive(new ClientMessage.Ping("p"));
        assertEquals(new ServerMessage.Pong("p"), link.last());
    }
}
