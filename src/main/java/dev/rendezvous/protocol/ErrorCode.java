package dev.rendezvous.protocol;

/**
 * The stable codes of an {@code error} reply. An error answers one message; the socket stays open.
 * The wire name, not the constant, is the contract (docs/protocol.md lists them).
 */
public enum ErrorCode {
    /** Not JSON, not an object, a field of the wrong type, or a value out of range (e.g. an invalid room name). */
    BAD_REQUEST("bad-request"),
    /** The {@code action} is not one the server knows. */
    UNKNOWN_ACTION("unknown-action"),
    /** {@code hello} asked for a protocol version this server does not speak. */
    UNSUPPORTED_PROTOCOL("unsupported-protocol"),
    /** Anything but {@code hello}, {@code start} or {@code ping} before {@code hello} or {@code start}. */
    NOT_STARTED("not-started"),
    /** The room already holds as many peers as its capacity; nothing changed. */
    ROOM_FULL("room-full"),
    /** The action needs a room and the sender is in none (or direct calls are turned off). */
    NOT_IN_ROOM("not-in-room"),
    /** No peer with that id is connected. */
    PEER_NOT_FOUND("peer-not-found"),
    /** An operator locked the room: nobody new may join it; its members stay. */
    ROOM_LOCKED("room-locked"),
    /** The addressed peer is connected but not in the sender's room. */
    NOT_SAME_ROOM("not-same-room"),
    /**
     * A resume could not take the session up again: {@code reason} says why ({@code expired}, {@code unknown},
     * {@code gap}). The socket stays open and unstarted.
     */
    RESUME_FAILED("resume-failed"),
    /**
     * Access control is on and {@code hello} carried no valid token (or it was {@code start}, which carries none);
     * the message says what was wrong, and the socket is closed 4001.
     */
    UNAUTHORIZED("unauthorized"),
    /** The session's token does not grant the room it asked to join; the socket stays open. */
    FORBIDDEN("forbidden"),
    /** The sender exceeded its message rate; that message was dropped. */
    RATE_LIMITED("rate-limited"),
    /**
     * A node of a cluster cannot reach the store the nodes share (Redis/Valkey): it cannot join, reach a peer on
     * another node, or resume a session held elsewhere until it can; nothing changed. Try again shortly.
     */
    UNAVAILABLE("unavailable"),
    /** The server failed; the message may not have been handled. */
    INTERNAL("internal");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
