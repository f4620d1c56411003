package dev.rendezvous.protocol;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Turns a parsed envelope {@code {"action", "txn"?, "data"?}} into a validated {@link ClientMessage}. Unknown extra
 * fields are ignored; a client's {@code from} is one of them.
 */
final class ClientMessageReader {

    static final int MAX_TXN_LENGTH = 64;

    private static final Map<String, BiFunction<String, JsonObject, ClientMessage>> READERS = Map.of(
            "hello", (txn, data) -> new ClientMessage.Hello(txn, orDefault(Fields.optionalInt(data, "protocol")), resume(data),
                    Fields.optionalString(data, "token")),
            "start", (txn, data) -> new ClientMessage.Start(txn),
            "join", (txn, data) -> new ClientMessage.Join(txn, roomName(data), DisplayName.ofNullable(Fields.optionalString(data, "displayName"))),
            "leave", (txn, data) -> new ClientMessage.Leave(txn),
            "message", (txn, data) -> new ClientMessage.Post(txn, Addressing.addressee(data), data.get("payload")),
            "ping", (txn, data) -> new ClientMessage.Ping(txn),
            "ack", (txn, data) -> new ClientMessage.Ack(txn, required(Fields.optionalLong(data, "seq"), "ack needs data.seq")));

    private ClientMessageReader() {
    }

    /** Every action a client may send. */
    static Set<String> actions() {
        var actions = new TreeSet<>(READERS.keySet());
        for (var signal : Signal.values()) {
            actions.add(signal.action());
        }
        return Collections.unmodifiableSet(actions);
    }

    static ClientMessage read(JsonObject envelope) {
        var txn = txn(envelope);
        try {
            var action = Fields.optionalString(envelope, "action");
            if (action == null) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "a message needs an action");
            }
            var data = Fields.optionalObject(envelope, "data");
            if (data == null) {
                data = JsonValue.EMPTY_JSON_OBJECT;
            }
            var signal = Signal.forAction(action);
            if (signal != null) {
                return new ClientMessage.Relay(txn, signal, Addressing.addressee(data), SignalFields.of(data));
            }
            var reader = READERS.get(action);
            if (reader == null) {
                throw new ProtocolException(ErrorCode.UNKNOWN_ACTION, "unknown action: " + abbreviated(action));
            }
            return reader.apply(txn, data);
        } catch (ProtocolException refused) {
            throw refused.answering(txn);
        }
    }

    /** The txn to echo: a string of at most 64 characters; anything else is refused without one. */
    private static String txn(JsonObject envelope) {
        var txn = Fields.optionalString(envelope, "txn");
        if (txn != null && txn.length() > MAX_TXN_LENGTH) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "txn must be at most " + MAX_TXN_LENGTH + " characters");
        }
        return txn;
    }

    private static RoomName roomName(JsonObject data) {
        var room = Fields.optionalString(data, "room");
        if (room == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "join needs data.room");
        }
        return new RoomName(room);
    }

    /** {@code data.resume}, or null for a fresh session's hello. */
    private static ClientMessage.Resume resume(JsonObject data) {
        var resume = Fields.optionalObject(data, "resume");
        if (resume == null) {
            return null;
        }
        return new ClientMessage.Resume(Fields.optionalString(resume, "token"),
                required(Fields.optionalLong(resume, "lastSeq"), "data.resume needs lastSeq, the last seq received"));
    }

    private static long required(Long value, String missing) {
        if (value == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, missing);
        }
        return value;
    }

    private static int orDefault(Integer protocol) {
        return protocol == null ? ClientMessage.Hello.CURRENT_PROTOCOL : protocol;
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
