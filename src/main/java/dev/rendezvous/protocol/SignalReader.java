package dev.rendezvous.protocol;

import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import jakarta.json.stream.JsonParserFactory;

import java.io.StringReader;
import java.util.HashSet;

/**
 * Reads a signal, the message on the relay path, in one streaming pass that models none of its data: the envelope's
 * {@code action}, {@code txn} and addressee are read, every other value is checked by the same strict parser and
 * duplicate-key rule as any frame, and the data's other members are taken as the text they arrived in
 * ({@link SignalFields}), located by the parser's stream offsets.
 *
 * <p>It answers only what it can read completely: for another action, a frame holding a {@code &#92;u} escape (which could
 * name half a surrogate pair), a field of an unexpected type, a syntax error, or a parser whose offsets do not point
 * where this class expects, it answers null, and {@link ClientMessageReader} reads the frame again and answers it.
 * So both paths accept the same signals, and every refusal comes from the one that says why.
 */
final class SignalReader {

    private final String text;
    private final JsonParser parser;
    /** Made when the data object is found (once: a second {@code data} key is refused). */
    private StringBuilder members;
    private String action;
    private String txn;
    private String to;
    private String remoteId;
    private boolean hasData;

    private SignalReader(String text, JsonParser parser) {
        this.text = text;
        this.parser = parser;
    }

    /** The signal {@code text} holds, or null if it holds anything else or this reader is not sure of it. */
    static ClientMessage.Relay read(String text, JsonParserFactory parsers) {
        ClientMessage.Relay relay;
        try (var parser = parsers.createParser(new StringReader(text))) {
            relay = new SignalReader(text, parser).relay();
        } catch (JsonException unreadable) {
            return null; // the full reader parses it again and refuses it with the parser's reason
        }
        // checked only for a signal: any other frame stopped at its action, and the full reader checks it
        return relay != null && Text.cannotHoldHalfAPair(text) ? relay : null;
    }

    private ClientMessage.Relay relay() {
        if (parser.next() != Event.START_OBJECT || !readEnvelope() || parser.hasNext() || action == null || !hasData) {
            return null;
        }
        var signal = Signal.forAction(action);
        if (to != null && remoteId != null && !to.equals(remoteId)) {
            return null;
        }
        var addressee = to != null ? to : remoteId;
        if (signal == null || addressee == null || !PeerId.isWellFormed(addressee)
                || (txn != null && txn.length() > ClientMessageReader.MAX_TXN_LENGTH)) {
            return null;
        }
        return new ClientMessage.Relay(txn, signal, new PeerId(addressee), new SignalFields(members.toString()));
    }

    private boolean readEnvelope() {
        var keys = new HashSet<String>(8);
        for (var event = parser.next(); event != Event.END_OBJECT; event = parser.next()) {
            var key = parser.getString();
            if (!keys.add(key)) {
                return false;
            }
            var value = parser.next();
            var read = switch (key) {
                case "action" -> readAction(value);
                case "txn" -> readTxn(value);
                case "data" -> value == Event.START_OBJECT && readData();
                default -> skip(value);
            };
            if (!read) {
                return false;
            }
        }
        return true;
    }

    /** Reads the action, stopping the read at once if it names no signal. */
    private boolean readAction(Event value) {
        if (value != Event.VALUE_STRING) {
            return false;
        }
        action = parser.getString();
        return Signal.forAction(action) != null;
    }

    private boolean readTxn(Event value) {
        if (value == Event.VALUE_STRING) {
            txn = parser.getString();
        }
        return value == Event.VALUE_STRING || value == Event.VALUE_NULL;
    }

    /** The data object's members: its addressing fields read, the others copied from the text as they are. */
    private boolean readData() {
        hasData = true;
        members = new StringBuilder(text.length());
        var keys = new HashSet<String>(8);
        var previousEnd = offset();
        for (var event = parser.next(); event != Event.END_OBJECT; event = parser.next()) {
            var key = parser.getString();
            if (!keys.add(key)) {
                return false;
            }
            var value = parser.next();
            if (Addressing.isAddressingField(key)) {
                if (value == Event.VALUE_STRING) {
                    if (Addressing.TO.equals(key)) {
                        to = parser.getString();
                    } else {
                        remoteId = parser.getString();
                    }
                } else if (value != Event.VALUE_NULL) {
                    return false;
                }
            } else {
                if (!skip(value)) {
                    return false;
                }
                var end = offset();
                var start = text.indexOf('"', previousEnd); // past the whitespace and comma before the key
                if (start < 0 || start >= end || !endsWhereExpected(value, end)) {
                    return false;
                }
                if (!members.isEmpty()) {
                    members.append(',');
                }
                members.append(text, start, end);
            }
            previousEnd = offset();
        }
        return true;
    }

    /** Reads past the value {@code value} starts, checking it as it goes; false on a duplicate key. */
    private boolean skip(Event value) {
        return switch (value) {
            case START_OBJECT -> skipObject();
            case START_ARRAY -> skipArray();
            case VALUE_STRING, VALUE_NUMBER, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> true;
            case KEY_NAME, END_OBJECT, END_ARRAY -> false;
        };
    }

    private boolean skipObject() {
        var keys = new HashSet<String>(8);
        for (var event = parser.next(); event != Event.END_OBJECT; event = parser.next()) {
            if (!keys.add(parser.getString()) || !skip(parser.next())) {
                return false;
            }
        }
        return true;
    }

    private boolean skipArray() {
        for (var event = parser.next(); event != Event.END_ARRAY; event = parser.next()) {
            if (!skip(event)) {
                return false;
            }
        }
        return true;
    }

    /** Where the parser is: just past the last character of the value or bracket it read last. */
    private int offset() {
        return (int) parser.getLocation().getStreamOffset();
    }

    /** Whether the text before {@code end} is the last character of a value of that kind: the offsets can be trusted. */
    private boolean endsWhereExpected(Event value, int end) {
        if (end <= 0 || end > text.length()) {
            return false;
        }
        var last = text.charAt(end - 1);
        return switch (value) {
            case START_OBJECT -> last == '}';
            case START_ARRAY -> last == ']';
            case VALUE_STRING -> last == '"';
            case VALUE_NUMBER -> last >= '0' && last <= '9';
            case VALUE_TRUE, VALUE_FALSE -> last == 'e';
            case VALUE_NULL -> last == 'l';
            case KEY_NAME, END_OBJECT, END_ARRAY -> false;
        };
    }
}
