package dev.rendezvous.protocol;

import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;

import java.lang.reflect.Type;

/**
 * The codec: the one thread-safe {@link Jsonb}, with a deserializer that reads a text frame into a validated
 * {@link ClientMessage} (in one parse) and a serializer that streams a {@link ServerMessage} without reflection.
 */
public final class Wire {

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
            .withSerializers(new ServerMessageSerializer())
            .withDeserializers(new ClientMessageDeserializer()));

    private Wire() {
    }

    /**
     * Reads one client message.
     *
     * @throws ProtocolException for anything that is not a valid message, with the code to answer and, if it could be
     *                           read, the message's txn
     */
    public static ClientMessage decode(String text) {
        try {
            var message = JSONB.fromJson(text, ClientMessage.class);
            if (message == null) {
                throw notAnObject();
            }
            return message;
        } catch (JsonbException | jakarta.json.JsonException malformed) {
            if (malformed.getCause() instanceof ProtocolException refused) {
                throw refused;
            }
            throw notAnObject();
        }
    }

    /** Writes one server message as a JSON text. */
    public static String encode(ServerMessage message) {
        return JSONB.toJson(message, ServerMessage.class);
    }

    private static ProtocolException notAnObject() {
        return new ProtocolException(ErrorCode.BAD_REQUEST, "a message must be one JSON object");
    }

    private static final class ClientMessageDeserializer implements JsonbDeserializer<ClientMessage> {
        @Override
        public ClientMessage deserialize(JsonParser parser, DeserializationContext context, Type type) {
            JsonObject envelope = context.deserialize(JsonObject.class, parser);
            return ClientMessageReader.read(envelope);
        }
    }

    private static final class ServerMessageSerializer implements JsonbSerializer<ServerMessage> {
        @Override
        public void serialize(ServerMessage message, JsonGenerator out, SerializationContext context) {
            message.writeTo(out);
        }
    }
}
