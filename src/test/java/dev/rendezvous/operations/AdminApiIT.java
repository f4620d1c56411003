package dev.rendezvous.operations;

import dev.rendezvous.signaling.RawClient;
import dev.rendezvous.signaling.SignalClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API under {@code /admin/}: only the role {@code rendezvous-admin} gets in (HTTP BASIC, refused 401 with a
 * challenge, never a login page), and each operation does to the protocol what the issue says.
 */
class AdminApiIT {

    private static String room() {
        return "admin-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void withoutCredentialsTheApiIsRefused401WithABasicChallenge() throws Exception {
        for (var path : new String[]{"/rooms", "/settings", "/rooms/r1/close", "/metrics"}) {
            var response = Http.anonymous().get(Admin.uri(path));

            assertEquals(401, response.statusCode(), path);
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
                    path + ": " + response.headers().map());
        }
    }

    @Test
    void aWrongPasswordIsRefused401() throws Exception {
        var response = Http.as(Admin.USER, "not-the-password").get(Admin.uri("/rooms"));

        assertEquals(401, response.statusCode());
        assertTrue(response.headers().firstValue("WWW-Authenticate").isPresent());
    }

    @Test
    void roomsListsEachRoomWithItsPeersSinceWhenAndFromWhere() throws Exception {
        var room = room();
        var before = Instant.now().minusSeconds(5); // the server's clock and the test's are the machine's
        try (var ann = SignalClient.inRoom(room, "Ann"); var bob = SignalClient.inRoom(room, "Bob")) {
            ann.expect("peer-joined");

            var listed = Admin.operator().get(Admin.uri("/rooms"));
            assertEquals(200, listed.statusCode(), listed.body());
            var mine = Http.json(listed).asJsonArray().stream().map(JsonValue::asJsonObject)
                    .filter(each -> room.equals(each.getString("room"))).toList();
            assertEquals(1, mine.size(), listed.body());

            var one = Admin.operator().get(Admin.uri("/rooms/" + room));
            assertEquals(200, one.statusCode(), one.body());
            var json = Http.json(one).asJsonObject();
            assertEquals(mine.get(0), json);
            assertEquals(4, json.getInt("capacity"));
            assertFalse(json.getBoolean("locked"));
            assertFalse(Instant.parse(json.getString("createdAt")).isBefore(before));
            var peers = json.getJsonArray("peers");
            assertEquals(2, peers.size());
            assertPeer(peers.getJsonObject(0), ann.id(), "Ann", before);
            assertPeer(peers.getJsonObject(1), bob.id(), "Bob", before);
        }
    }

    @Test
    void anUnknownRoomIs404() throws Exception {
        assertEquals(404, Admin.operator().get(Admin.uri("/rooms/" + room())).statusCode());
        assertEquals(404, Admin.operator().post(Admin.uri("/rooms/" + room() + "/lock"), "{}").statusCode());
        assertEquals(404, Admin.operator().post(Admin.uri("/rooms/" + room() + "/close"), "{}").statusCode());
        assertEquals(404, Admin.operator().get(Admin.uri("/rooms/not%20a%20room%20name")).statusCode());
    }

    @Test
    void kickClosesThePeer4010WithTheReasonTheRoomHearsKickedAndItCannotResume() throws Exception {
        var room = room();
        try (var ann = SignalClient.inRoom(room, "Ann"); var bob = new RawClient()) {
            var bobId = joined(bob, room);
            ann.expect("peer-joined");

            var kicked = Admin.operator().post(Admin.uri("/rooms/" + room + "/peers/" + bobId + "/kick"),
                    "{\"reason\":\"spamming the room\"}");

            assertEquals(204, kicked.statusCode(), kicked.body());
            assertEquals(4010, bob.expectClose());
            assertEquals("spamming the room", bob.expectCloseReason());
            var left = ann.expect("peer-left").getJsonObject("data");
            assertEquals(bobId, left.getString("peerId"));
            assertEquals("kicked", left.getString("reason"));
            assertEquals(404, Admin.operator().post(Admin.uri("/rooms/" + room + "/peers/" + bobId + "/kick"), "")
                    .statusCode(), "gone already");
            try (var again = new RawClient()) {
                again.send("{'action':'hello','txn':'r','data':{'protocol':1,'resume':{'token':'" + resumeToken + "','lastSeq':0}}}");
                var refused = again.next();
                assertEquals("error", refused.getString("action"), refused.toString());
                assertEquals("resume-failed", refused.getJsonObject("data").getString("code"));
            }
        }
    }

    @Test
    void kickWithoutABodyClosesWithTheDefaultReason() throws Exception {
        var room = room();
        try (var ann = new RawClient()) {
            var annId = joined(ann, room);

            assertEquals(204, Admin.operator().post(Admin.uri("/rooms/" + room + "/peers/" + annId + "/kick"), "")
                    .statusCode());

            assertEquals(4010, ann.expectClose());
            assertEquals("kicked by an operator", ann.expectCloseReason());
        }
    }

    /** Bob's resume token, from his welcome. */
    private String resumeToken;

    /** Says hello on {@code client} and joins {@code room}; its peer id. */
    private String joined(RawClient client, String room) throws Exception {
        client.send("{'action':'hello','txn':'h','data':{'protocol':1}}");
        var welcome = client.next().getJsonObject("data");
        resumeToken = welcome.getJsonObject("resume").getString("token");
        client.send("{'action':'join','txn':'j','data':{'room':'" + room + "'}}");
        var joined = client.next();
        assertEquals("joined", joined.getString("action"), joined.toString());
        return welcome.getString("peerId");
    }

    @Test
    void aLockedRoomAnswersJoinRoomLockedUntilUnlocked() throws Exception {
        var room = room();
        try (var ann = SignalClient.inRoom(room, "Ann"); var bob = SignalClient.hello()) {
            assertEquals(204, Admin.operator().post(Admin.uri("/rooms/" + room + "/lock"), "").statusCode());
            assertTrue(Http.json(Admin.operator().get(Admin.uri("/rooms/" + room))).asJsonObject().getBoolean("locked"));

            bob.send("{'action':'join','txn':'j','data':{'room':'" + room + "'}}");
            bob.expectError("room-locked");

            assertEquals(204, Admin.operator().post(Admin.uri("/rooms/" + room + "/unlock"), "").statusCode());
            bob.join(room, "Bob");
            ann.expect("peer-joined");
        }
    }

    @Test
    void closeTellsEveryMemberRoomClosedKeepsTheirSocketsAndTheRoomIsGone() throws Exception {
        var room = room();
        try (var ann = SignalClient.inRoom(room, "Ann"); var bob = SignalClient.inRoom(room, "Bob")) {
            ann.expect("peer-joined");

            assertEquals(204, Admin.operator().post(Admin.uri("/rooms/" + room + "/close"), "").statusCode());

            assertEquals(room, ann.expect("room-closed").getJsonObject("data").getString("room"));
            assertEquals(room, bob.expect("room-closed").getJsonObject("data").getString("room"));
            ann.expectNothingElse();
            assertTrue(ann.isOpen() && bob.isOpen());
            assertEquals(404, Admin.operator().get(Admin.uri("/rooms/" + room)).statusCode());
        }
    }

    @Test
    void aPostThatIsNotJsonIsRefusedSoThatNoOtherSitesFormCanAct() throws Exception {
        var room = room();
        try (var ann = SignalClient.inRoom(room, "Ann")) {
            var form = Admin.operator().postForm(Admin.uri("/rooms/" + room + "/close"));

            assertEquals(415, form.statusCode(), form.body());
            ann.expectNothingElse();
        }
    }

    @Test
    void settingsShowEveryPropertyInForce() throws Exception {
        var response = Admin.operator().get(Admin.uri("/settings"));

        assertEquals(200, response.statusCode(), response.body());
        var settings = Http.json(response).asJsonObject();
        assertEquals("4", settings.getString("rendezvous.room-capacity"), "a default");
        assertEquals("2000", settings.getString("rendezvous.hello-timeout-ms"), "as the build set it");
        assertEquals("65536", settings.getString("rendezvous.max-message-bytes"));
        assertEquals("false", settings.getString("rendezvous.metrics.public"));
        assertTrue(settings.isNull("rendezvous.auth.jwt.secret"), "not set here: " + settings);
        assertTrue(settings.containsKey("rendezvous.ice.turn-secret"));
    }

    private static void assertPeer(JsonObject peer, String id, String name, Instant notBefore) {
        assertEquals(id, peer.getString("peerId"));
        assertEquals(name, peer.getString("displayName"));
        assertFalse(Instant.parse(peer.getString("joinedAt")).isBefore(notBefore));
        var address = peer.getString("remoteAddress");
        assertTrue(address.matches("(127\\.0\\.0\\.1|\\[[0-9a-f:]+\\]):[0-9]{1,5}"), address);
    }

}
