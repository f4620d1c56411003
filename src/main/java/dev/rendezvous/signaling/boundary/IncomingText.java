package dev.rendezvous.signaling.boundary;

/**
 * The text of one client message, assembled from the parts the container hands over as they arrive and bounded as it
 * grows, for a container that bounds no part itself (WildFly's Undertow, see {@link SignalingEndpoint}): a message
 * over {@code maxBytes} is read to its end and refused, so that the 1009 close reaches the client (a close sent while
 * a frame still arrives is often lost to the TCP reset that the unread rest causes), as {@link ClientMessageDecoder}
 * does on the other containers; one that passes {@link #CUT_OFF_FACTOR} times the limit is cut off there, holding
 * nothing more.
 *
 * <p>The container hands one connection's parts over one at a time, never concurrently.
 */
final class IncomingText {

    /** How far past the limit a message is still read to its end before it is cut off. */
    static final int CUT_OFF_FACTOR = 4;

    /** What a part made of the message it belongs to. */
    enum Outcome {
        /** More is to come. */
        PART,
        /** The message is complete: {@link #message()} has it. */
        MESSAGE,
        /** The message ended over the limit: refuse it with 1009. */
        TOO_BIG,
        /** The message passed the cut-off: close with 1009 now and read no more of it. */
        CUT_OFF,
        /** The rest of a message already refused. */
        DISCARDED
    }

    private final int maxBytes;
    private final StringBuilder pending = new StringBuilder();
    /** Characters of the message so far. */
    private long chars;
    /** Its exact size in UTF-8, counted once it could pass the limit (a char is 1-3 bytes); -1 until then. */
    private long bytes = -1;
    private boolean refused;
    private boolean cutOff;
    private String message;

    IncomingText(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    Outcome add(String part, boolean last) {
        if (cutOff) {
            return Outcome.DISCARDED;
        }
        chars += part.length();
        if (bytes < 0 && chars * 3 > maxBytes) {
            bytes = utf8Length(pending);
        }
        if (bytes >= 0) {
            bytes += utf8Length(part);
        }
        if (!refused && bytes > maxBytes) {
            refused = true;
            pending.setLength(0);
            pending.trimToSize();
        }
        if (refused) {
            if (bytes > (long) CUT_OFF_FACTOR * maxBytes) {
                cutOff = true;
                return Outcome.CUT_OFF;
            }
            if (last) {
                reset();
                return Outcome.TOO_BIG;
            }
            return Outcome.PART;
        }
        if (!last) {
            pending.append(part);
            return Outcome.PART;
        }
        if (pending.isEmpty()) {
            message = part; // the usual case: a whole message in one part, not copied
        } else {
            message = pending.append(part).toString();
            pending.setLength(0);
        }
        reset();
        return Outcome.MESSAGE;
    }

    /** The message the last {@link Outcome#MESSAGE} completed. */
    String message() {
        return message;
    }

    private void reset() {
        chars = 0;
        bytes = -1;
        refused = false;
    }

    private static long utf8Length(CharSequence text) {
        long length = 0;
        for (var i = 0; i < text.length(); i++) {
            var c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
