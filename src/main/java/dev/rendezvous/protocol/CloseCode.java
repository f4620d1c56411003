package dev.rendezvous.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Why the server closes a socket: RFC 6455 codes where one fits, 4000–4999 (private use) for Rendezvous' own.
 * A close is the answer to a policy violation or a dead connection; recoverable mistakes get an {@code error}.
 */
public enum CloseCode {
    /** The server is shutting down or the application is being undeployed. */
    GOING_AWAY(1001, "server going away"),
    /** A binary frame: this protocol is JSON text only (RFC 6455: 1003 "unsupported data"). */
    UNSUPPORTED_DATA(1003, "binary frames are not part of this protocol"),
    /** A frame larger than the configured maximum message size (RFC 6455: 1009 "message too big"). */
    MESSAGE_TOO_BIG(1009, "message too big"),
    /** Writing to the connection failed: it is broken, and the close frame may not reach the client. */
    SEND_FAILED(1011, "sending to this connection failed"),
    /**
     * Access control is on and the client holds no valid token: its {@code hello} (or {@code start}) was refused, or
     * its address failed too often in the last minute.
     */
    UNAUTHORIZED(4001, "unauthorized"),
    /** Neither {@code hello} nor {@code start} arrived within the hello timeout. */
    HELLO_TIMEOUT(4002, "no hello within the hello timeout"),
    /** Nothing, not even a pong, arrived within the heartbeat timeout. */
    HEARTBEAT_TIMEOUT(4003, "heartbeat timeout"),
    /** The session was resumed on another socket; this one, left half-open, carries nothing more. */
    RESUMED_ELSEWHERE(4005, "the session was resumed on another connection"),
    /** The client read too slowly: its queue of outgoing messages overflowed. */
    SLOW_CONSUMER(4008, "outgoing queue overflow: client reads too slowly"),
    /** An operator removed the peer (over JMX); the close reason is the operator's. Its session cannot resume. */
    KICKED(4010, "kicked by an operator"),
    /** The client kept sending after being told {@code rate-limited}. */
    FLOODING(4029, "flooding: too many messages after rate-limited");

    /** The most a close frame's reason may hold: 125 bytes of payload less the 2 of the code. */
    private static final int MAX_REASON_BYTES = 123;

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    /** A reason phrase short enough for a close frame (at most 123 bytes). */
    public String reason() {
        return reason;
    }

    /**
     * {@code reason} cut to what a close frame can carry (123 bytes of UTF-8, RFC 6455 5.5), at a character boundary;
     * this code's own reason if it is null or blank.
     */
    public String reasonOr(String reason) {
        if (reason == null || reason.isBlank()) {
            return this.reason;
        }
        var fitted = reason.strip();
        while (fitted.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            fitted = fitted.substring(0, fitted.offsetByCodePoints(fitted.length(), -1));
        }
        return fitted;
    }
}
