package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.signaling.entity.Peer;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry on its own, with real threads where the rules are about races. */
class RoomsTest {

    private static final RoomName ROOM = new RoomName("r");

    private final Rooms rooms = new Rooms(4, true);

    private record Client(Peer peer, List<Frame> inbox) {
        long count(Class<? extends ServerMessage> type) {
            synchronized (inbox) {
                return inbox.stream().map(Frame::message).filter(type::isInstance).count();
            }
        }
    }

    private Client connect() {
        var inbox = Collections.synchronizedList(new ArrayList<Frame>());
        return new Client(rooms.connect((frame, sends) -> inbox.add(frame)), inbox);
    }

    private Client inRoom() {
        var client = connect();
        rooms.join(client.peer(), ROOM, null, "j");
        return client;
    }

    @Test
    void aJoinAfterTheDisconnectDecisionIsRefusedAndTheSeatStaysFree() {
        var holders = List.of(inRoom(), inRoom(), inRoom());
        var late = connect();
        rooms.disconnect(late.peer(), LeaveReason.DISCONNECTED); // the server closed it while its join was on its way
        rooms.join(late.peer(), ROOM, null, "j");
        assertEquals(0, late.count(ServerMessage.Joined.class));
        var fourth = inRoom();
        assertEquals(1, fourth.count(ServerMessage.Joined.class), "the fourth seat is still free");
        holders.forEach(holder -> assertEquals(0, holder.inbox().stream().map(Frame::message).filter(message ->
                message instanceof ServerMessage.PeerJoined joined && joined.peer().peerId().equals(late.peer().id())).count()));
    }

    @Test
    void joinsRacingDisconnectsNeverLeakASeat() throws Exception {
        var holders = List.of(inRoom(), inRoom(), inRoom());
        var pool = Executors.newFixedThreadPool(2);
        try {
            for (var round = 0; round < 2_000; round++) {
                var racer = connect();
                var start = new CyclicBarrier(2);
                var join = pool.submit(() -> {
                    start.await();
                    rooms.join(racer.peer(), ROOM, null, "j");
                    return null;
                });
                var close = pool.submit(() -> {
                    start.await();
                    rooms.disconnect(racer.peer(), LeaveReason.DISCONNECTED);
                    return null;
                });
                join.get(5, TimeUnit.SECONDS);
                close.get(5, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        var holderIds = holders.stream().map(holder -> holder.peer().id()).toList();
        for (var holder : holders) {
            var racersJoined = holder.inbox().stream().map(Frame::message).filter(message -> message instanceof ServerMessage.PeerJoined
                    joined && !holderIds.contains(joined.peer().peerId())).count();
            assertEquals(racersJoined, holder.count(ServerMessage.PeerLeft.class), "one peer-left for every racer's peer-joined");
        }
        assertEquals(1, inRoom().count(ServerMessage.Joined.class), "after 2,000 races the fourth seat is free");
    }

    @Test
    void concurrentJoinsClaimExactlyTheCapacity() throws Exception {
        var joiners = new ArrayList<Client>();
        for (var i = 0; i < 40; i++) {
            joiners.add(connect());
        }
        var start = new CyclicBarrier(joiners.size());
        ExecutorService pool = Executors.newFixedThreadPool(joiners.size());
        var outcomes = new ArrayList<Future<String>>();
        try {
            for (var joiner : joiners) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        rooms.join(joiner.peer(), ROOM, null, "j");
                        return "joined";
                    } catch (ProtocolException refused) {
                        return refused.code().wireName();
                    }
                }));
            }
            var results = new ArrayList<String>();
            for (var outcome : outcomes) {
                results.add(outcome.get(10, TimeUnit.SECONDS));
            }
            assertEquals(4, results.stream().filter("joined"::equals).count(), results.toString());
            assertEquals(36, results.stream().filter("room-full"::equals).count(), results.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRoomEmptiedWhileAJoinerArrivesIsReplacedAndTheJoinerIsSeated() throws Exception {
        var pool = Executors.newFixedThreadPool(2);
        try {
            for (var round = 0; round < 1_000; round++) {
                var leaver = inRoom();
                var joiner = connect();
                var start = new CyclicBarrier(2);
                var leave = pool.submit(() -> {
                    start.await();
                    return rooms.leave(leaver.peer(), LeaveReason.LEFT);
                });
                var join = pool.submit(() -> {
                    start.await();
                    rooms.join(joiner.peer(), ROOM, null, "j");
                    return null;
                });
                leave.get(5, TimeUnit.SECONDS);
                join.get(5, TimeUnit.SECONDS);
                assertEquals(1, joiner.count(ServerMessage.Joined.class), "round " + round);
                assertEquals(joiner.peer().room().name(), ROOM);
                assertEquals(1, rooms.roomCount());
                rooms.leave(joiner.peer(), LeaveReason.LEFT);
                assertEquals(0, rooms.roomCount(), "an empty room is not kept");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whoeverHeardPeerLeftCanNoLongerReachThatPeer() {
        var ann = inRoom();
        var bob = inRoom();
        rooms.disconnect(bob.peer(), LeaveReason.DISCONNECTED);
        assertEquals(1, ann.count(ServerMessage.PeerLeft.class));
        var refused = assertThrows(ProtocolException.class, () -> rooms.deliver(ann.peer(), bob.peer().id(),
                Frame.of(new ServerMessage.Posted(ann.peer().id(), Json.createValue("hi"))), () -> { }));
        assertEquals(ErrorCode.PEER_NOT_FOUND, refused.code());
    }

    @Test
    void aDirectCallCannotReachAPeerThatJoinedARoom() {
        var ann = connect();
        var bob = connect();
        rooms.join(bob.peer(), ROOM, null, "j");
        var refused = assertThrows(ProtocolException.class, () -> rooms.deliver(ann.peer(), bob.peer().id(),
                Frame.of(new ServerMessage.Posted(ann.peer().id(), Json.createValue("hi"))), () -> { }));
        assertEquals(ErrorCode.NOT_SAME_ROOM, refused.code());
        assertTrue(bob.count(ServerMessage.Posted.class) == 0);
    }

    @Test
    void aPeerIdIsNeverReused() {
        var seen = new java.util.HashSet<PeerId>();
        for (var i = 0; i < 1_000; i++) {
            assertTrue(seen.add(connect().peer().id()));
        }
    }
}
