package dev.rendezvous.protocol;

import jakarta.json.Json;
import jakarta.json.JsonConfig;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import java.io.StringReader;
import java.util.Map;

/**
 * The codec. Server messages are written by the one thread-safe {@link Jsonb}, with a serializer that streams each
 * {@link ServerMessage} without reflection. Client frames are read by a strict JSON-P parser, the layer JSON-B itself
 * reads through: a frame must hold exactly one JSON object, with no duplicate keys and nothing after it. JSON-B cannot
 * say either: Yasson hands a deserializer only the first value and picks the last of duplicate keys.
 *
 * <p>The relay path, signals in and relayed signals out, models no data: a signal is read in one streaming pass
 * ({@link SignalReader}) and relayed by splicing its data's text into the outgoing envelope
 * ({@link ServerMessage.Relayed}). Parsing each frame into an object model and writing it again through JSON-B was
 * over a third of the server's CPU per relayed message.
 */
public final class Wire {

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withSerializers(new ServerMessageSerializer()));
    /** Duplicate keys are refused: the standard key strategy, and Parsson's own switch (which its parsers honour). */
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of(
            JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE,
            "org.eclipse.parsson.rejectDuplicateKeys", true));

    private Wire() {
    }

    /**
     * Reads one client message.
     *
     * @throws ProtocolException for anything that is not a valid message, with the code to answer and, if it could be
     *                           read, the message's txn
     */
    public static ClientMessage decode(String text) {
        var signal = SignalReader.read(text, PARSERS);
        if (signal != null) {
            return signal;
        }
        var envelope = parse(text);
        if (!Text.cannotHoldHalfAPair(text) && !Text.isWellFormed(envelope)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                    "a string holds an unpaired surrogate (\\ud800-\\udfff), which no UTF-8 frame can carry");
        }
        return ClientMessageReader.read(envelope);
    }

    /** Writes one server message as a JSON text; a relayed signal, the message on the relay path, without JSON-B. */
    public static String encode(ServerMessage message) {
        if (message instanceof ServerMessage.Relayed relayed) {
            return relayed.spliced();
        }
        return JSONB.toJson(message, ServerMessage.class);
    }

    /**
     * The frame's one JSON object. Any failure of the parser is the client's input at fault, whatever the parser
     * throws for it: a syntax error, a duplicate key, nesting deeper than the parser allows.
     */
    private static JsonObject parse(String text) {
        try (var parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "a message must be one JSON object");
            }
            var envelope = parser.getObject();
            if (parser.hasNext()) {
                throw trailing();
            }
            return envelope;
        } catch (ProtocolException refused) {
            throw refused;
        } catch (RuntimeException malformed) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "a message must be one JSON object, with nothing after it: "
                    + abbreviated(malformed.getMessage()));
        }
    }

    private static ProtocolException trailing() {
        return new ProtocolException(ErrorCode.BAD_REQUEST, "a message must be one JSON object, with nothing after it");
    }

    private static String abbreviated(String reason) {
        if (reason == null) {
            return "unreadable";
        }
        return reason.length() <= 120 ? reason : reason.substring(0, 120) + "...";
    }

    private static final class ServerMessageSerializer implements JsonbSerializer<ServerMessage> {
        @Override
        public void serialize(ServerMessage message, JsonGenerator out, SerializationContext context) {
            message.writeTo(out);
        }
    }
}
