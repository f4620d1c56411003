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
     * surrogate pair ({@code "\ud800"}), which no UTF-8 frame can carry on, so relaying it would change it.
     */
    static boolean isWellFormed(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> isWellFormed(((JsonString) value).getString());
            case OBJECT -> ((JsonObject) value).entrySet().stream()
                    .allMatch(field -> isWellFormed(field.getKey()) && isWellFormed(field.getValue()));
            case ARRAY -> ((JsonArray) value).stream().allMatch(Text::isWellFormed);
            default -> true;
        };
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
