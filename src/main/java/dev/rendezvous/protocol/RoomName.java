package dev.rendezvous.protocol;

import java.util.regex.Pattern;

/** A room's name as clients choose it: 1-64 characters of {@code A-Z a-z 0-9 _ . -}. */
public record RoomName(String value) {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public RoomName {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "a room name is 1-64 characters of A-Z a-z 0-9 _ . -");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
