package dev.rendezvous.protocol;

import java.util.Objects;

/**
 * A server message as it goes on the wire: its JSON text, encoded once however many peers receive it.
 *
 * <p>Most frames are encoded when made ({@link #of}), by the thread that makes them and before any lock is taken, so
 * their size is known for the outbound byte bound. The few built inside a room's lock from what the lock protects
 * (a {@code joined} lists the members) are {@link #deferred}: encoded by whichever thread first sends them, never
 * under the lock. They are small, and count toward an outbox's message bound only.
 */
public final class Frame {

    /** Null for a frame another node encoded ({@link #encoded}). */
    private final ServerMessage message;
    private final int weight;
    /** Set once; two threads racing to encode a deferred frame write the same text. */
    private volatile String json;

    private Frame(ServerMessage message, String json) {
        this.message = message;
        this.json = json;
        this.weight = json == null ? 0 : json.length();
    }

    /** The frame of {@code message}, encoded now. */
    public static Frame of(ServerMessage message) {
        return new Frame(message, Wire.encode(message));
    }

    /** The frame of {@code message}, encoded when first sent. */
    public static Frame deferred(ServerMessage message) {
        return new Frame(Objects.requireNonNull(message), null);
    }

    /** The frame another node of a cluster encoded: {@code json} as it goes on the wire; it has no {@link #message}. */
    public static Frame encoded(String json) {
        return new Frame(null, Objects.requireNonNull(json));
    }

    /** The message it carries; null for a frame {@link #encoded} elsewhere. */
    public ServerMessage message() {
        return message;
    }

    /** The JSON text, encoding it now if it was deferred. */
    public String json() {
        var text = json;
        if (text == null) {
            text = Wire.encode(message);
            json = text;
        }
        return text;
    }

    /**
     * What the frame counts toward an outbox's byte bound: the length of its JSON text in characters (for the ASCII that
     * SDP and JSON are mostly made of, its size in bytes); 0 for a deferred frame.
     */
    public int weight() {
        return weight;
    }

    @Override
    public String toString() {
        return message == null ? "frame encoded elsewhere" : "frame " + message.action();
    }
}
