package dev.rendezvous.protocol;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WireTest {

    private static final PeerId ANN = new PeerId("ann");
    private static final PeerId BOB = new PeerId("bob");

    @Test
    void theTutorialsStartIsTheSeedOpening() {
        assertEquals(new ClientMessage.Start(null), Wire.decode("{\"action\":\"start\"}"));
    }

    @Test
    void helloDefaultsToProtocolOneAndKeepsItsTxn() {
        assertEquals(new ClientMessage.Hello("1", 1), Wire.decode("{\"action\":\"hello\",\"txn\":\"1\"}"));
        assertEquals(new ClientMessage.Hello("2", 1), Wire.decode("{\"action\":\"hello\",\"txn\":\"2\",\"data\":{\"protocol\":1}}"));
    }

    @Test
    void helloForAnotherProtocolIsUnsupportedAndEchoesTheTxn() {
        var refused = refusal("{\"action\":\"hello\",\"txn\":\"7\",\"data\":{\"protocol\":2}}");
        assertEquals(ErrorCode.UNSUPPORTED_PROTOCOL, refused.code());
        assertEquals("7", refused.txn());
    }

    @Test
    void aTutorialOfferIsARelayAddressedByRemoteId() {
        var message = Wire.decode("{\"action\":\"offer\",\"data\":{\"remoteId\":\"bob\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}}");
        var relay = assertInstanceOf(ClientMessage.Relay.class, message);
        assertEquals(Signal.OFFER, relay.signal());
        assertEquals(BOB, relay.to());
    }

    @Test
    void aClientSuppliedFromIsIgnored() {
        var relay = assertInstanceOf(ClientMessage.Relay.class,
                Wire.decode("{\"action\":\"answer\",\"from\":\"mallory\",\"data\":{\"to\":\"bob\",\"answer\":{}}}"));
        assertEquals(BOB, relay.to());
        var relayed = json(Wire.encode(new ServerMessage.Relayed(relay.signal(), ANN, relay.data())));
        assertEquals("ann", relayed.getString("from"));
    }

    @Test
    void aRelayedOfferNamesItsSenderInRemoteIdAndKeepsEveryOtherField() {
        var data = json("{\"remoteId\":\"bob\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"},\"extra\":[1,2]}");
        var relayed = json(Wire.encode(new ServerMessage.Relayed(Signal.OFFER, ANN, data)));
        assertEquals(json("{\"action\":\"offer\",\"from\":\"ann\",\"data\":"
                + "{\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"},\"extra\":[1,2],\"remoteId\":\"ann\"}}"), relayed);
    }

    @Test
    void aRelayedAnswerOrCandidateDropsTheAddressingFields() {
        var data = json("{\"to\":\"bob\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5000 typ host\"}}");
        var relayed = json(Wire.encode(new ServerMessage.Relayed(Signal.ICE_CANDIDATE, ANN, data)));
        assertEquals(json("{\"action\":\"iceCandidate\",\"from\":\"ann\",\"data\":"
                + "{\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5000 typ host\"}}}"), relayed);
    }

    @Test
    void startIsAnsweredExactlyAsTheTutorialServerDoes() {
        assertEquals(json("{\"action\":\"start\",\"id\":\"ann\"}"), json(Wire.encode(new ServerMessage.Started(null, ANN))));
    }

    @Test
    void joinReadsTheRoomAndDisplayName() {
        assertEquals(new ClientMessage.Join("j", new RoomName("r-1.a_b"), "Ann"),
                Wire.decode("{\"action\":\"join\",\"txn\":\"j\",\"data\":{\"room\":\"r-1.a_b\",\"displayName\":\"Ann\"}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "not json", "[1,2]", "\"start\"", "42", "null", "{\"action\":\"start\"", "{\"action\":5}", "{}",
            "{\"action\":\"join\",\"data\":{\"room\":\"has space\"}}",
            "{\"action\":\"join\",\"data\":{\"room\":\"\"}}",
            "{\"action\":\"join\",\"data\":{}}",
            "{\"action\":\"join\",\"data\":{\"room\":7}}",
            "{\"action\":\"join\",\"data\":{\"room\":\"r\",\"displayName\":\"  \"}}",
            "{\"action\":\"join\",\"data\":\"r\"}",
            "{\"action\":\"offer\",\"data\":{\"offer\":{}}}",
            "{\"action\":\"offer\",\"data\":{\"to\":\"a\",\"remoteId\":\"b\"}}",
            "{\"action\":\"offer\",\"data\":{\"to\":\"not/an id\"}}",
            "{\"action\":\"message\",\"data\":{}}",
            "{\"action\":\"ping\",\"txn\":5}",
    })
    void malformedInputIsABadRequest(String text) {
        assertEquals(ErrorCode.BAD_REQUEST, refusal(text).code(), text);
    }

    @Test
    void anUnknownActionIsRefusedAsSuchWithItsTxn() {
        var refused = refusal("{\"action\":\"dance\",\"txn\":\"t9\"}");
        assertEquals(ErrorCode.UNKNOWN_ACTION, refused.code());
        assertEquals("t9", refused.txn());
    }

    @Test
    void anInvalidRoomNameEchoesTheTxn() {
        assertEquals("t1", refusal("{\"action\":\"join\",\"txn\":\"t1\",\"data\":{\"room\":\"a/b\"}}").txn());
    }

    @Test
    void aMessageCarriesAnyJsonPayload() {
        var post = assertInstanceOf(ClientMessage.Post.class,
                Wire.decode("{\"action\":\"message\",\"data\":{\"payload\":[\"hi\",{\"n\":1}]}}"));
        assertNull(post.to());
        assertEquals(json("{\"action\":\"message\",\"from\":\"ann\",\"data\":{\"payload\":[\"hi\",{\"n\":1}]}}"),
                json(Wire.encode(new ServerMessage.Posted(ANN, post.payload()))));
    }

    @Test
    void welcomeAnnouncesHeartbeatLimitsAndIceServers() {
        var welcome = json(Wire.encode(new ServerMessage.Welcome("1", ANN, new Heartbeat(25_000, 60_000),
                new Limits(65_536, 50, 200, 4),
                List.of(new IceServer(List.of("stun:stun.example.org"), null, null),
                        new IceServer(List.of("turn:turn.example.org"), "u", "c")))));
        assertEquals(json("""
                {"action":"welcome","txn":"1","data":{"peerId":"ann","protocol":1,
                 "heartbeat":{"intervalMs":25000,"timeoutMs":60000},
                 "limits":{"maxMessageBytes":65536,"messagesPerSecond":50,"burst":200,"roomCapacity":4},
                 "iceServers":[{"urls":["stun:stun.example.org"]},
                               {"urls":["turn:turn.example.org"],"username":"u","credential":"c"}]}}"""), welcome);
    }

    @Test
    void errorsCarryTheirWireCode() {
        assertEquals(json("{\"action\":\"error\",\"txn\":\"3\",\"data\":{\"code\":\"room-full\",\"message\":\"full\"}}"),
                json(Wire.encode(new ServerMessage.Problem("3", ErrorCode.ROOM_FULL, "full"))));
    }

    @Test
    void peerIdsAreRandomUrlSafeAndCarry128Bits() {
        var random = new java.security.SecureRandom();
        var first = PeerId.random(random);
        assertEquals(22, first.value().length());
        assertFalse(first.equals(PeerId.random(random)));
    }

    private static ProtocolException refusal(String text) {
        return assertThrows(ProtocolException.class, () -> Wire.decode(text));
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
