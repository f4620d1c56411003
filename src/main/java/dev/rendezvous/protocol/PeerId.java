package dev.rendezvous.protocol;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A peer's identity, chosen by the server: 128 random bits, URL-safe base64 without padding (22 characters).
 * Clients only ever echo ids they were given; a malformed one is refused as {@code bad-request}.
 */
public record PeerId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    public PeerId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "a peer id is 1-64 characters of A-Z a-z 0-9 _ -");
        }
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
