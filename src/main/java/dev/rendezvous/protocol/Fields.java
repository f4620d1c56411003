package dev.rendezvous.protocol;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** Typed, refusing reads of JSON object fields: a field of the wrong type is a {@code bad-request}, never a guess. */
final class Fields {

    private Fields() {
    }

    static String optionalString(JsonObject object, String name) {
        var value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw wrongType(name, "a string");
    }

    static JsonObject optionalObject(JsonObject object, String name) {
        var value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonObject nested) {
            return nested;
        }
        throw wrongType(name, "an object");
    }

    static Integer optionalInt(JsonObject object, String name) {
        var value = optionalLong(object, name);
        if (value == null) {
            return null;
        }
        if (value != value.intValue()) {
            throw wrongType(name, "an integer");
        }
        return value.intValue();
    }

    static Long optionalLong(JsonObject object, String name) {
        var value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonNumber number && number.isIntegral()) {
            try {
                return number.longValueExact();
            } catch (ArithmeticException tooLarge) {
                throw wrongType(name, "an integer");
            }
        }
        throw wrongType(name, "an integer");
    }

    private static ProtocolException wrongType(String name, String type) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, name + " must be " + type);
    }
}
