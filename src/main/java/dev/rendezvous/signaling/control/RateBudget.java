package dev.rendezvous.signaling.control;

/**
 * How many messages a client may still send: the rate limit ({@code messages-per-second}, {@code burst}) and, past
 * it, the patience with refusals ({@code flood-close-after} within about ten seconds) before it is closed 4029. It
 * belongs to the session, not the socket, so a session that resumes keeps what it had spent.
 */
final class RateBudget {

    /** Refusals are forgiven at {@code floodCloseAfter} per this many seconds. */
    private static final double FLOOD_WINDOW_SECONDS = 10;

    private final TokenBucket rate;
    private final TokenBucket patience;

    RateBudget(Settings settings, long now) {
        this.rate = new TokenBucket(settings.limits().messagesPerSecond(), settings.limits().burst(), now);
        this.patience = new TokenBucket(settings.floodCloseAfter() / FLOOD_WINDOW_SECONDS, settings.floodCloseAfter(), now);
    }

    /** Takes a token for one message; false if the client is over the rate. */
    boolean take(long now) {
        return rate.tryTake(now);
    }

    /** Counts one refusal (over the rate, or a failed resume); false once the client has been refused too often. */
    boolean forgive(long now) {
        return patience.tryTake(now);
    }
}
