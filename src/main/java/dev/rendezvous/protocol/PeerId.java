package dev.rendezvous.protocol;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A peer's identity, chosen by the server: 128 random bits, URL-safe base64 without padding (22 characters).
 * Clients only ever echo ids they were given; a malformed one is refused as {@code bad-request}.
 */
public record PeerId(String value) {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    public PeerId {
        if (!isWellFormed(value)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "a peer id is 1-64 characters of A-Z a-z 0-9 _ -");
        }
    }

    /** Whether {@code value} is an id this server could have given: 1-64 characters of {@code [A-Za-z0-9_-]}. */
    static boolean isWellFormed(String value) {
        if (value == null || value.isEmpty() || value.length() > 64) {
            return false;
        }
        for (var i = 0; i < value.length(); i++) {
            var c = value.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** A fresh id with 128 bits from {@code random}. */
    public static PeerId random(SecureRandom random) {
        var bytes = new byte[16];
        random.nextBytes(bytes);
        return new PeerId(BASE64URL.encodeToString(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
