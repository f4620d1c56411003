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
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        var data = SignalFields.of(json("{\"remoteId\":\"bob\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"},\"extra\":[1,2]}"));
        var relayed = json(Wire.encode(new ServerMessage.Relayed(Signal.OFFER, ANN, data)));
        assertEquals(json("{\"action\":\"offer\",\"from\":\"ann\",\"data\":"
                + "{\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"},\"extra\":[1,2],\"remoteId\":\"ann\"}}"), relayed);
    }

    @Test
    void aRelayedAnswerOrCandidateDropsTheAddressingFields() {
        var data = SignalFields.of(json("{\"to\":\"bob\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5000 typ host\"}}"));
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
        assertEquals(new ClientMessage.Join("j", new RoomName("r-1.a_b"), new DisplayName("Ann")),
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
        var seen = new java.util.HashSet<String>();
        var bits = new java.util.BitSet();
        for (var i = 0; i < 10_000; i++) {
            var id = PeerId.random(random).value();
            assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
            var bytes = java.util.Base64.getUrlDecoder().decode(id);
            assertEquals(16, bytes.length, id);
            bits.or(java.util.BitSet.valueOf(bytes));
            assertTrue(seen.add(id), "an id came twice: " + id);
        }
        assertEquals(128, bits.cardinality(), "every one of the 128 bits varies");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"action\":\"ping\",\"txn\":\"t1\"}{\"action\":\"ping\",\"txn\":\"t2\"}",
            "{\"action\":\"ping\"} ]]]] not json",
            "{\"action\":\"ping\"},",
            "{\"action\":\"ping\"} 42",
    })
    void aFrameHoldsExactlyOneJsonObjectWithNothingAfterIt(String text) {
        var refused = refusal(text);
        assertEquals(ErrorCode.BAD_REQUEST, refused.code(), text);
        assertTrue(refused.getMessage().contains("nothing after it"), refused.getMessage());
    }

    @Test
    void whitespaceAfterTheObjectIsFine() {
        assertEquals(new ClientMessage.Ping("t"), Wire.decode("{\"action\":\"ping\",\"txn\":\"t\"} \r\n\t "));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"action\":\"ping\",\"action\":\"start\"}",
            "{\"action\":\"message\",\"data\":{\"to\":\"a\",\"to\":\"b\",\"payload\":1}}",
            "{\"action\":\"message\",\"data\":{\"payload\":[{\"k\":1,\"k\":2}]}}",
    })
    void duplicateKeysAnywhereAreABadRequest(String text) {
        assertEquals(ErrorCode.BAD_REQUEST, refusal(text).code(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\udc00", "a\\ud83d", "\\udfffx"})
    void anUnpairedSurrogateAnywhereIsABadRequestRatherThanRelayedAltered(String escaped) {
        assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"action\":\"message\",\"data\":{\"payload\":\"" + escaped + "\"}}").code());
        assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"action\":\"message\",\"data\":{\"payload\":{\"" + escaped + "\":1}}}").code());
    }

    @Test
    void aSurrogatePairIsRelayedExactly() {
        var post = assertInstanceOf(ClientMessage.Post.class,
                Wire.decode("{\"action\":\"message\",\"data\":{\"payload\":\"\\ud83d\\ude00 \ud83d\ude01\"}}"));
        assertEquals("\ud83d\ude00 \ud83d\ude01", ((jakarta.json.JsonString) post.payload()).getString());
        assertTrue(Wire.encode(new ServerMessage.Posted(ANN, post.payload())).contains("\ud83d\ude00 \ud83d\ude01"));
    }

    @Test
    void nestingDeeperThanTheParserAllowsIsABadRequest() {
        var deep = "{\"action\":\"message\",\"data\":{\"payload\":" + "[".repeat(30_000) + "]".repeat(30_000) + "}}";
        assertEquals(ErrorCode.BAD_REQUEST, refusal(deep).code());
    }

    @Test
    void hugeNumbersAreRelayedAndRefusedWhereAnIntegerIsExpected() {
        var post = assertInstanceOf(ClientMessage.Post.class, Wire.decode("{\"action\":\"message\",\"data\":{\"payload\":1e999999}}"));
        assertEquals(0, new java.math.BigDecimal("1e999999").compareTo(((jakarta.json.JsonNumber) post.payload()).bigDecimalValue()));
        assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"action\":\"hello\",\"data\":{\"protocol\":1e999999}}").code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"A\\u0000B", "line\\nbreak", "esc\\u001b[31m", "\\u202eevil", "iso\\u2066late", "\\u0085next"})
    void aDisplayNameWithControlCharactersOrDirectionOverridesIsABadRequest(String escaped) {
        var refused = refusal("{\"action\":\"join\",\"txn\":\"n\",\"data\":{\"room\":\"r\",\"displayName\":\"" + escaped + "\"}}");
        assertEquals(ErrorCode.BAD_REQUEST, refused.code());
        assertEquals("n", refused.txn());
    }

    @Test
    void aDisplayNameMayHoldAnyLanguageAndEmoji() {
        for (var name : List.of("Zoë", "山田 花子", "Ольга", "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 family", "O'Brien-Smith")) {
            var join = assertInstanceOf(ClientMessage.Join.class, Wire.decode(Json.createObjectBuilder().add("action", "join")
                    .add("data", Json.createObjectBuilder().add("room", "r").add("displayName", name)).build().toString()));
            assertEquals(name, join.displayName().value());
        }
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
