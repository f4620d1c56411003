package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.ClientMessage;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ResumeFailure;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator does to rooms and peers (kick, lock, close), and what the clients see of it; no container. */
class OperationsTest {

    private static final RoomName ROOM = new RoomName("ops");

    private final long now = 1_000_000_000L;
    private final ManualScheduler timers = new ManualScheduler();
    private final Rooms rooms = new Rooms(4, true);
    private final Settings settings = Settings.defaults();
    private final Sessions sessions = new Sessions(rooms, settings, timers);

    private final class Socket {
        final FakeLink link = new FakeLink();
        final Signaling signaling = new Signaling(rooms, sessions, new Gatekeeper(settings), settings, link, Runnable::run, () -> now);

        Socket send(ClientMessage message) {
            signaling.receive(message);
            return this;
        }

        Socket joined() {
            return send(new ClientMessage.Hello("h", 1)).send(new ClientMessage.Join("j", ROOM, null));
        }

        PeerId id() {
            return ((ServerMessage.Welcome) link.messages().get(0)).peerId();
        }

        ServerMessage last() {
            return link.last();
        }
    }

    @Test
    void aKickedPeerIsClosed4010WithTheOperatorsReasonAndItsRoomHearsKicked() {
        var ann = new Socket().joined();
        var bob = new Socket().joined();
        assertTrue(rooms.kick(ROOM, bob.id(), "spamming the chat"));
        assertEquals(List.of(CloseCode.KICKED), bob.link.closes);
        assertEquals(List.of("spamming the chat"), bob.link.closeReasons);
        var left = assertInstanceOf(ServerMessage.PeerLeft.class, ann.last());
        assertEquals(LeaveReason.KICKED, left.reason());
        assertFalse(rooms.kick(ROOM, bob.id(), null), "gone already");
    }

    @Test
    void aKickedSessionCannotResume() {
        new Socket().joined();
        var bob = new Socket().joined();
        var token = ((ServerMessage.Welcome) bob.link.messages().get(0)).resume().token();
        rooms.kick(bob.id(), null);
        assertEquals(List.of("kicked by an operator"), bob.link.closeReasons, "the default reason");
        var again = new Socket().send(new ClientMessage.Hello("r", 1, new ClientMessage.Resume(token, 0)));
        var refused = assertInstanceOf(ServerMessage.Problem.class, again.last());
        assertEquals(ResumeFailure.UNKNOWN, refused.reason());
    }

    @Test
    void aDetachedSessionCanBeKickedToo() {
        var ann = new Socket().joined();
        var bob = new Socket().joined();
        bob.signaling.closed(1006);
        assertTrue(rooms.kick(bob.id(), "gone too long"));
        assertEquals(LeaveReason.KICKED, ((ServerMessage.PeerLeft) ann.last()).reason());
        assertEquals(1, sessions.sessionCount(), "only Ann's session is left");
    }

    @Test
    void aLockedRoomRefusesNewcomersWithRoomLockedAndKeepsItsMembers() {
        var ann = new Socket().joined();
        assertTrue(rooms.lock(ROOM, true));
        var bob = new Socket().joined();
        assertEquals(ErrorCode.ROOM_LOCKED, ((ServerMessage.Problem) bob.last()).code());
        ann.send(new ClientMessage.Join("again", ROOM, null));
        assertInstanceOf(ServerMessage.Joined.class, ann.last(), "a member joining again is no newcomer");
        assertTrue(rooms.lock(ROOM, false));
        bob.send(new ClientMessage.Join("j2", ROOM, null));
        assertInstanceOf(ServerMessage.Joined.class, bob.last());
        assertFalse(rooms.lock(new RoomName("nowhere"), true));
    }

    @Test
    void aClosedRoomTellsEveryMemberRoomClosedAndNobodyPeerLeft() {
        var ann = new Socket().joined();
        var bob = new Socket().joined();
        var annBefore = ann.link.written.size();
        assertEquals(2, rooms.close(ROOM));
        assertEquals(new ServerMessage.RoomClosed(ROOM), ann.link.messages().get(annBefore));
        assertEquals(annBefore + 1, ann.link.written.size(), "room-closed and nothing else");
        assertEquals(new ServerMessage.RoomClosed(ROOM), bob.last());
        assertEquals(0, rooms.roomCount());
        ann.send(new ClientMessage.Leave("l"));
        assertEquals(ErrorCode.NOT_IN_ROOM, ((ServerMessage.Problem) ann.last()).code(), "in no room any more");
        assertEquals(List.of(), ann.link.closes, "the sockets stay open");
        assertEquals(-1, rooms.close(ROOM));
        bob.send(new ClientMessage.Join("j2", ROOM, null));
        assertInstanceOf(ServerMessage.Joined.class, bob.last(), "the name can be joined afresh");
    }
}
