package dev.rendezvous.signaling.control;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A session's single-use resume token: 128 random bits that find the session, and 128 more that prove the holder had
 * them from its {@code welcome}, compared in constant time. Looking a session up by its id can take longer or shorter
 * depending on the id, but the id alone resumes nothing; the secret is never compared in a way that tells how much of
 * it matched. Neither half is derived from the peer id, which the whole room knows.
 */
record ResumeToken(String id, byte[] secret) {

    private static final int HALF = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    static ResumeToken fresh(SecureRandom random) {
        var bytes = new byte[2 * HALF];
        random.nextBytes(bytes);
        return of(bytes);
    }

    /** The token a client presented, if it is one at all. */
    static Optional<ResumeToken> parse(String text) {
        try {
            var bytes = DECODER.decode(text);
            return bytes.length == 2 * HALF ? Optional.of(of(bytes)) : Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    /** Whether {@code presented} is this token: same id, and the same secret, compared in constant time. */
    boolean matches(ResumeToken presented) {
        return id.equals(presented.id) && MessageDigest.isEqual(secret, presented.secret);
    }

    /** The token as the client gets it: 43 URL-safe characters. */
    String text() {
        var bytes = Arrays.copyOf(DECODER.decode(id), 2 * HALF);
        System.arraycopy(secret, 0, bytes, HALF, HALF);
        return ENCODER.encodeToString(bytes);
    }

    private static ResumeToken of(byte[] bytes) {
        return new ResumeToken(ENCODER.encodeToString(Arrays.copyOf(bytes, HALF)), Arrays.copyOfRange(bytes, HALF, 2 * HALF));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResumeToken token && matches(token);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "resume token " + id + "…"; // never the secret
    }
}
