package dev.rendezvous.protocol;

import jakarta.json.Json;
import jakarta.json.JsonConfig;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParserFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The streaming read of signals must accept exactly what the full reader accepts, and relay the same JSON. */
class SignalReaderTest {

    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of(
            JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE, "org.eclipse.parsson.rejectDuplicateKeys", true));
    private static final PeerId ANN = new PeerId("ann");

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"action\":\"offer\",\"data\":{\"remoteId\":\"bob\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"}}}",
            "{\"action\":\"candidate\",\"txn\":\"c1\",\"data\":{\"to\":\"bob\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}}",
            "{\"action\":\"iceCandidate\",\"data\":{\"candidate\":{\"sdpMLineIndex\":0},\"remoteId\":\"bob\"}}",
            "{\"action\":\"answer\",\"data\":{\"answer\":{},\"to\":\"bob\",\"n\":-1.5e3}}",
            "{\"data\":{\"to\":\"bob\",\"answer\":{\"sdp\":\"x\"}},\"action\":\"answer\",\"from\":\"mallory\"}",
            " { \"action\" : \"hangup\" , \"data\" : { \"to\" : \"bob\" , \"reason\" : [ 1 , true , false , null , { } , [ ] ] , \"last\" : 7 } } \r\n",
            "{\"action\":\"end-of-candidates\",\"txn\":null,\"data\":{\"to\":\"bob\"}}",
            "{\"action\":\"renegotiate\",\"data\":{\"to\":\"bob\",\"remoteId\":\"bob\",\"x\":null,\"y\":true,\"z\":false}}",
            "{\"action\":\"offer\",\"data\":{\"to\":\"bob\",\"remoteId\":null,\"offer\":{\"sdp\":\"\ud83d\ude00 é\"}},\"extra\":{\"deep\":[{\"a\":{\"b\":[]}}]}}",
    })
    void aSignalIsReadInOnePassAsTheFullReaderReadsIt(String text) {
        var streamed = SignalReader.read(text, PARSERS);
        assertNotNull(streamed, text);
        var full = (ClientMessage.Relay) ClientMessageReader.read(object(text));
        assertEquals(full.txn(), streamed.txn(), text);
        assertEquals(full.signal(), streamed.signal(), text);
        assertEquals(full.to(), streamed.to(), text);
        assertEquals(full.data().asObject(), streamed.data().asObject(), text);
        assertEquals(relayedThroughAGenerator(full), object(Wire.encode(new ServerMessage.Relayed(streamed.signal(), ANN, streamed.data()))), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"action\":\"ping\",\"txn\":\"p\"}",
            "{\"action\":\"message\",\"data\":{\"to\":\"bob\",\"payload\":1}}",
            "{\"action\":\"offer\",\"data\":{\"to\":\"bob\",\"sdp\":\"\\u00e9\"}}",
            "{\"action\":\"offer\",\"data\":{\"to\":\"bob\",\"sdp\":\"\\ud800\"}}",
            "{\"action\":\"offer\",\"data\":{\"to\":\"bob\",\"o\":{\"k\":1,\"k\":2}}}",
            "{\"action\":\"offer\",\"data\":{\"to\":\"bob\",\"to\":\"bob\"}}",
            "{\"action\":\"offer\",\"action\":\"offer\",\"data\":{\"to\":\"bob\"}}",
            "{\"action\":\"offer\",\"data\":{\"to\":\"bob\"}} trailing",
            "{\"action\":\"offer\",\"data\":{\"to\":\"bob\"}",
            "{\"action\":\"offer\",\"data\":{\"to\":\"bob\",}}",
            "{\"action\":\"offer\"}",
            "{\"data\":{\"to\":\"bob\"}}",
            "{\"action\":\"offer\",\"data\":null}",
            "{\"action\":\"offer\",\"data\":{\"sdp\":\"x\"}}",
            "{\"action\":\"offer\",\"data\":{\"to\":7}}",
            "{\"action\":\"offer\",\"data\":{\"to\":\"a\",\"remoteId\":\"b\"}}",
            "{\"action\":\"offer\",\"data\":{\"to\":\"not/an id\"}}",
            "{\"action\":\"offer\",\"txn\":5,\"data\":{\"to\":\"bob\"}}",
            "{\"action\":\"offer\",\"txn\":\"01234567890123456789012345678901234567890123456789012345678901234\",\"data\":{\"to\":\"bob\"}}",
            "[{\"action\":\"offer\",\"data\":{\"to\":\"bob\"}}]",
    })
    void anythingElseIsLeftToTheFullReader(String text) {
        assertNull(SignalReader.read(text, PARSERS), text);
    }

    @Test
    void aRelayedSignalIsSplicedExactlyAsAGeneratorWritesIt() {
        var fields = new SignalFields("\"candidate\":{\"sdpMid\":\"0\"}");
        for (var signal : Signal.values()) {
            var relayed = new ServerMessage.Relayed(signal, ANN, fields);
            assertEquals(generated(relayed), relayed.spliced(), signal.action());
            var bare = new ServerMessage.Relayed(signal, ANN, SignalFields.NONE);
            assertEquals(generated(bare), bare.spliced(), signal.action());
        }
    }

    private static JsonObject relayedThroughAGenerator(ClientMessage.Relay relay) {
        return object(generated(new ServerMessage.Relayed(relay.signal(), ANN, relay.data())));
    }

    private static String generated(ServerMessage message) {
        var text = new StringWriter();
        try (var out = Json.createGenerator(text)) {
            message.writeTo(out);
        }
        return text.toString();
    }

    private static JsonObject object(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
