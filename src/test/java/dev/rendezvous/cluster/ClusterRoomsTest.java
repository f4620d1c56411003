package dev.rendezvous.cluster;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.LeaveReason;
import dev.rendezvous.protocol.PeerId;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.RoomName;
import dev.rendezvous.protocol.ServerMessage;
import dev.rendezvous.protocol.Signal;
import dev.rendezvous.protocol.SignalFields;
import dev.rendezvous.signaling.control.Lifecycle;
import dev.rendezvous.signaling.control.Rooms;
import dev.rendezvous.signaling.control.Settings;
import dev.rendezvous.signaling.entity.Peer;
import dev.rendezvous.signaling.entity.RoomEvents;
import io.lettuce.core.RedisClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes' rooms sharing a real Redis, in one JVM, without a container: every rule of the protocol that a room's
 * members on different nodes rely on. (The cluster suite proves the same on real servers.)
 */
class ClusterRoomsTest {

    private static RedisServer redis;
    private static ScheduledExecutorService timers;
    private final List<AutoCloseable> nodes = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
        timers = Executors.newScheduledThreadPool(1);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (timers != null) {
            timers.shutdownNow();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (var node : nodes) {
            node.close();
        }
    }

    /** A node's rooms, of capacity 4, in the cluster on the test's Redis. */
    private Rooms node(String id) {
        return node(id, new RedisCluster[1]);
    }

    private Rooms node(String id, RedisCluster[] made) {
        return node(id, made, redis, new Lifecycle());
    }

    /** Like {@link #node(String)} on {@code store}; {@code made} gets the node's cluster link. */
    private Rooms node(String id, RedisCluster[] made, RedisServer store, Lifecycle lifecycle) {
        return node(id, made, store, lifecycle, Duration.ofMillis(600));
    }

    /** Like {@link #node(String, RedisCluster[], RedisServer, Lifecycle)}, the node saying it is alive for {@code ttl}. */
    private Rooms node(String id, RedisCluster[] made, RedisServer store, Lifecycle lifecycle, Duration ttl) {
        var late = new LateCluster();
        var rooms = new Rooms(4, true, RoomEvents.NONE, late);
        var settings = ClusterSettings.read(name -> Optional.ofNullable(Map.of(
                "rendezvous.cluster.redis-uri", store.uri(),
                "rendezvous.cluster.node-id", id,
                "rendezvous.cluster.node-ttl-ms", Long.toString(ttl.toMillis())).get(name)));
        var cluster = new RedisCluster(settings, rooms, null, lifecycle, new Settings.Resumption(1_000, 256, 1 << 20), timers, Executors.defaultThreadFactory());
        made[0] = cluster;
        late.target = cluster;
        nodes.add(cluster);
        return rooms;
    }

    /**
     * A started client of {@code rooms}: what its peer is sent, as JSON, in order, and which of the messages it sent
     * the cluster reported lost on the way to another node.
     */
    private record Client(Rooms rooms, Peer peer, BlockingQueue<String> inbox, BlockingQueue<String> lost) {

        static Client on(Rooms rooms) {
            var inbox = new LinkedBlockingQueue<String>();
            var peer = rooms.connect((frame, sends) -> inbox.add(frame.json()));
            peer.removableBy(reason -> rooms.disconnect(peer, LeaveReason.KICKED));
            return new Client(rooms, peer, inbox, new LinkedBlockingQueue<>());
        }

        PeerId id() {
            return peer.id();
        }

        JsonObject next() throws InterruptedException {
            var json = inbox.poll(5, TimeUnit.SECONDS);
            if (json == null) {
                throw new AssertionError(peer + " was sent nothing within 5 s");
            }
            try (var reader = Json.createReader(new StringReader(json))) {
                return reader.readObject();
            }
        }

        JsonObject next(String action) throws InterruptedException {
            var message = next();
            assertEquals(action, message.getString("action"), message.toString());
            return message;
        }

        List<String> joinedPeers(JsonObject joined) {
            return joined.getJsonObject("data").getJsonArray("peers").getValuesAs(JsonObject.class).stream()
                    .map(member -> member.getString("peerId")).toList();
        }

        JsonObject join(String room) throws InterruptedException {
            rooms.join(peer, new RoomName(room), null, "j");
            return next("joined");
        }

        void offer(Client to, String sdp) {
            var data = SignalFields.of(Json.createObjectBuilder().add("sdp", sdp).build());
            rooms.deliver(peer, to.id(), Frame.of(new ServerMessage.Relayed(Signal.OFFER, peer.id(), data)),
                    () -> lost.add("offer " + sdp));
        }

        void broadcast(String text) {
            rooms.broadcast(peer, Frame.of(new ServerMessage.Posted(peer.id(), Json.createValue(text))),
                    () -> lost.add("message " + text));
        }
    }

    /** Two nodes, and a room with Ann on node a and Bob on node b; Ann has heard Bob join. */
    private record Pair(Rooms a, Rooms b, String room, Client ann, Client bob) {
    }

    private Pair acrossTwoNodes() throws InterruptedException {
        var a = node("a");
        var b = node("b");
        var room = room();
        var ann = Client.on(a);
        var bob = Client.on(b);
        ann.join(room);
        bob.join(room);
        ann.next("peer-joined");
        return new Pair(a, b, room, ann, bob);
    }

    /** {@code members} join {@code room} one after another, each once those before it heard it join. */
    private static void joinInTurn(String room, Client... members) throws InterruptedException {
        for (var i = 0; i < members.length; i++) {
            members[i].join(room);
            for (var earlier = 0; earlier < i; earlier++) {
                members[earlier].next("peer-joined");
            }
        }
    }

    private static String room() {
        return "r-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aRoomSpansTwoNodesWithEveryJoinLeaveAndRelayAsOnOne() throws Exception {
        var a = node("a");
        var b = node("b");
        var room = room();
        var ann = Client.on(a);
        var bob = Client.on(b);
        var carl = Client.on(a);
        var dave = Client.on(b);

        assertEquals(List.of(), ann.joinedPeers(ann.join(room)));
        assertEquals(List.of(ann.id().value()), bob.joinedPeers(bob.join(room)));
        assertEquals(bob.id().value(), ann.next("peer-joined").getJsonObject("data").getJsonObject("peer").getString("peerId"));
        assertEquals(List.of(ann.id().value(), bob.id().value()), carl.joinedPeers(carl.join(room)));
        assertEquals(List.of(ann.id().value(), bob.id().value(), carl.id().value()), dave.joinedPeers(dave.join(room)));
        for (var member : List.of(ann, bob)) {
            var order = new ArrayList<String>();
            while (order.size() < (member == ann ? 2 : 2)) {
                order.add(member.next("peer-joined").getJsonObject("data").getJsonObject("peer").getString("peerId"));
            }
            assertEquals(List.of(carl.id().value(), dave.id().value()), order, "one order of joins on both nodes");
        }
        assertEquals(dave.id().value(), carl.next("peer-joined").getJsonObject("data").getJsonObject("peer").getString("peerId"));

        ann.offer(bob, "from-a-to-b");
        var offer = bob.next("offer");
        assertEquals(ann.id().value(), offer.getString("from"), "the sender's node stamped it");
        assertEquals("from-a-to-b", offer.getJsonObject("data").getString("sdp"));
        dave.offer(carl, "from-b-to-a");
        assertEquals(dave.id().value(), carl.next("offer").getString("from"));
        carl.offer(ann, "same-node");
        assertEquals("same-node", ann.next("offer").getJsonObject("data").getString("sdp"));

        ann.broadcast("hi all");
        for (var other : List.of(bob, carl, dave)) {
            assertEquals("hi all", other.next("message").getJsonObject("data").getString("payload"), other.peer().toString());
        }

        assertEquals(new RoomName(room), b.leave(bob.peer(), LeaveReason.LEFT));
        for (var other : List.of(ann, carl, dave)) {
            var left = other.next("peer-left").getJsonObject("data");
            assertEquals(bob.id().value(), left.getString("peerId"));
            assertEquals("left", left.getString("reason"));
        }
        var refused = assertThrows(ProtocolException.class, () -> ann.offer(bob, "after leaving"));
        assertEquals(ErrorCode.NOT_SAME_ROOM, refused.code(), "bob is connected, in no room");
    }

    @Test
    void aPeerOnAnotherNodeIsNotFoundOnceGoneAndNotInTheSameRoomWhileElsewhere() throws Exception {
        var a = node("a");
        var b = node("b");
        var ann = Client.on(a);
        var eve = Client.on(b);
        ann.join(room());
        eve.join(room());

        assertEquals(ErrorCode.NOT_SAME_ROOM, assertThrows(ProtocolException.class, () -> ann.offer(eve, "x")).code());
        b.disconnect(eve.peer(), LeaveReason.DISCONNECTED);
        awaitGone(a, ann, eve);
        assertEquals(ErrorCode.PEER_NOT_FOUND, assertThrows(ProtocolException.class, () -> ann.offer(eve, "x")).code());
    }

    @Test
    void peersOutsideRoomsCallEachOtherDirectlyAcrossNodesUntilOneJoinsARoom() throws Exception {
        var a = node("a");
        var b = node("b");
        var ann = Client.on(a);
        var bob = Client.on(b);
        awaitLocatable(a, bob);

        ann.offer(bob, "direct");
        assertEquals("direct", bob.next("offer").getJsonObject("data").getString("sdp"));
        bob.offer(ann, "back");
        assertEquals(bob.id().value(), ann.next("offer").getString("from"));

        bob.join(room());
        assertEquals(ErrorCode.NOT_SAME_ROOM, assertThrows(ProtocolException.class, () -> ann.offer(bob, "x")).code());
    }

    @Test
    void relaysFromOneSenderToAPeerOnAnotherNodeArriveInTheOrderSent() throws Exception {
        var pair = acrossTwoNodes();
        var ann = pair.ann();
        var bob = pair.bob();

        for (var i = 0; i < 2_000; i++) {
            ann.offer(bob, Integer.toString(i));
        }
        for (var i = 0; i < 2_000; i++) {
            assertEquals(Integer.toString(i), bob.next("offer").getJsonObject("data").getString("sdp"));
        }
    }

    @Test
    void eightJoinsRacingOverTwoNodesSeatExactlyTheCapacityTwentyTimesOver() throws Exception {
        var nodes = List.of(node("a"), node("b"));
        var pool = Executors.newFixedThreadPool(8);
        try {
            for (var round = 0; round < 20; round++) {
                var room = room();
                var go = new CountDownLatch(1);
                var joins = new ArrayList<java.util.concurrent.Future<Integer>>();
                for (var i = 0; i < 8; i++) {
                    var client = Client.on(nodes.get(i % 2));
                    joins.add(pool.submit(() -> {
                        go.await();
                        try {
                            return client.joinedPeers(client.join(room)).size();
                        } catch (ProtocolException refused) {
                            assertEquals(ErrorCode.ROOM_FULL, refused.code());
                            return -1;
                        }
                    }));
                }
                go.countDown();
                var seated = new TreeSet<Integer>();
                var full = 0;
                for (var join : joins) {
                    var peers = join.get(20, TimeUnit.SECONDS);
                    if (peers < 0) {
                        full++;
                    } else {
                        seated.add(peers);
                    }
                }
                assertEquals(new TreeSet<>(List.of(0, 1, 2, 3)), seated, "round " + round + ": joined.peers of each joiner");
                assertEquals(4, full, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRoomLockedOrClosedOnOneNodeIsLockedOrClosedOnAll() throws Exception {
        var a = node("a");
        var b = node("b");
        var room = room();
        var ann = Client.on(a);
        var bob = Client.on(b);
        ann.join(room);

        assertEquals(true, b.lock(new RoomName(room), true));
        assertEquals(ErrorCode.ROOM_LOCKED, assertThrows(ProtocolException.class, () -> bob.join(room)).code());
        b.lock(new RoomName(room), false);
        bob.join(room);
        ann.next("peer-joined");

        assertEquals(2, b.close(new RoomName(room)));
        ann.next("room-closed");
        bob.next("room-closed");
        assertNull(ann.peer().room());
        assertEquals(-1, a.close(new RoomName(room)), "gone on every node");
    }

    @Test
    void everyNodeListsTheRoomsOfAllWithEachPeersNodeAndKicksAPeerWhereverItIs() throws Exception {
        var pair = acrossTwoNodes();
        var a = pair.a();
        var room = pair.room();
        var ann = pair.ann();
        var bob = pair.bob();

        var listed = a.snapshot(new RoomName(room)).orElseThrow();
        assertEquals(List.of(ann.id() + "@a", bob.id() + "@b"),
                listed.peers().stream().map(peer -> peer.peerId() + "@" + peer.node()).toList());
        assertEquals(4, listed.capacity());
        awaitTrue(() -> a.nodeCount() == 2, 5_000);

        assertTrue(a.kick(new RoomName(room), bob.id(), "bye"));
        var left = ann.next("peer-left").getJsonObject("data");
        assertEquals(bob.id().value(), left.getString("peerId"));
        assertEquals("kicked", left.getString("reason"));
    }

    @Test
    void aForeignOrCorruptMessageOnANodesChannelIsIgnored() throws Exception {
        var pair = acrossTwoNodes();
        var room = pair.room();
        var ann = pair.ann();
        var bob = pair.bob();
        var client = RedisClient.create(redis.uri());
        try (var connection = client.connect()) {
            for (var garbage : List.of("not json", "{\"type\":\"joined\"}", "R only-a-header", "{\"type\":\"left\",\"room\":\"" + room
                    + "\",\"seq\":1,\"peer\":\"" + ann.id().value() + "\",\"reason\":\"nonsense\"}", "R !!! r {}")) {
                connection.sync().publish("rv:n:b", garbage);
            }
        } finally {
            client.shutdown();
        }

        ann.offer(bob, "still here");
        assertEquals("still here", bob.next("offer").getJsonObject("data").getString("sdp"));
    }

    @Test
    void theMembersOfANodeThatDiesAreReconnectingThenLeaveWithTimeoutAfterTheGrace() throws Exception {
        var a = node("a");
        var dying = new RedisCluster[1];
        var b = node("b", dying);
        var room = room();
        var ann = Client.on(a);
        var bob = Client.on(b);
        ann.join(room);
        bob.join(room);
        ann.next("peer-joined");

        var died = System.nanoTime();
        dying[0].close(); // its liveness key goes, as a dead node's expires

        var away = ann.next("peer-state").getJsonObject("data");
        assertEquals(bob.id().value(), away.getString("peerId"));
        assertEquals("reconnecting", away.getString("state"));
        var detected = System.nanoTime();
        var left = ann.next("peer-left").getJsonObject("data");
        assertEquals(bob.id().value(), left.getString("peerId"));
        assertEquals("timeout", left.getString("reason"));
        var gone = System.nanoTime();
        assertTrue(TimeUnit.NANOSECONDS.toMillis(detected - died) < 600 + 1_000, "seen dead within the TTL and 1 s");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(gone - detected) >= 900, "the grace (1 s) counted from the detection");
        var carl = Client.on(a);
        assertEquals(List.of(ann.id().value()), carl.joinedPeers(carl.join(room)), "the dead node's seat is free");
    }

    @Test
    void whileRedisIsDownANodeIsNotReadyAndRefusesWhatNeedsItAndOnceBackEmptyRelaysAgain() throws Exception {
        try (var store = RedisServer.start()) {
            var readyA = new Lifecycle();
            readyA.serving();
            var a = node("a", new RedisCluster[1], store, readyA);
            var readyB = new Lifecycle();
            readyB.serving();
            var b = node("b", new RedisCluster[1], store, readyB);
            var room = room();
            var ann = Client.on(a);
            var bob = Client.on(b);
            var cat = Client.on(a);
            joinInTurn(room, ann, bob, cat);

            store.kill();
            var down = System.nanoTime();
            awaitTrue(() -> readyA.notReady() != null, 5_000);
            System.out.printf("Redis killed: not ready after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down));

            assertEquals(ErrorCode.UNAVAILABLE, assertThrows(ProtocolException.class, () -> ann.offer(bob, "x")).code());
            assertEquals(ErrorCode.UNAVAILABLE, assertThrows(ProtocolException.class, () -> Client.on(a).join(room())).code());
            ann.offer(cat, "same node");
            assertEquals("same node", cat.next("offer").getJsonObject("data").getString("sdp"), "local relays go on");

            store.relaunch(); // empty, as a restarted Redis without persistence is
            var up = System.nanoTime();
            awaitTrue(() -> readyA.notReady() == null && readyB.notReady() == null, 15_000);
            var ready = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - up);
            awaitRelayed(ann, bob);
            System.out.printf("Redis back empty: ready after %d ms, cross-node relay after %d ms%n", ready,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - up));
            bob.offer(ann, "back");
            assertEquals("back", ann.next("offer").getJsonObject("data").getString("sdp"));
            var dan = Client.on(b);
            assertEquals(List.of(ann.id().value(), cat.id().value(), bob.id().value()).size(), dan.joinedPeers(dan.join(room)).size(),
                    "the seats were restored: a newcomer sees all three");
        }
    }

    @Test
    void aRelayTheStoreDoesNotTakeInTimeIsReportedLostToItsSenderOnceEvenForABroadcast() throws Exception {
        try (var store = RedisServer.start()) {
            var ttl = Duration.ofSeconds(10); // longer than the stall: no node may look dead meanwhile
            var a = node("a", new RedisCluster[1], store, new Lifecycle(), ttl);
            var b = node("b", new RedisCluster[1], store, new Lifecycle(), ttl);
            var room = room();
            var ann = Client.on(a);
            var bob = Client.on(b);
            var dan = Client.on(b);
            joinInTurn(room, ann, bob, dan);

            var stall = RedisCluster.COMMAND_TIMEOUT.plusSeconds(2);
            store.pause(stall); // it takes no command meanwhile, then all it was sent, in order; nothing expires
            var stalled = System.nanoTime();
            ann.offer(bob, "stalled"); // the node cannot know yet: its look at the store waits as long as this
            ann.broadcast("to all, stalled"); // two PUBLISHes to node b, one for each of its members
            var wait = stall.toMillis() + 2_000;
            var reported = new TreeSet<String>(); // the timeouts of the PUBLISHes fire in no set order
            for (var report = 0; report < 2; report++) {
                var lost = ann.lost().poll(wait, TimeUnit.MILLISECONDS);
                assertTrue(lost != null, "the sender was told of " + reported + " only, within " + wait + " ms");
                assertTrue(reported.add(lost), "told twice of " + lost);
            }
            var told = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalled);
            assertEquals(new TreeSet<>(List.of("offer stalled", "message to all, stalled")), reported);
            assertTrue(told >= RedisCluster.COMMAND_TIMEOUT.toMillis(), "told only once the commands timed out, not after " + told + " ms");

            assertEquals("stalled", bob.next("offer").getJsonObject("data").getString("sdp"),
                    "what the store was sent before the timeout it still carries: it may have arrived");
            for (var member : List.of(bob, dan)) {
                assertEquals("to all, stalled", member.next("message").getJsonObject("data").getString("payload"));
            }
            assertNull(ann.lost().poll(0, TimeUnit.MILLISECONDS), "one report for the broadcast, however many PUBLISHes it took");
            awaitRelayed(ann, bob);
            assertNull(ann.lost().poll(0, TimeUnit.MILLISECONDS), "nothing after the stall is reported lost");
            System.out.printf("Redis stalled %d ms: the sender was told a relay may be lost after %d ms%n", stall.toMillis(), told);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, long withinMs) throws InterruptedException {
        var deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + withinMs + " ms");
            }
            TimeUnit.MILLISECONDS.sleep(20); // a bounded poll of state the node changes on its own thread
        }
    }

    /** Until a relay from {@code from} reaches {@code to} on the other node (probes refused unavailable meanwhile). */
    private static void awaitRelayed(Client from, Client to) throws InterruptedException {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try {
                from.offer(to, "probe");
                var arrived = to.inbox().poll(500, TimeUnit.MILLISECONDS);
                if (arrived != null) {
                    assertTrue(arrived.contains("probe"), arrived);
                    return;
                }
            } catch (ProtocolException notYet) {
                assertEquals(ErrorCode.UNAVAILABLE, notYet.code());
                TimeUnit.MILLISECONDS.sleep(50); // a bounded poll, as above
            }
        }
        throw new AssertionError("no relay from " + from.peer() + " reached " + to.peer() + " within 15 s");
    }

    /** Until {@code rooms} no longer finds {@code peer} of another node: its departure is recorded asynchronously. */
    private static void awaitGone(Rooms rooms, Client from, Client peer) throws InterruptedException {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try {
                from.offer(peer, "probe");
            } catch (ProtocolException refused) {
                if (refused.code() == ErrorCode.PEER_NOT_FOUND) {
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(20); // a bounded poll: the store is told without an answer anyone waits for
        }
        throw new AssertionError(peer.peer() + " was still found after 5 s");
    }

    /** Until another node can find {@code peer}: its arrival is recorded asynchronously. */
    private static void awaitLocatable(Rooms rooms, Client peer) throws InterruptedException {
        var probe = Client.on(rooms);
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try {
                probe.offer(peer, "probe");
                assertEquals("probe", peer.next("offer").getJsonObject("data").getString("sdp"));
                return;
            } catch (ProtocolException notYet) {
                TimeUnit.MILLISECONDS.sleep(20); // a bounded poll, as above
            }
        }
        throw new AssertionError(peer.peer() + " was not found after 5 s");
    }
}
