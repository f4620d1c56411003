package dev.rendezvous.signaling;

import dev.rendezvous.server.ServerProcess;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile client can throw at the server, one attack per rule. Each runs while a {@link Witness} pair in a room
 * of its own goes on exchanging messages, and ends with the witnesses' proof: every message arrived exactly once, in
 * order, and a newcomer is greeted within two seconds. The test server runs with a 2 s hello timeout, a 2 s
 * heartbeat timeout and the default outbound bounds, 1,024 messages and 1 MiB (see the pom).
 */
class AttackIT {

    private static final int CAPACITY = 4;
    /** The default {@code rendezvous.outbound-queue-bytes}, which the test server keeps. */
    private static final long BYTE_BOUND = 1 << 20;
    private static final String BULK = "x".repeat(60 * 1024);

    @Test
    void fortySocketsJoiningOneRoomAtTheSameInstantSeatExactlyItsCapacity() throws Exception {
        try (var witness = Witness.start()) {
            var room = "attack-capacity";
            var racers = new ArrayList<RawClient>();
            var pool = Executors.newFixedThreadPool(40);
            try {
                for (var i = 0; i < 40; i++) {
                    racers.add(startedRawClient());
                }
                var start = new CyclicBarrier(racers.size());
                var joins = new ArrayList<Callable<String>>();
                for (var racer : racers) {
                    joins.add(() -> {
                        start.await();
                        racer.send("{'action':'join','txn':'j','data':{'room':'" + room + "'}}");
                        return answerToJoin(racer);
                    });
                }
                var outcomes = new ArrayList<String>();
                for (var outcome : pool.invokeAll(joins, 30, TimeUnit.SECONDS)) {
                    outcomes.add(outcome.get());
                }
                assertEquals(CAPACITY, outcomes.stream().filter("joined"::equals).count(), outcomes.toString());
                assertEquals(40 - CAPACITY, outcomes.stream().filter("room-full"::equals).count(), outcomes.toString());

                // everyone goes; the last member hears the others leave, then leaves: the room is empty and joinable
                var members = new ArrayList<RawClient>();
                for (var i = 0; i < racers.size(); i++) {
                    if (outcomes.get(i).equals("joined")) {
                        members.add(racers.get(i));
                    }
                }
                racers.stream().filter(racer -> !members.contains(racer)).forEach(RawClient::closeCleanly);
                var last = members.remove(members.size() - 1);
                members.forEach(RawClient::closeCleanly);
                for (var left = 0; left < CAPACITY - 1; ) {
                    left += last.next().getString("action").equals("peer-left") ? 1 : 0;
                }
                last.send("{'action':'leave','txn':'bye'}");
                assertEquals("left", skipUntilReply(last, "bye").getString("action"));
                try (var newcomer = SignalClient.hello()) {
                    assertEquals(0, newcomer.join(room, "New").getJsonArray("peers").size(), "the emptied room starts afresh");
                }
            } finally {
                pool.shutdownNow();
                racers.forEach(RawClient::close);
            }
            witness.verify();
        }
    }

    @Test
    void joinsRacingClosesOfEveryKindNeverLeakASeat() throws Exception {
        var room = "attack-join-close";
        try (var witness = Witness.start(); var holders = Meeting.of(room, "H1", "H2", "H3")) {
            // the client ends the connection as its join arrives: first with a close frame (its session ends at once and
            // frees the seat for the next racer), then with a TCP reset or a FIN without a close frame (its session
            // waits out its grace in the seat it may have won)
            for (var round = 0; round < 150; round++) {
                var racer = startedRawClient();
                racer.send("{'action':'join','data':{'room':'" + room + "'}}");
                if (round < 100) {
                    racer.closeCleanly();
                } else if (round % 2 == 0) {
                    racer.reset();
                } else {
                    racer.close();
                }
            }
            // the server ends it as its join arrives: mute racers whose joins land around their heartbeat timeout (2 s)
            var mutes = new ArrayList<RawClient>();
            var timers = Executors.newScheduledThreadPool(4);
            try {
                for (var i = 0; i < 30; i++) {
                    var mute = RawClient.mute();
                    mute.send("{'action':'hello'}");
                    mutes.add(mute);
                    timers.schedule(() -> mute.send("{'action':'join','data':{'room':'" + room + "'}}"),
                            1_900 + ThreadLocalRandom.current().nextInt(250), TimeUnit.MILLISECONDS);
                }
                timers.shutdown();
                assertTrue(timers.awaitTermination(10, TimeUnit.SECONDS));
                try (var fourth = SignalClient.hello()) {
                    assertEquals(3, joinOnceFree(fourth, room).getJsonArray("peers").size(), "the fourth seat is free again");
                    // up to the fourth's arrival every holder heard each racer that was seated leave again, in one order
                    var holderIds = holders.members().stream().map(SignalClient::id).toList();
                    var heard = new ArrayList<List<String>>();
                    for (var holder : holders.members()) {
                        heard.add(eventsUntilJoined(holder, fourth.id(), holderIds));
                    }
                    assertEquals(heard.get(0), heard.get(1), "all members see joins and leaves in one order");
                    assertEquals(heard.get(0), heard.get(2), "all members see joins and leaves in one order");
                    System.out.printf("Join races: %d racers were seated and left again; no seat leaked%n",
                            heard.get(0).stream().filter(event -> event.startsWith("+")).count());
                }
            } finally {
                timers.shutdownNow();
                mutes.forEach(RawClient::close);
            }
            witness.verify();
        }
    }

    @Test
    void sixReadersThatStopReadingAreClosed4008HoldingNoMoreThanTheByteBoundAndDelayNoOtherClose() throws Exception {
        var server = ServerProcess.listeningOn(Server.httpPort());
        var heapBefore = server.heapAfterGc();
        try (var witness = Witness.start()) {
            var rooms = new ArrayList<Meeting>();
            var victims = new ArrayList<RawClient>();
            try {
                for (var r = 0; r < 6; r++) {
                    rooms.add(Meeting.of("attack-slow-" + r, "S1", "S2", "S3"));
                }
                // the victims come last, right before the flood: a mute client is closed 4003 two seconds after its
                // last frame, and setting up the rooms (TLS handshakes) can take longer than that
                for (var r = 0; r < 6; r++) {
                    var victim = RawClient.mute();
                    victims.add(victim);
                    victim.send("{'action':'hello'}");
                    victim.send("{'action':'join','data':{'room':'attack-slow-" + r + "'}}");
                }
                var victimIds = new ArrayList<String>();
                for (var senders : rooms) {
                    victimIds.add(senders.get(0).expect("peer-joined").getJsonObject("data").getJsonObject("peer").getString("peerId"));
                    senders.get(1).expect("peer-joined");
                    senders.get(2).expect("peer-joined");
                }
                // 3 x 80 frames of 60 KiB for each victim: 14 MiB, far over the byte bound, far under the message bound (1,024)
                for (var round = 0; round < 80; round++) {
                    for (var r = 0; r < rooms.size(); r++) {
                        for (var sender : rooms.get(r).members()) {
                            sender.send("{'action':'message','data':{'to':'" + victimIds.get(r) + "','payload':'" + BULK + "'}}");
                        }
                    }
                }
                // meanwhile, elsewhere: a client that closes is heard leaving at once, and a flooder gets its 4029 in time
                assertOtherClosesAreNotDelayed();
                for (var r = 0; r < rooms.size(); r++) {
                    for (var sender : rooms.get(r).members()) {
                        // closed 4008: detached, and what is kept for it no longer fits: ended
                        assertEquals(List.of("reconnecting", "disconnected"), LimitsIT.stateChanges(sender, victimIds.get(r)));
                    }
                }
                if (heapBefore.isPresent()) {
                    var grown = server.heapAfterGc().orElseThrow() - heapBefore.getAsLong();
                    var allowed = 6 * BYTE_BOUND + 24 * BYTE_BOUND; // the bound per victim, and room for the rest of the server
                    System.out.printf("Slow readers: the server's heap after GC grew %.1f MiB (allowed %.1f MiB)%n",
                            grown / 1048576.0, allowed / 1048576.0);
                    assertTrue(grown <= allowed, "the heap grew by " + grown / 1048576 + " MiB");
                } else {
                    System.out.println("Slow readers: the heap could not be read: " + server.heapUnavailable());
                }
                for (var victim : victims) {
                    victim.readAgain();
                    victim.expectCloseOfAStalledReader(4008);
                }
            } finally {
                victims.forEach(RawClient::close);
                for (var senders : rooms) {
                    senders.close();
                }
            }
            witness.verify();
        }
    }

    @Test
    void malformedFramesAreEachAnsweredAsDocumentedAndTheSocketStaysOpen() throws Exception {
        try (var witness = Witness.start(); var attacker = startedRawClient(); var mate = new RawClient()) {
            mate.send("{'action':'hello'}");
            var mateId = mate.next().getJsonObject("data").getString("peerId");
            attacker.send("{'action':'join','data':{'room':'attack-malformed'}}");
            assertEquals("joined", attacker.next().getString("action"));
            mate.send("{'action':'join','data':{'room':'attack-malformed'}}");
            assertEquals("joined", mate.next().getString("action"));
            assertEquals("peer-joined", attacker.next().getString("action"));

            var deep = "[".repeat(32_000) + "]".repeat(32_000);
            var manyKeys = new StringBuilder("{");
            for (var k = 0; k < 5_000; k++) {
                manyKeys.append(k == 0 ? "" : ",").append("\"k").append(k).append("\":").append(k);
            }
            var badRequests = List.of(
                    "{\"action\":\"message\",\"txn\":\"deep\",\"data\":{\"payload\":" + deep + "}}",
                    "{\"action\":\"join\",\"txn\":\"nul-room\",\"data\":{\"room\":\"a\\u0000b\"}}",
                    "{\"action\":\"join\",\"txn\":\"ctl-name\",\"data\":{\"room\":\"r\",\"displayName\":\"A\\u0007\\u001b[2J\"}}",
                    "{\"action\":\"join\",\"txn\":\"nul-name\",\"data\":{\"room\":\"r\",\"displayName\":\"A\\u0000B\"}}",
                    "{\"action\":\"message\",\"txn\":\"dupes\",\"data\":{\"to\":\"" + mateId + "\",\"to\":\"" + mateId + "\",\"payload\":1}}",
                    "{\"action\":\"message\",\"txn\":\"lone\",\"data\":{\"payload\":\"\\ud800\"}}",
                    "{\"action\":\"hello\",\"txn\":\"huge\",\"data\":{\"protocol\":1e999999}}",
                    "{\"action\":\"ping\",\"txn\":\"t1\"}{\"action\":\"ping\",\"txn\":\"t2\"}",
                    "null", "\"a bare string\"", "", "[]", "{\"action\":\"ping\"} ]]]] not json");
            for (var frame : badRequests) {
                assertTrue(attacker.sendText(frame.getBytes(StandardCharsets.UTF_8)));
                var answer = attacker.next();
                assertEquals("error", answer.getString("action"), frame);
                assertEquals("bad-request", answer.getJsonObject("data").getString("code"), () -> abbreviated(frame) + " -> " + answer);
            }
            // five thousand keys and a huge number are valid JSON: relayed whole
            attacker.send("{'action':'message','data':{'to':'" + mateId + "','payload':" + manyKeys + "}}}");
            assertEquals(5_000, mate.next().getJsonObject("data").getJsonObject("payload").size());
            attacker.send("{'action':'message','data':{'to':'" + mateId + "','payload':1e999999}}");
            assertEquals("1E+999999", mate.next().getJsonObject("data").get("payload").toString());
            attacker.send("{'action':'ping','txn':'still-open'}");
            assertEquals("still-open", attacker.next().getString("txn"));
            assertTrue(mate.receivedSoFar().isEmpty(), "the refused frames reached nobody");

            // frames outside the protocol close the socket, each with its code
            try (var binary = startedRawClient()) {
                binary.sendBinary(new byte[]{1, 2, 3});
                assertEquals(1003, binary.expectClose());
            }
            try (var invalidUtf8 = startedRawClient()) {
                invalidUtf8.sendText(new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
                assertEquals(1007, invalidUtf8.expectClose());
            }
            witness.verify();
        }
    }

    /**
     * The sockets open one after another while the first ones already time out, so the server is busy closing while
     * it opens. On Payara the hello timer starts when the endpoint opens, which can be before the container has
     * written the 101: a handshake that took the server longer than the hello timeout to answer may then be closed
     * before its client could read the 101 (an end of stream during the handshake, seen twice in a dozen CI runs). Such
     * a socket never had the chance to say hello and was closed for it, as it should be; one that ends sooner is a
     * failure.
     */
    @Test
    void twoThousandSocketsThatNeverSayHelloAreAllClosed4002() throws Exception {
        var helloTimeout = Duration.ofMillis(Long.getLong("rendezvous.hello-timeout-ms", 2_000));
        try (var witness = Witness.start()) {
            var silent = new ArrayList<RawClient>();
            var closedMidHandshake = 0;
            try {
                for (var i = 0; i < 2_000; i++) {
                    var started = System.nanoTime();
                    try {
                        silent.add(RawClient.overPlainWs());
                    } catch (EOFException closed) {
                        var took = Duration.ofNanos(System.nanoTime() - started);
                        if (took.compareTo(helloTimeout) < 0) {
                            throw new AssertionError("socket " + i + " was closed during its handshake after "
                                    + took.toMillis() + " ms, within the hello timeout", closed);
                        }
                        closedMidHandshake++;
                    }
                }
                var codes = new HashSet<Integer>();
                for (var socket : silent) {
                    codes.add(socket.expectClose());
                }
                assertEquals(Set.of(4002), codes);
                assertTrue(closedMidHandshake <= 20, closedMidHandshake + " of 2,000 sockets timed out in their handshake");
            } finally {
                silent.forEach(RawClient::close);
            }
            witness.verify();
        }
    }

    @Test
    void twoHundredHalfSentUpgradeRequestsHeldOpenHarmNobody() throws Exception {
        var uri = Server.signalUri();
        var held = new ArrayList<Socket>();
        try (var witness = Witness.start()) {
            try {
                for (var i = 0; i < 200; i++) {
                    var socket = new Socket();
                    socket.connect(new InetSocketAddress(uri.getHost(), Server.httpPort()), 5_000);
                    OutputStream out = socket.getOutputStream();
                    out.write(("GET /signal HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nUpgrade: websocket\r\n")
                            .getBytes(StandardCharsets.US_ASCII)); // and never the rest
                    out.flush();
                    held.add(socket);
                }
                for (var i = 0; i < 5; i++) {
                    var started = System.nanoTime();
                    try (var newcomer = SignalClient.inRoom("attack-slowloris-" + i, "New")) {
                        var took = Duration.ofNanos(System.nanoTime() - started);
                        assertTrue(took.compareTo(Witness.HELLO_BOUND) <= 0, "a newcomer took " + took.toMillis() + " ms to join");
                    }
                }
                witness.verify();
            } finally {
                for (var socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aClientSendingTwentyThousandMessagesAsFastAsItCanIsRateLimitedThenClosed4029() throws Exception {
        try (var witness = Witness.start(); var flooder = startedRawClient()) {
            var sent = 0;
            while (sent < 20_000 && flooder.send("{'action':'ping','txn':'f" + sent + "'}")) {
                sent++;
            }
            assertEquals(4029, flooder.expectClose());
            var answers = flooder.receivedSoFar();
            var pongs = answers.stream().filter(answer -> answer.getString("action").equals("pong")).count();
            var refused = answers.stream().filter(answer -> answer.getString("action").equals("error")).toList();
            assertTrue(pongs > 0 && !refused.isEmpty(), pongs + " pongs, " + refused.size() + " errors");
            for (var error : refused) {
                assertEquals("rate-limited", error.getJsonObject("data").getString("code"), error::toString);
            }
            assertEquals(answers.size(), pongs + refused.size(), "nothing but pongs and rate-limited errors");
            System.out.printf("Flood: %d frames sent before the close, %d answered pong, %d refused rate-limited%n",
                    sent, pongs, refused.size());
            witness.verify();
        }
    }

    @Test
    void nobodyCanSpeakAsAnotherPeerOrReachIntoAnotherRoom() throws Exception {
        try (var witness = Witness.start(); var ours = Meeting.of("attack-spoof-a", "Ann", "Bob");
             var theirs = Meeting.of("attack-spoof-b", "Carol", "Dave"); var loner = SignalClient.hello()) {
            var ann = ours.get(0);
            var bob = ours.get(1);
            var carol = theirs.get(0);
            ann.send("{'action':'offer','from':'" + carol.id() + "','data':{'to':'" + bob.id() + "','from':'" + carol.id() + "','offer':{}}}");
            var offer = bob.expect("offer");
            assertEquals(ann.id(), offer.getString("from"), "the server stamps the real sender");
            ann.send("{'action':'offer','txn':'cross','data':{'to':'" + carol.id() + "','offer':{}}}");
            assertEquals("cross", ann.expectError("not-same-room").getString("txn"));
            ann.send("{'action':'message','txn':'cross-msg','data':{'to':'" + carol.id() + "','payload':'psst'}}");
            ann.expectError("not-same-room");
            loner.send("{'action':'offer','txn':'in','data':{'remoteId':'" + carol.id() + "','offer':{}}}");
            loner.expectError("not-same-room");
            carol.expectNothingElse();
            theirs.get(1).expectNothingElse();
            witness.verify();
        }
    }

    /** While the server closes slow readers: a closing client's room hears peer-left at once, and a flooder's close frame is on time. */
    private static void assertOtherClosesAreNotDelayed() throws Exception {
        try (var ann = SignalClient.inRoom("attack-bystanders", "Ann")) {
            var bob = SignalClient.inRoom("attack-bystanders", "Bob");
            ann.expect("peer-joined");
            var closed = System.nanoTime();
            bob.close();
            ann.expect("peer-left");
            var heard = Duration.ofNanos(System.nanoTime() - closed);
            assertTrue(heard.compareTo(Duration.ofSeconds(1)) <= 0, "peer-left came " + heard.toMillis() + " ms after the close");
        }
        try (var flooder = startedRawClient()) {
            var sent = 0;
            while (sent < 400 && flooder.send("{'action':'ping'}")) {
                sent++;
            }
            var stopped = System.nanoTime();
            assertEquals(4029, flooder.expectClose());
            var took = Duration.ofNanos(System.nanoTime() - stopped);
            // documented: the close frame goes out once the client is quiet for 100 ms, at the heartbeat's next tick
            assertTrue(took.compareTo(Duration.ofMillis(2_500)) <= 0, "the flooder's close frame took " + took.toMillis() + " ms");
        }
    }

    /** A RawClient that said hello. */
    private static RawClient startedRawClient() throws Exception {
        var client = new RawClient();
        client.send("{'action':'hello','txn':'h'}");
        assertEquals("welcome", client.next().getString("action"));
        return client;
    }

    /** The answer to a join: "joined", or the error code. A joiner may first hear of others who joined before its answer. */
    private static String answerToJoin(RawClient client) throws InterruptedException {
        while (true) {
            var message = client.next();
            switch (message.getString("action")) {
                case "joined" -> {
                    return "joined";
                }
                case "error" -> {
                    return message.getJsonObject("data").getString("code");
                }
                default -> {
                    // peer-joined of an earlier winner, before our own answer: not possible, but not our answer either
                }
            }
        }
    }

    private static JsonObject skipUntilReply(RawClient client, String txn) throws InterruptedException {
        for (var message = client.next(); ; message = client.next()) {
            if (txn.equals(message.getString("txn", null))) {
                return message;
            }
        }
    }

    /**
     * A holder's events up to {@code last} joining: each must be a racer's join or leave, every racer that joined must
     * have left by then (else the room would have been full for {@code last}), and the list is returned to compare.
     */
    private static List<String> eventsUntilJoined(SignalClient holder, String last, List<String> holderIds) {
        var present = new HashSet<String>();
        var events = new ArrayList<String>();
        while (true) {
            var message = holder.next();
            var data = message.getJsonObject("data");
            switch (message.getString("action")) {
                case "peer-joined" -> {
                    var id = data.getJsonObject("peer").getString("peerId");
                    if (id.equals(last)) {
                        assertEquals(Set.of(), present, "racers still seated when the fourth joined");
                        return events;
                    }
                    assertTrue(!holderIds.contains(id) && present.add(id), message::toString);
                    events.add("+" + id);
                }
                case "peer-left" -> {
                    assertTrue(present.remove(data.getString("peerId")), message::toString);
                    events.add("-" + data.getString("peerId"));
                }
                case "peer-state" -> {
                    // a racer whose connection dropped waits out its grace in its seat: reconnecting, then it leaves
                    assertTrue(present.contains(data.getString("peerId")), message::toString);
                    events.add("~" + data.getString("peerId"));
                }
                default -> throw new AssertionError("a holder heard " + message);
            }
        }
    }

    /**
     * Joins {@code room}; while it is full, asks again: the last racers' closes may still be on their way, and a racer
     * whose connection dropped keeps its seat for its grace (4 s) after its heartbeat timeout (2 s).
     */
    private static JsonObject joinOnceFree(SignalClient client, String room) throws InterruptedException {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            client.send("{'action':'join','txn':'free','data':{'room':'" + room + "','displayName':'Fourth'}}");
            var answer = client.next();
            if (answer.getString("action").equals("joined") || System.nanoTime() > deadline) {
                assertEquals("joined", answer.getString("action"), answer::toString);
                return answer.getJsonObject("data");
            }
            TimeUnit.MILLISECONDS.sleep(100); // a bounded poll: no event says when another peer's close completes
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
