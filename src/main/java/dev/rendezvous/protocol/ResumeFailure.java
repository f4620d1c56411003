package dev.rendezvous.protocol;

/** Why a {@code resume} failed, as the {@code resume-failed} error's {@code reason} says. */
public enum ResumeFailure {
    /** The session's grace ran out before the resume came. */
    EXPIRED("expired"),
    /** No session has that token: never issued, already used, or of a session that ended on purpose. */
    UNKNOWN("unknown"),
    /** A message after the client's {@code lastSeq} is no longer kept: it cannot be sent again. */
    GAP("gap");

    private final String wireName;

    ResumeFailure(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
