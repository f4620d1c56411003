package dev.rendezvous.protocol;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The codec, on JSON-P's streaming API: a text frame is parsed once into its envelope and validated into a
 * {@link ClientMessage}; a {@link ServerMessage} writes itself straight into a generator. Both factories are
 * thread-safe and made once. (JSON-B's {@code Jsonb} did the same work through a marshalling context per call, which
 * hashed every relayed message, SDP included, for its recursion check: a third of the codec's time in the profile.)
 */
public final class Wire {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final JsonParserFactory PARSERS = JSON.createParserFactory(Map.of());
    private static final JsonGeneratorFactory GENERATORS = JSON.createGeneratorFactory(Map.of());

    private Wire() {
    }

    /**
     * Reads one client message.
     *
     * @throws ProtocolException for anything that is not a valid message, with the code to answer and, if it could be
     *                           read, the message's txn
     */
    public static ClientMessage decode(String text) {
        return ClientMessageReader.read(envelope(text));
    }

    /** Parses one JSON object, and nothing after it; the parser's failures are the only ones turned into a refusal. */
    private static JsonObject envelope(String text) {
        try (var parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw notAnObject();
            }
            var envelope = parser.getObject();
            if (parser.hasNext()) {
                throw notAnObject();
            }
            return envelope;
        } catch (JsonException | NoSuchElementException | IllegalStateException malformed) {
            throw notAnObject();
        }
    }

    /** Writes one server message as a JSON text. */
    public static String encode(ServerMessage message) {
        var text = new StringWriter(256);
        try (var out = GENERATORS.createGenerator(text)) {
            message.writeTo(out);
        }
        return text.toString();
    }

    private static ProtocolException notAnObject() {
        return new ProtocolException(ErrorCode.BAD_REQUEST, "a message must be one JSON object");
    }
}
