package dev.rendezvous.signaling.entity;

import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.Member;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A room on its own: who is seated, who hears what, in which order; peers' outboxes are lists. */
class RoomTest {

    private static final RoomName NAME = new RoomName("r");
    private static final AtomicInteger IDS = new AtomicInteger();

    private final Room room = new Room(NAME, 3);

    /** A peer whose outbox is a list: what was queued for it, in order. */
    private record Client(Peer peer, List<Frame> inbox) {
        List<ServerMessage> messages() {
            synchronized (inbox) {
                return inbox.stream().map(Frame::message).toList();
            }
        }
    }

    private static Client peer() {
        var inbox = Collections.synchronizedList(new ArrayList<Frame>());
        return new Client(new Peer(new PeerId("p" + IDS.incrementAndGet()), (frame, sends) -> inbox.add(frame)), inbox);
    }

    private static Frame news(Peer peer) {
        return Frame.of(new ServerMessage.PeerJoined(NAME, new Member(peer.id(), null, false)));
    }

    private Room.Admission admit(Client member) {
        var sends = new Sends();
        var admission = room.admit(member.peer(), null, "j", news(member.peer()), sends);
        sends.run();
        return admission;
    }

    @Test
    void aMemberThatMovedHereWithItsSessionIsSeatedWithNobodyItselfIncludedHearingOfIt() {
        var ann = peer();
        admit(ann);
        var bob = peer();
        var sends = new Sends();
        var joinedAt = Instant.ofEpochSecond(42);

        assertEquals(Room.Admission.JOINED, room.adopt(bob.peer(), new DisplayName("Bob"), joinedAt, sends));
        sends.run();

        assertEquals(1, ann.messages().size(), "ann heard only her own joined: " + ann.messages());
        assertEquals(List.of(), bob.messages(), "bob joined long ago, on the node it left");
        var seated = room.snapshot().peers().get(1);
        assertEquals(bob.peer().id(), seated.peerId());
        assertEquals(joinedAt, seated.joinedAt());
    }

    @Test
    void aSnapshotShowsTheMembersInJoinOrderWithWhenTheyJoinedAndFromWhere() {
        var clock = new AtomicLong(1_000);
        var timed = new Room(NAME, 3, new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochSecond(clock.getAndAdd(5));
            }
        }, RoomEvents.NONE);
        var ann = peer();
        var bob = peer();
        ann.peer().connectedFrom("127.0.0.1:50000");
        var sends = new Sends();
        timed.admit(ann.peer(), new DisplayName("Ann"), "j", news(ann.peer()), sends);
        timed.admit(bob.peer(), null, "j", news(bob.peer()), sends);
        timed.lock(true);

        var snapshot = timed.snapshot();

        assertEquals(new Room.Snapshot(NAME, 3, true, Instant.ofEpochSecond(1_000), List.of(
                new Room.Occupant(ann.peer().id(), new DisplayName("Ann"), null, Instant.ofEpochSecond(1_005), "127.0.0.1:50000"),
                new Room.Occupant(bob.peer().id(), null, null, Instant.ofEpochSecond(1_010), null))), snapshot);
    }

    @Test
    void theRoomReportsItsLifeInItsOwnOrder() {
        var events = new ArrayList<String>();
        var reported = new Room(NAME, 3, Clock.systemUTC(), new RoomEvents() {
            @Override
            public void started(RoomName room, Sends sends) {
                events.add("started " + room);
            }

            @Override
            public void joined(RoomName room, Peer peer, Sends sends) {
                events.add("joined " + peer.id());
            }

            @Override
            public void left(RoomName room, Peer peer, LeaveReason reason, Sends sends) {
                events.add("left " + peer.id() + " " + reason.wireName());
            }

            @Override
            public void finished(RoomName room, Sends sends) {
                events.add("finished " + room);
            }
        });
        var ann = peer();
        var bob = peer();
        var sends = new Sends();

        reported.admit(ann.peer(), null, "j", news(ann.peer()), sends);
        reported.admit(bob.peer(), null, "j", news(bob.peer()), sends);
        reported.admit(bob.peer(), null, "j2", news(bob.peer()), sends); // joining again is no news
        reported.remove(ann.peer(), LeaveReason.LEFT, news(ann.peer()), sends);
        reported.remove(bob.peer(), LeaveReason.TIMEOUT, news(bob.peer()), sends);

        assertEquals(List.of("started r", "joined " + ann.peer().id(), "joined " + bob.peer().id(),
                "left " + ann.peer().id() + " left", "left " + bob.peer().id() + " timeout", "finished r"), events);
    }

    @Test
    void aJoinerIsAnsweredJoinedWithTheEarlierMembersAndEachOfThemHearsPeerJoined() {
        var ann = peer();
        var bob = peer();
        assertEquals(Room.Admission.JOINED, admit(ann));
        assertEquals(Room.Admission.JOINED, admit(bob));
        var joined = assertInstanceOf(ServerMessage.Joined.class, bob.messages().get(0));
        assertEquals(List.of(new Member(ann.peer().id(), null, true)), joined.peers());
        assertEquals(List.of(ServerMessage.Joined.class, ServerMessage.PeerJoined.class),
                ann.messages().stream().map(Object::getClass).toList());
        assertEquals(room, bob.peer().room());
    }

    @Test
    void aMemberJoiningAgainHearsWhoCameBeforeItAsPoliteAndWhoCameAfterAsNot() {
        var ann = peer();
        var bob = peer();
        var carol = peer();
        List.of(ann, bob, carol).forEach(this::admit);
        admit(bob);
        var again = assertInstanceOf(ServerMessage.Joined.class, bob.messages().get(bob.messages().size() - 1));
        assertEquals(List.of(new Member(ann.peer().id(), null, true), new Member(carol.peer().id(), null, false)), again.peers());
    }

    @Test
    void aFullRoomRefusesAndChangesNothing() {
        var members = List.of(peer(), peer(), peer());
        members.forEach(this::admit);
        var late = peer();
        assertEquals(Room.Admission.FULL, admit(late));
        assertEquals(3, room.size());
        assertEquals(null, late.peer().room());
        assertEquals(List.of(), late.messages());
        assertEquals(3, members.get(0).messages().size(), "joined and two peer-joined, nothing about the refused peer");
    }

    @Test
    void aDepartedPeerIsNeverSeated() {
        var ann = peer();
        admit(ann);
        var gone = peer();
        gone.peer().depart();
        assertEquals(Room.Admission.DEPARTED, admit(gone));
        assertEquals(1, room.size());
        assertEquals(1, ann.messages().size(), "nobody heard of the departed peer");
    }

    @Test
    void aRoomMadeForAJoinerThatDepartedIsClosedAtOnce() {
        var gone = peer();
        gone.peer().depart();
        assertEquals(Room.Admission.DEPARTED, admit(gone));
        assertTrue(room.isClosed(), "so the registry does not keep an empty room");
    }

    @Test
    void theLastToLeaveClosesTheRoomForGood() {
        var ann = peer();
        var bob = peer();
        admit(ann);
        admit(bob);
        var sends = new Sends();
        assertTrue(room.remove(ann.peer(), LeaveReason.LEFT, Frame.of(new ServerMessage.PeerLeft(NAME, ann.peer().id(), LeaveReason.LEFT)), sends));
        assertFalse(room.isClosed());
        assertTrue(room.remove(bob.peer(), LeaveReason.LEFT, Frame.of(new ServerMessage.PeerLeft(NAME, bob.peer().id(), LeaveReason.LEFT)), sends));
        assertTrue(room.isClosed());
        assertEquals(Room.Admission.CLOSED, admit(peer()));
        assertEquals(new ServerMessage.PeerLeft(NAME, ann.peer().id(), LeaveReason.LEFT), bob.messages().get(bob.messages().size() - 1));
        assertEquals(null, ann.peer().room());
    }

    @Test
    void removingAPeerThatIsNoMemberChangesNothing() {
        var ann = peer();
        admit(ann);
        assertFalse(room.remove(peer().peer(), LeaveReason.LEFT, news(ann.peer()), new Sends()));
        assertEquals(1, room.size());
    }

    @Test
    void aBroadcastReachesEveryOtherMemberAndOnlyFromAMember() {
        var ann = peer();
        var bob = peer();
        var carol = peer();
        List.of(ann, bob, carol).forEach(this::admit);
        var hi = Frame.of(new ServerMessage.Posted(ann.peer().id(), Json.createValue("hi")));
        assertTrue(room.broadcast(ann.peer(), hi, new Sends()));
        assertTrue(bob.inbox().contains(hi) && carol.inbox().contains(hi) && !ann.inbox().contains(hi));
        assertFalse(room.broadcast(peer().peer(), hi, new Sends()), "an outsider reaches nobody");
    }

    @Test
    void aRelayIsDeliveredOnlyBetweenMembers() {
        var ann = peer();
        var bob = peer();
        admit(ann);
        admit(bob);
        var outsider = peer();
        var offer = Frame.of(new ServerMessage.Posted(ann.peer().id(), Json.createValue("offer")));
        assertTrue(room.deliver(ann.peer(), bob.peer(), offer, new Sends()));
        assertFalse(room.deliver(ann.peer(), outsider.peer(), offer, new Sends()));
        assertFalse(room.deliver(outsider.peer(), bob.peer(), offer, new Sends()));
    }

    @Test
    void underTheLockFramesAreOnlyQueuedAndTheirSendsRunAfter() {
        var started = new ArrayList<String>();
        var ann = new Peer(new PeerId("ann"), (frame, sends) -> sends.add(() -> started.add(frame.message().action())));
        var sends = new Sends();
        room.admit(ann, new DisplayName("Ann"), "j", news(ann), sends);
        assertEquals(List.of(), started, "nothing is sent while the room decides");
        sends.run();
        assertEquals(List.of("joined"), started);
    }

    @Test
    void aJoinerHearsJoinedBeforeAnyRelayFromAMemberWhoSawItSeated() throws Exception {
        for (var round = 0; round < 500; round++) {
            var room = new Room(NAME, 2);
            var ann = peer();
            var sends = new Sends();
            room.admit(ann.peer(), null, "j", news(ann.peer()), sends);
            var bob = peer();
            var seen = new CountDownLatch(1);
            var relayer = new Thread(() -> {
                while (bob.peer().room() == null) {
                    Thread.onSpinWait(); // ann relays as soon as she could see bob seated
                }
                room.deliver(ann.peer(), bob.peer(), Frame.of(new ServerMessage.Posted(ann.peer().id(), Json.createValue("offer"))), new Sends());
                seen.countDown();
            });
            relayer.start();
            room.admit(bob.peer(), null, "j", news(bob.peer()), new Sends());
            seen.await();
            relayer.join();
            assertInstanceOf(ServerMessage.Joined.class, bob.messages().get(0), "round " + round);
        }
    }
}
