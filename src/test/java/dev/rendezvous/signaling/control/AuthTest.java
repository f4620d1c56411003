package dev.rendezvous.signaling.control;

import dev.rendezvous.access.Tokens;
import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Access control without a container: tokens from {@link Tokens}, connections are fake links, timers a manual clock. */
class AuthTest {

    private static final RoomName STANDUP = new RoomName("standup");
    private static final Instant WALL = Instant.parse("2026-12-01T12:00:00Z");

    private long now = 1_000_000_000L;
    private final ManualScheduler timers = new ManualScheduler();
    private final Rooms rooms = new Rooms(4, true);
    private final Settings settings = Settings.read(name -> Optional.ofNullable(Map.of(
            "rendezvous.auth.jwt.secret", Tokens.SECRET,
            "rendezvous.auth.failures-per-minute", "3",
            "rendezvous.ice.turn-urls", "turn:127.0.0.1:3478",
            "rendezvous.ice.turn-secret", "coturn-secret",
            "rendezvous.ice.turn-ttl-seconds", "600").get(name)));
    private final Sessions sessions = new Sessions(rooms, settings, timers, Clock.fixed(WALL, ZoneOffset.UTC));
    private final Gatekeeper gatekeeper = new Gatekeeper(settings);

    private final class Socket {
        final FakeLink link = new FakeLink();
        final Signaling signaling = new Signaling(rooms, sessions, gatekeeper, settings, link, Runnable::run, () -> now);

        Socket() {
            this("192.0.2.1");
        }

        Socket(String remoteAddress) {
            link.remoteAddress = remoteAddress;
            signaling.opened();
        }

        Socket hello(String token) {
            signaling.receive(new ClientMessage.Hello("h", 1, null, token));
            return this;
        }

        Socket join(RoomName room, String displayName) {
            signaling.receive(new ClientMessage.Join("j", room, displayName == null ? null : new DisplayName(displayName)));
            return this;
        }

        ServerMessage last() {
            return link.last();
        }

        /** The close frame goes out once the client has been quiet: let the heartbeat look after a while. */
        List<CloseCode> closesAfterAWhile() {
            now += TimeUnit.SECONDS.toNanos(3);
            signaling.tick(now);
            return link.closes;
        }
    }

    @Test
    void aHelloWithoutAValidTokenIsAnsweredUnauthorizedAndClosed4001() {
        var socket = new Socket().hello(null);
        var refused = assertInstanceOf(ServerMessage.Problem.class, socket.last());
        assertEquals(ErrorCode.UNAUTHORIZED, refused.code());
        assertTrue(refused.message().contains("no token"), refused.message());
        assertEquals(List.of(CloseCode.UNAUTHORIZED), socket.closesAfterAWhile());
        assertEquals(0, sessions.sessionCount(), "no session was opened");
    }

    @Test
    void anExpiredTokenIsRefusedWithItsReason() {
        var expired = Tokens.hs256Changed(claims -> {
            claims.setIssuedAt(NumericDate.fromSeconds(Instant.now().getEpochSecond() - 3600));
            claims.setExpirationTimeMinutesInTheFuture(-5);
        }, "u1", "standup");
        var refused = (ServerMessage.Problem) new Socket().hello(expired).last();
        assertEquals(ErrorCode.UNAUTHORIZED, refused.code());
        assertTrue(refused.message().contains("expired"), refused.message());
    }

    @Test
    void startIsRefusedUnauthorizedWhenAuthIsOn() {
        var socket = new Socket();
        socket.signaling.receive(new ClientMessage.Start(null));
        assertEquals(ErrorCode.UNAUTHORIZED, ((ServerMessage.Problem) socket.last()).code());
        assertEquals(List.of(CloseCode.UNAUTHORIZED), socket.closesAfterAWhile());
    }

    @Test
    void aValidTokenIsWelcomedAndItsUserIdAndNameAreWhatOthersSee() {
        var ann = new Socket().hello(Tokens.hs256("user-ann", "standup")).join(STANDUP, "Ann");
        var named = Tokens.hs256Changed(claims -> claims.setClaim("name", "Robert"), "user-bob", "*");
        var bob = new Socket().hello(named).join(STANDUP, "Mallory");
        var joined = assertInstanceOf(ServerMessage.PeerJoined.class, ann.last());
        assertEquals("user-bob", joined.peer().userId());
        assertEquals(new DisplayName("Robert"), joined.peer().displayName(), "the token's name beats the client's");
        var seen = assertInstanceOf(ServerMessage.Joined.class, bob.last()).peers().get(0);
        assertEquals("user-ann", seen.userId());
        assertEquals(new DisplayName("Ann"), seen.displayName(), "without a name claim the client chooses");
    }

    @Test
    void joiningARoomTheTokenDoesNotGrantIsForbiddenAndTheSocketStaysOpen() {
        var ann = new Socket().hello(Tokens.hs256("user-ann", "standup")).join(new RoomName("board"), null);
        assertEquals(ErrorCode.FORBIDDEN, ((ServerMessage.Problem) ann.last()).code());
        ann.join(STANDUP, null);
        assertInstanceOf(ServerMessage.Joined.class, ann.last());
        assertEquals(List.of(), ann.closesAfterAWhile());
    }

    @Test
    void aSecondHelloOnALiveSessionNeedsNoToken() {
        var ann = new Socket().hello(Tokens.hs256("user-ann", "standup"));
        var first = (ServerMessage.Welcome) ann.last();
        ann.hello(null);
        assertEquals(first.peerId(), ((ServerMessage.Welcome) ann.last()).peerId());
    }

    @Test
    void aResumedSessionKeepsItsGrantWithoutTheTokenAgain() {
        var ann = new Socket().hello(Tokens.hs256("user-ann", "standup"));
        var welcome = (ServerMessage.Welcome) ann.last();
        ann.signaling.closed(1006);
        var back = new Socket();
        back.signaling.receive(new ClientMessage.Hello("r", 1, new ClientMessage.Resume(welcome.resume().token(), 0), null));
        assertTrue(((ServerMessage.Welcome) back.link.messages().get(0)).resumed());
        back.join(new RoomName("board"), null);
        assertEquals(ErrorCode.FORBIDDEN, ((ServerMessage.Problem) back.last()).code());
    }

    @Test
    void aFloodOfSocketsFromABarredAddressIsLoggedOnceAMinuteNotOncePerSocket() {
        var logger = java.util.logging.Logger.getLogger(Gatekeeper.class.getName());
        var lines = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getMessage() != null && record.getMessage().startsWith("Refusing sockets from")) {
                    lines.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            for (int i = 0; i < 3; i++) {
                new Socket().hello("garbage");
            }
            for (int i = 0; i < 500; i++) {
                assertEquals(List.of(CloseCode.UNAUTHORIZED), new Socket().link.closes);
            }
            assertEquals(1, lines.size(), lines::toString);
            now += TimeUnit.SECONDS.toNanos(61); // the window has room again, and the address fails it again
            for (int i = 0; i < 3; i++) {
                new Socket().hello("garbage");
            }
            assertEquals(List.of(CloseCode.UNAUTHORIZED), new Socket().link.closes);
            assertEquals(2, lines.size(), lines::toString);
            assertTrue(lines.get(1).contains("(499 more refused since the last such line)"), lines.get(1));
            assertTrue(lines.get(0).startsWith("Refusing sockets from 192.0.2.1"), lines.get(0));
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void anAddressThatFailedItsBudgetIsClosed4001AsSoonAsItOpensUntilTheWindowHasRoom() {
        for (int i = 0; i < 3; i++) {
            new Socket().hello("garbage");
        }
        var barred = new Socket();
        assertEquals(List.of(CloseCode.UNAUTHORIZED), barred.link.closes, "closed at once, before any hello");
        assertEquals(1, barred.link.closedOpening, "on the thread that opens it, before the container reads from it");
        barred.hello(Tokens.hs256("user-ann", "standup"));
        assertEquals(List.of(), barred.link.written, "no welcome, whatever it sends");
        var elsewhere = new Socket("198.51.100.9");
        assertEquals(List.of(), elsewhere.link.closes, "another address is not affected");
        now += TimeUnit.SECONDS.toNanos(61);
        assertInstanceOf(ServerMessage.Welcome.class, new Socket().hello(Tokens.hs256("user-ann", "standup")).last());
    }

    @Test
    void turnUsernamesNameTheUserAndFreshCredentialsArriveAtEightyPercentOfTheirLifetime() {
        var ann = new Socket().hello(Tokens.hs256("user-ann", "standup"));
        var turn = ((ServerMessage.Welcome) ann.last()).iceServers().get(0);
        assertEquals(WALL.plusSeconds(600).getEpochSecond() + ":user-ann", turn.username());
        timers.advance(Duration.ofSeconds(479));
        assertInstanceOf(ServerMessage.Welcome.class, ann.last(), "nothing before 80 % of 600 s");
        timers.advance(Duration.ofSeconds(1));
        var refresh = assertInstanceOf(ServerMessage.IceServersUpdate.class, ann.last());
        assertEquals("user-ann", refresh.iceServers().get(0).username().split(":")[1]);
        timers.advance(Duration.ofSeconds(480));
        assertEquals(2, ann.link.messages().stream().filter(ServerMessage.IceServersUpdate.class::isInstance).count());
        ann.signaling.closed(1000);
        timers.advance(Duration.ofSeconds(480 * 3));
        assertEquals(0, timers.pending(), "an ended session is refreshed no more");
    }

    @Test
    void withAuthOffAStartNeedsNoToken() {
        var open = Settings.defaults();
        var link = new FakeLink();
        var socket = new Signaling(rooms, new Sessions(rooms, open, timers), new Gatekeeper(open), open, link,
                Runnable::run, () -> now);
        socket.opened();
        socket.receive(new ClientMessage.Start(null));
        assertInstanceOf(ServerMessage.Started.class, link.last());
    }
}
