package dev.rendezvous.protocol;

/**
 * A client message the server refuses, carrying the error code and the request's {@code txn} for the reply.
 * Thrown by the codec and by message validation; the dispatcher turns it into an {@code error} reply.
 */
public final class ProtocolException extends RuntimeException {

    private final ErrorCode code;
    private final String txn;
    private final ResumeFailure reason;

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public ProtocolException(ErrorCode code, String message, String txn) {
        this(code, message, txn, null);
    }

    private ProtocolException(ErrorCode code, String message, String txn, ResumeFailure reason) {
        super(message, null, false, false);
        this.code = code;
        this.txn = txn;
        this.reason = reason;
    }

    /** A {@code resume-failed} refusal, for {@code reason}. */
    public static ProtocolException resumeFailed(ResumeFailure reason, String message) {
        return new ProtocolException(ErrorCode.RESUME_FAILED, message, null, reason);
    }

    public ErrorCode code() {
        return code;
    }

    /** The {@code txn} of the refused message, or null if it had none or it could not be read. */
    public String txn() {
        return txn;
    }

    /** Why a resume failed; null for every other refusal. */
    public ResumeFailure reason() {
        return reason;
    }

    /** The same refusal, answering the message with this {@code txn}. */
    public ProtocolException answering(String txn) {
        return new ProtocolException(code, getMessage(), txn, reason);
    }

    /** The {@code error} reply for this refusal. */
    public ServerMessage.Problem toReply() {
        return new ServerMessage.Problem(txn, code, getMessage(), reason);
    }
}
