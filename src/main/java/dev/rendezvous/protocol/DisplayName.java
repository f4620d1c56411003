package dev.rendezvous.protocol;

/**
 * The name a peer shows the others: 1-64 characters, not blank, and nothing that hides or fakes text: no control
 * characters (NUL, line breaks, escapes), no unpaired surrogates, no bidirectional overrides or isolates.
 */
public record DisplayName(String value) {

    public static final int MAX_LENGTH = 64;

    public DisplayName {
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH || !Text.isPlain(value)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "a display name is 1-" + MAX_LENGTH
                    + " characters, not blank, without control characters or direction overrides");
        }
    }

    /** The display name in {@code value}, or null if there is none. */
    static DisplayName ofNullable(String value) {
        return value == null ? null : new DisplayName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
