package dev.rendezvous.signaling;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.rendezvous.signaling.SignalClient.json;
import static dev.rendezvous.signaling.SignalClient.jsonArray;
import static dev.rendezvous.signaling.SignalClient.unnumbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protocol 1 rooms: hello, join, leave, capacity, and who hears about whom. */
class RoomsIT {

    @Test
    void helloIsAnsweredWithWelcomeCarryingPeerIdHeartbeatLimitsAndIceServers() throws Exception {
        try (var ann = SignalClient.connect()) {
            var welcome = ann.send("{'action':'hello','txn':'t-1','data':{'protocol':1}}").expect("welcome");
            assertEquals("t-1", welcome.getString("txn"));
            var data = welcome.getJsonObject("data");
            assertTrue(data.getString("peerId").matches("[A-Za-z0-9_-]{22}"), data.toString());
            assertEquals(1, data.getInt("protocol"));
            assertTrue(data.getJsonObject("heartbeat").getInt("intervalMs") > 0);
            assertTrue(data.getJsonObject("heartbeat").getInt("timeoutMs") > data.getJsonObject("heartbeat").getInt("intervalMs"));
            assertEquals(json("{\"maxMessageBytes\":65536,\"messagesPerSecond\":50,\"burst\":200,\"roomCapacity\":4}"),
                    data.getJsonObject("limits"));
            assertEquals(0, data.getJsonArray("iceServers").size(), "no ICE servers are configured for the tests");
        }
    }

    @Test
    void helloForAnUnknownProtocolVersionIsUnsupported() throws Exception {
        try (var ann = SignalClient.connect()) {
            ann.send("{'action':'hello','txn':'v9','data':{'protocol':9}}");
            assertEquals("v9", ann.expectError("unsupported-protocol").getString("txn"));
        }
    }

    @Test
    void anythingButHelloOrStartFirstIsNotStarted() throws Exception {
        try (var ann = SignalClient.connect()) {
            for (var early : List.of("{'action':'join','txn':'a','data':{'room':'r'}}", "{'action':'ping','txn':'a'}",
                    "{'action':'leave','txn':'a'}", "{'action':'message','txn':'a','data':{'payload':1}}",
                    "{'action':'offer','txn':'a','data':{'to':'AAAAAAAAAAAAAAAAAAAAAA'}}")) {
                assertEquals("a", ann.send(early).expectError("not-started").getString("txn"), early);
            }
            ann.send("{'action':'hello'}").expect("welcome");
        }
    }

    @Test
    void joiningAnEmptyRoomAnswersJoinedWithNoPeersAndTheCapacity() throws Exception {
        try (var ann = SignalClient.hello()) {
            var joined = ann.send("{'action':'join','txn':'j1','data':{'room':'rooms-empty','displayName':'Ann'}}").expect("joined");
            assertEquals("j1", joined.getString("txn"));
            assertEquals(json("{\"room\":\"rooms-empty\",\"peerId\":\"" + ann.id() + "\",\"capacity\":4,\"peers\":[]}"),
                    joined.getJsonObject("data"));
        }
    }

    @Test
    void aJoinerLearnsTheEarlierMembersAsPoliteAndTheyLearnOfItAsImpolite() throws Exception {
        try (var ann = SignalClient.inRoom("rooms-polite", "Ann"); var bob = SignalClient.hello()) {
            var joined = bob.join("rooms-polite", "Bob");
            assertEquals(jsonArray("[{\"peerId\":\"" + ann.id() + "\",\"displayName\":\"Ann\",\"polite\":true}]"),
                    joined.getJsonArray("peers"));
            assertEquals(json("{\"action\":\"peer-joined\",\"data\":{\"room\":\"rooms-polite\","
                    + "\"peer\":{\"peerId\":\"" + bob.id() + "\",\"displayName\":\"Bob\"},\"polite\":false}}"), ann.nextUnnumbered());
        }
    }

    @Test
    void joiningAFullRoomIsRejectedWithRoomFullAndChangesNothing() throws Exception {
        var members = new ArrayList<SignalClient>();
        try (var late = SignalClient.hello()) {
            for (var i = 0; i < 4; i++) {
                members.add(SignalClient.inRoom("rooms-full", "M" + i));
            }
            late.send("{'action':'join','txn':'late','data':{'room':'rooms-full'}}");
            assertEquals("late", late.expectError("room-full").getString("txn"));
            // nobody heard of the refused peer, and it is in no room
            for (var i = 0; i < 4; i++) {
                for (var j = i + 1; j < 4; j++) {
                    members.get(i).expect("peer-joined");
                }
                members.get(i).expectNothingElse();
            }
            late.send("{'action':'leave','txn':'l'}").expectError("not-in-room");
        } finally {
            closeAll(members);
        }
    }

    @Test
    void concurrentJoinsNeverOverfillARoom() throws Exception {
        var clients = new ArrayList<SignalClient>();
        var pool = Executors.newFixedThreadPool(10);
        try {
            for (var i = 0; i < 10; i++) {
                clients.add(SignalClient.hello());
            }
            var joins = new ArrayList<Callable<String>>();
            for (var client : clients) {
                joins.add(() -> {
                    client.send("{'action':'join','data':{'room':'rooms-race'}}");
                    // a joiner may first hear of others who joined after it; its own answer is joined or room-full
                    while (true) {
                        var message = client.next();
                        var action = message.getString("action");
                        if (action.equals("joined")) {
                            return action;
                        }
                        if (action.equals("error")) {
                            return message.getJsonObject("data").getString("code");
                        }
                    }
                });
            }
            var outcomes = new ArrayList<String>();
            for (var outcome : pool.invokeAll(joins, 30, TimeUnit.SECONDS)) {
                outcomes.add(outcome.get());
            }
            assertEquals(4, outcomes.stream().filter("joined"::equals).count(), outcomes.toString());
            assertEquals(6, outcomes.stream().filter("room-full"::equals).count(), outcomes.toString());
        } finally {
            pool.shutdownNow();
            closeAll(clients);
        }
    }

    @Test
    void joiningTheSameRoomAgainAnswersJoinedAgainAndTellsNobody() throws Exception {
        try (var meeting = Meeting.of("rooms-again", "Ann", "Bob")) {
            var ann = meeting.get(0);
            var bob = meeting.get(1);
            var again = bob.join("rooms-again", "Bob");
            assertEquals(jsonArray("[{\"peerId\":\"" + ann.id() + "\",\"displayName\":\"Ann\",\"polite\":true}]"), again.getJsonArray("peers"));
            ann.expectNothingElse();
        }
    }

    @Test
    void joiningAnotherRoomLeavesTheFirstWithPeerLeft() throws Exception {
        try (var meeting = Meeting.of("rooms-first", "Ann", "Bob"); var carol = SignalClient.inRoom("rooms-second", "Carol")) {
            var ann = meeting.get(0);
            var bob = meeting.get(1);
            bob.join("rooms-second", "Bob");
            assertEquals(peerLeft("rooms-first", bob, "left"), ann.nextUnnumbered());
            assertEquals("peer-joined", carol.next().getString("action"));
        }
    }

    @Test
    void leaveAnswersLeftAndTellsTheOthers() throws Exception {
        try (var meeting = Meeting.of("rooms-leave", "Ann", "Bob")) {
            var ann = meeting.get(0);
            var bob = meeting.get(1);
            var left = bob.send("{'action':'leave','txn':'bye'}").expect("left");
            assertEquals(json("{\"action\":\"left\",\"txn\":\"bye\",\"data\":{\"room\":\"rooms-leave\"}}"), unnumbered(left));
            assertEquals(peerLeft("rooms-leave", bob, "left"), ann.nextUnnumbered());
        }
    }

    @Test
    void leavingWithoutARoomIsNotInRoom() throws Exception {
        try (var ann = SignalClient.hello()) {
            ann.send("{'action':'leave','txn':'l'}").expectError("not-in-room");
        }
    }

    @Test
    void closingTheSocketTellsTheRoomDisconnectedAndThePeerIsGone() throws Exception {
        try (var ann = SignalClient.inRoom("rooms-close", "Ann")) {
            String bobId;
            try (var bob = SignalClient.inRoom("rooms-close", "Bob")) {
                bobId = bob.id();
                ann.expect("peer-joined");
            }
            assertEquals(json("{\"action\":\"peer-left\",\"data\":{\"room\":\"rooms-close\",\"peerId\":\"" + bobId
                    + "\",\"reason\":\"disconnected\"}}"), ann.nextUnnumbered());
            ann.send("{'action':'offer','data':{'to':'" + bobId + "','offer':{}}}").expectError("peer-not-found");
        }
    }

    @Test
    void anEmptiedRoomStartsAfreshForTheNextJoiner() throws Exception {
        try (var ann = SignalClient.inRoom("rooms-afresh", "Ann")) {
            ann.send("{'action':'leave'}").expect("left");
            try (var bob = SignalClient.hello()) {
                assertEquals(0, bob.join("rooms-afresh", "Bob").getJsonArray("peers").size());
            }
        }
    }

    @Test
    void anInvalidRoomNameIsABadRequestThatEchoesTheTxn() throws Exception {
        try (var ann = SignalClient.hello()) {
            for (var room : List.of("", "has space", "slash/no", "x".repeat(65), "ümlaut")) {
                ann.send("{'action':'join','txn':'bad-room','data':{'room':'" + room + "'}}");
                assertEquals("bad-room", ann.expectError("bad-request").getString("txn"), room);
            }
            ann.send("{'action':'join','data':{'room':'" + "x".repeat(64) + "'}}").expect("joined");
        }
    }

    static JsonObject peerLeft(String room, SignalClient peer, String reason) {
        return json("{\"action\":\"peer-left\",\"data\":{\"room\":\"" + room + "\",\"peerId\":\"" + peer.id()
                + "\",\"reason\":\"" + reason + "\"}}");
    }

    static void closeAll(List<SignalClient> clients) throws Exception {
        for (var client : clients) {
            client.close();
        }
    }
}
