package dev.rendezvous.protocol;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Objects;

/**
 * What a signal carries on to its addressee: the members of the sender's {@code data} object, its addressing fields
 * ({@code to}, {@code remoteId}) dropped, as the JSON text they arrived in. The relayed frame splices that text in
 * unparsed ({@link ServerMessage.Relayed}); the server never models SDP or candidates.
 *
 * @param members comma-separated JSON object members, {@code "name":value,...}, without the braces; empty for none.
 *                Only {@link Wire} and this class make them, from text that a strict parser has read.
 */
public record SignalFields(String members) {

    /** A signal with no data beyond its addressee. */
    public static final SignalFields NONE = new SignalFields("");

    public SignalFields {
        Objects.requireNonNull(members);
    }

    /** The fields of {@code data} minus its addressing fields, written out. */
    public static SignalFields of(JsonObject data) {
        var text = new StringWriter();
        try (var out = Json.createGenerator(text)) {
            out.writeStartObject();
            for (var field : data.entrySet()) {
                if (!Addressing.isAddressingField(field.getKey())) {
                    out.write(field.getKey(), field.getValue());
                }
            }
            out.writeEnd();
        }
        var object = text.toString();
        return new SignalFields(object.substring(1, object.length() - 1));
    }

    /** The fields as a JSON object, parsed again; for writing through a generator, not on the relay path. */
    JsonObject asObject() {
        try (var reader = Json.createReader(new StringReader("{" + members + "}"))) {
            return reader.readObject();
        }
    }

    boolean isEmpty() {
        return members.isEmpty();
    }
}
