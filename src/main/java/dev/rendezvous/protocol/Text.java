package dev.rendezvous.protocol;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** Checks on the characters of client text that the JSON grammar lets through. */
final class Text {

    private Text() {
    }

    /**
     * Whether every string in {@code value}, keys included, is well-formed UTF-16: a JSON escape may name half a
     * surrogate pair ({@code "\ud800"}), which no UTF-8 frame can carry on, so relaying it would change it. Only a
     * text with such an escape needs this walk: without one, its strings are made of the text's own characters.
     */
    static boolean isWellFormed(JsonValue value) {
        switch (value.getValueType()) {
            case STRING:
                return isWellFormed(((JsonString) value).getString());
            case OBJECT:
                for (var field : ((JsonObject) value).entrySet()) {
                    if (!isWellFormed(field.getKey()) || !isWellFormed(field.getValue())) {
                        return false;
                    }
                }
                return true;
            case ARRAY:
                for (var element : (JsonArray) value) {
                    if (!isWellFormed(element)) {
                        return false;
                    }
                }
                return true;
            default:
                return true;
        }
    }

    /**
     * Whether no string parsed from the JSON {@code text} can hold half a surrogate pair: the text is well-formed and
     * has no {@code &#92;u} escape, so its strings are made of its own characters. When false, walk the parsed value.
     */
    static boolean cannotHoldHalfAPair(String text) {
        return !text.contains("\\u") && isWellFormed(text);
    }

    static boolean isWellFormed(String text) {
        for (var i = 0; i < text.length(); i++) {
            var c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Well-formed, and free of control characters and of the bidirectional controls that make text lie about its order. */
    static boolean isPlain(String text) {
        return isWellFormed(text) && text.chars().noneMatch(c -> Character.isISOControl(c) || isBidiControl(c));
    }

    /** LRE, RLE, PDF, LRO, RLO (U+202A-U+202E) and the isolates LRI, RLI, FSI, PDI (U+2066-U+2069). */
    private static boolean isBidiControl(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}
