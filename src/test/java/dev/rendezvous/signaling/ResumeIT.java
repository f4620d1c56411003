package dev.rendezvous.signaling;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session resume over real sockets: a dropped socket keeps its session (peer id, seat, every message) for the grace,
 * and a new socket takes it up. The test server runs with a 4 s grace and a 2 s heartbeat timeout (see the pom).
 */
class ResumeIT {

    private static final long GRACE_MS = Long.getLong("rendezvous.resume.grace-ms", 4_000);

    /** A raw socket's protocol-1 session, as the client keeps it: its id, its token, and the last seq it read. */
    private static final class Held {
        final RawClient socket;
        final String id;
        String token;
        long lastSeq;

        Held(RawClient socket, JsonObject welcome) {
            this.socket = socket;
            var data = welcome.getJsonObject("data");
            this.id = data.getString("peerId");
            this.token = data.getJsonObject("resume").getString("token");
        }

        /** The next message, noting its seq as read. */
        JsonObject next() throws InterruptedException {
            var message = socket.next();
            if (message.containsKey("seq")) {
                lastSeq = message.getJsonNumber("seq").longValue();
            }
            return message;
        }

        JsonObject expect(String action) throws InterruptedException {
            var message = next();
            assertEquals(action, message.getString("action"), message::toString);
            return message;
        }
    }

    private static Held started(RawClient socket) throws InterruptedException {
        socket.send("{'action':'hello','txn':'h','data':{'protocol':1}}");
        var welcome = socket.next();
        assertEquals("welcome", welcome.getString("action"), welcome::toString);
        return new Held(socket, welcome);
    }

    private static Held inRoom(String room) throws Exception {
        var held = started(new RawClient());
        held.socket.send("{'action':'join','txn':'j','data':{'room':'" + room + "','displayName':'Bob'}}");
        held.expect("joined");
        return held;
    }

    /** Says hello on a fresh socket with {@code token}, resuming from {@code lastSeq}; returns the answer. */
    private static JsonObject resume(RawClient socket, String token, long lastSeq) throws InterruptedException {
        socket.send("{'action':'hello','txn':'r','data':{'protocol':1,'resume':{'token':'" + token + "','lastSeq':" + lastSeq + "}}}");
        return socket.next();
    }

    private static Held resumed(Held before) throws Exception {
        var socket = new RawClient();
        var welcome = resume(socket, before.token, before.lastSeq);
        assertEquals("welcome", welcome.getString("action"), welcome::toString);
        assertFalse(welcome.containsKey("seq"), "a welcome carries no seq");
        var data = welcome.getJsonObject("data");
        assertTrue(data.getBoolean("resumed"));
        assertEquals(before.id, data.getString("peerId"), "the same peer id");
        var next = new Held(socket, welcome);
        assertNotEquals(before.token, next.token, "a fresh token for the next resume");
        next.lastSeq = before.lastSeq;
        return next;
    }

    private static void tell(SignalClient from, Held to, String text) {
        from.send("{'action':'message','data':{'to':'" + to.id + "','payload':'" + text + "'}}");
    }

    private static JsonObject state(SignalClient member, String peer, String state) {
        var message = member.expect("peer-state").getJsonObject("data");
        assertEquals(peer, message.getString("peerId"));
        assertEquals(state, message.getString("state"));
        return message;
    }

    private static String reasonOf(JsonObject error) {
        assertEquals("error", error.getString("action"), error::toString);
        assertEquals("resume-failed", error.getJsonObject("data").getString("code"), error::toString);
        return error.getJsonObject("data").getString("reason");
    }

    @Test
    void everyMessageAfterWelcomeCarriesTheNextSeqErrorsAndPongIncluded() throws Exception {
        try (var socket = new RawClient()) {
            socket.send("{'action':'hello','txn':'h'}");
            var welcome = socket.next();
            assertFalse(welcome.containsKey("seq"));
            var data = welcome.getJsonObject("data");
            assertFalse(data.getBoolean("resumed"));
            assertEquals(GRACE_MS, data.getJsonObject("resume").getJsonNumber("graceMs").longValue());
            assertTrue(data.getJsonObject("resume").getString("token").length() >= 22, "at least 128 bits");
            assertNotEquals(data.getString("peerId"), data.getJsonObject("resume").getString("token"));
            socket.send("{'action':'join','data':{'room':'resume-seq'}}");
            socket.send("{'action':'join','data':{'room':'no such room!'}}");
            socket.send("{'action':'ping'}");
            var seqs = new ArrayList<Long>();
            for (var i = 0; i < 3; i++) {
                seqs.add(socket.next().getJsonNumber("seq").longValue());
            }
            assertEquals(List.of(1L, 2L, 3L), seqs, "joined, error, pong");
        }
    }

    @Test
    void aDroppedSocketKeepsItsSessionAndAResumeSendsWhatItMissedExactlyOnceInOrderWithItsSeq() throws Exception {
        var room = "resume-replay";
        try (var ann = SignalClient.inRoom(room, "Ann")) {
            var bob = inRoom(room);
            ann.expect("peer-joined");
            tell(ann, bob, "one");
            bob.expect("message");
            var read = bob.lastSeq;
            tell(ann, bob, "two"); // on its way as the network drops: bob never reads it
            bob.socket.reset();
            state(ann, bob.id, "reconnecting");
            tell(ann, bob, "three"); // a message for a detached peer waits for it: no error
            var back = resumed(bob);
            try (var socket = back.socket) {
                var two = back.expect("message");
                var three = back.expect("message");
                assertEquals(List.of("two", "three"), List.of(two.getJsonObject("data").getString("payload"),
                        three.getJsonObject("data").getString("payload")));
                assertEquals(List.of(read + 1, read + 2), List.of(two.getJsonNumber("seq").longValue(), three.getJsonNumber("seq").longValue()),
                        "each with the number it was first sent with");
                state(ann, bob.id, "connected");
                tell(ann, back, "four");
                assertEquals(read + 3, back.expect("message").getJsonNumber("seq").longValue(), "live traffic goes on in sequence");
                socket.send("{'action':'ping','txn':'only'}");
                assertEquals("only", back.expect("pong").getString("txn"), "nothing was sent twice");
                ann.expectNothingElse();
            }
        }
    }

    @Test
    void aTokenResumesOnceThenIsUnknownAndTheSocketStaysOpenUnstarted() throws Exception {
        var bob = started(new RawClient());
        bob.socket.reset();
        var back = resumed(bob);
        try (var second = new RawClient(); var socket = back.socket) {
            assertEquals("unknown", reasonOf(resume(second, bob.token, bob.lastSeq)));
            second.send("{'action':'ping','txn':'p'}");
            assertEquals("not-started", second.next().getJsonObject("data").getString("code"));
        }
    }

    @Test
    void whenTheGraceRunsOutTheRoomHearsTimeoutTheSeatIsFreeAndAResumeIsToldExpired() throws Exception {
        var room = "resume-expired";
        try (var ann = SignalClient.inRoom(room, "Ann")) {
            var bob = inRoom(room);
            ann.expect("peer-joined");
            bob.socket.reset();
            state(ann, bob.id, "reconnecting");
            var left = ann.expect("peer-left").getJsonObject("data"); // 4 s later
            assertEquals(bob.id, left.getString("peerId"));
            assertEquals("timeout", left.getString("reason"));
            try (var late = new RawClient()) { // opened only now: a socket silent for the whole grace would be closed 4002
                assertEquals("expired", reasonOf(resume(late, bob.token, bob.lastSeq)));
            }
            // Bob's seat is free again: with Ann, three newcomers fill the room of four (each join expects joined)
            Meeting.of(room, "Cid", "Dee", "Eve").close();
        }
    }

    @Test
    void aCloseWithNormalClosureOrNoCodeEndsTheSessionAtOnceWithoutPeerStateAndSoDoesNothingForLeave() throws Exception {
        var room = "resume-on-purpose";
        try (var ann = SignalClient.inRoom(room, "Ann"); var after = new RawClient()) {
            var bob = inRoom(room);
            ann.expect("peer-joined");
            bob.socket.closeCleanly(); // 1000
            assertEquals("disconnected", ann.expect("peer-left").getJsonObject("data").getString("reason"));
            assertEquals("unknown", reasonOf(resume(after, bob.token, bob.lastSeq)));

            var carol = inRoom(room);
            ann.expect("peer-joined");
            carol.socket.closeWithoutCode(); // 1005
            assertEquals("disconnected", ann.expect("peer-left").getJsonObject("data").getString("reason"));

            var dave = inRoom(room);
            ann.expect("peer-joined");
            dave.socket.send("{'action':'leave','txn':'l'}");
            dave.expect("left");
            assertEquals("left", ann.expect("peer-left").getJsonObject("data").getString("reason"));
            dave.socket.send("{'action':'ping','txn':'still'}");
            assertEquals("still", dave.expect("pong").getString("txn"), "leave only left the room: the session lives on");
            dave.socket.close();
            ann.expectNothingElse();
        }
    }

    @Test
    void aFullRoomKeepsADetachedPeersSeatAndTheResumedPeerIsStillInIt() throws Exception {
        var room = "resume-full";
        try (var meeting = Meeting.of(room, "Ann", "Cy", "Di"); var fifth = SignalClient.hello()) {
            var ann = meeting.get(0);
            var bob = inRoom(room);
            meeting.members().forEach(member -> member.expect("peer-joined"));
            bob.socket.reset();
            meeting.members().forEach(member -> state(member, bob.id, "reconnecting"));
            fifth.send("{'action':'join','txn':'five','data':{'room':'" + room + "'}}").expectError("room-full");
            var back = resumed(bob);
            try (var socket = back.socket) {
                meeting.members().forEach(member -> state(member, bob.id, "connected"));
                socket.send("{'action':'message','data':{'to':'" + ann.id() + "','payload':'back'}}");
                assertEquals(bob.id, ann.expect("message").getString("from"), "still a member of the room");
            }
        }
    }

    @Test
    void whatIsQueuedWhileDetachedAndNoLongerFitsEndsTheSessionAndAResumeIsToldGap() throws Exception {
        var room = "resume-gap";
        try (var ann = SignalClient.inRoom(room, "Ann"); var late = new RawClient()) {
            var bob = inRoom(room);
            ann.expect("peer-joined");
            bob.socket.reset();
            state(ann, bob.id, "reconnecting");
            var bulk = "x".repeat(60_000);
            for (var i = 0; i < 20; i++) { // 1.2 MB, over the 1 MiB a session keeps
                ann.send("{'action':'message','data':{'to':'" + bob.id + "','payload':'" + bulk + "'}}");
            }
            assertEquals(List.of("disconnected"), LimitsIT.stateChanges(ann, bob.id));
            assertEquals("gap", reasonOf(resume(late, bob.token, bob.lastSeq)));
        }
    }

    @Test
    void aHalfOpenOldSocketIsClosed4005AndSentNothingMoreWhileTheRoomHearsNothing() throws Exception {
        var room = "resume-half-open";
        try (var ann = SignalClient.inRoom(room, "Ann")) {
            var bob = inRoom(room);
            ann.expect("peer-joined");
            var back = resumed(bob); // the old socket is still open as far as the server knows
            try (var old = bob.socket; var socket = back.socket) {
                assertEquals(4005, old.expectClose());
                tell(ann, back, "to the new one");
                assertEquals("to the new one", back.expect("message").getJsonObject("data").getString("payload"));
                assertTrue(old.receivedSoFar().isEmpty(), "nothing more on the old socket");
                ann.expectNothingElse(); // bob never looked away
            }
        }
    }

    @Test
    void aLastSeqBeyondWhatWasSentIsABadRequestAndTheTokenStillWorks() throws Exception {
        var bob = started(new RawClient());
        bob.socket.reset();
        try (var wrong = new RawClient()) {
            var answer = resume(wrong, bob.token, bob.lastSeq + 10);
            assertEquals("bad-request", answer.getJsonObject("data").getString("code"), answer::toString);
        }
        resumed(bob).socket.close();
    }

    @Test
    void aResumedSessionKeepsWhatItHadSpentOfItsRateLimit() throws Exception {
        var bob = started(new RawClient());
        for (var i = 0; i < 190; i++) { // of a burst of 200
            bob.socket.send("{'action':'ping'}");
        }
        for (var i = 0; i < 190; i++) {
            bob.expect("pong");
        }
        bob.socket.reset();
        var back = resumed(bob);
        var fresh = started(new RawClient());
        try (var socket = back.socket; var other = fresh.socket) {
            assertTrue(refusals(back, 40) > 0, "the resumed session spends what it had left, not a fresh burst");
            assertEquals(0, refusals(fresh, 40), "a fresh session has a whole burst");
        }
    }

    @Test
    void aResumeRacingTheServersDetectionOfTheOldSocketsDeathAlwaysTakesTheSessionOver() throws Exception {
        var room = "resume-race";
        try (var ann = SignalClient.inRoom(room, "Ann")) {
            var outcomes = new ArrayList<Integer>();
            for (var round = 0; round < 8; round++) {
                var mute = new RawClient();
                var bob = started(mute);
                mute.send("{'action':'join','txn':'j','data':{'room':'" + room + "'}}");
                bob.expect("joined");
                mute.stopReading(); // answers no pings from now on: the server will time it out 2 s after its join
                var joined = ann.expect("peer-joined").getJsonObject("data").getJsonObject("peer").getString("peerId");
                assertEquals(bob.id, joined);
                // the resume lands around the moment the server decides the old socket is dead
                TimeUnit.MILLISECONDS.sleep(1_850 + ThreadLocalRandom.current().nextInt(400)); // the race's timing, not a wait for an event
                var back = resumed(bob);
                try (var old = mute; var socket = back.socket) {
                    old.readAgain();
                    var code = old.expectClose();
                    assertTrue(code == 4005 || code == 4003, "the old socket was closed 4005 or 4003, not " + code);
                    outcomes.add(code);
                    if (code == 4003) { // detached first: the room heard it go and come back
                        state(ann, bob.id, "reconnecting");
                        state(ann, bob.id, "connected");
                    }
                    tell(ann, back, "round " + round);
                    assertEquals("round " + round, back.expect("message").getJsonObject("data").getString("payload"));
                    socket.closeCleanly();
                    assertEquals("disconnected", ann.expect("peer-left").getJsonObject("data").getString("reason"));
                }
            }
            System.out.println("Resume races: the old socket was closed " + outcomes + " (4005: taken over while half-open; 4003: timed out first)");
            ann.expectNothingElse();
        }
    }

    /** Sends {@code pings} pings at once and counts how many are refused rate-limited. */
    private static int refusals(Held held, int pings) throws InterruptedException {
        for (var i = 0; i < pings; i++) {
            held.socket.send("{'action':'ping'}");
        }
        var refused = 0;
        for (var i = 0; i < pings; i++) {
            var answer = held.next();
            if (answer.getString("action").equals("error")) {
                assertEquals("rate-limited", answer.getJsonObject("data").getString("code"));
                refused++;
            }
        }
        return refused;
    }
}
