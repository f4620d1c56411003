package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.CloseCode;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One connection's liveness and abuse policy, as decisions for {@link Signaling} to act on: whether an arriving
 * message is handled (the rate limit, and past it flooding), whether the connection never started or went silent,
 * when a ping is due, and when the frame of a decided close may go out. It sends nothing and closes nothing itself.
 *
 * <p>{@link #admit} and {@link #heard} come from the container's thread for the connection, {@link #tick} and
 * {@link #pinged} from the heartbeat's; {@link #decideClose} from any thread, and the first decision wins.
 */
final class ConnectionPolicy {

    /** What to do with an arriving message. */
    enum Verdict {
        /** Within the rate: handle it. */
        HANDLE,
        /** Over the rate: answer it {@code rate-limited} and drop it. */
        REFUSE,
        /** Over the rate once too often: close the connection 4029. */
        FLOOD,
        /** A close is decided: the message is neither handled nor answered. */
        IGNORE
    }

    /** What the heartbeat should do for this connection now. */
    enum Due {
        NOTHING,
        PING,
        /** Close 4002: it never said hello. */
        HELLO_TIMEOUT,
        /** Close 4003: it went silent. */
        HEARTBEAT_TIMEOUT,
        /** Send the decided close's frame: the client has gone quiet, or waited long enough. */
        CLOSE_FRAME
    }

    /** How long the client must have sent nothing before the close frame goes out. */
    static final long QUIET_BEFORE_CLOSE = TimeUnit.MILLISECONDS.toNanos(100);
    /** The longest the close frame waits for a client that keeps sending. */
    static final long CLOSE_WAIT_LIMIT = TimeUnit.SECONDS.toNanos(2);

    /** The connection's own until a session starts on it; then the session's, which outlives the connection. */
    private volatile RateBudget budget;
    private final long openedAt;
    private final long helloTimeout;
    private final long heartbeatInterval;
    private final long heartbeatTimeout;
    private final AtomicReference<Closing> closing = new AtomicReference<>();
    private final AtomicBoolean closeFrameSent = new AtomicBoolean();
    private volatile long lastHeard;
    /** The heartbeat's own: written and read on its thread only. */
    private long lastPing;

    ConnectionPolicy(Settings settings, long now) {
        this.openedAt = now;
        this.lastHeard = now;
        this.lastPing = now;
        this.budget = new RateBudget(settings, now);
        this.helloTimeout = settings.helloTimeout().toNanos();
        this.heartbeatInterval = TimeUnit.MILLISECONDS.toNanos(settings.heartbeat().intervalMs());
        this.heartbeatTimeout = TimeUnit.MILLISECONDS.toNanos(settings.heartbeat().timeoutMs());
    }

    /** Any frame from the client, pongs included, shows it is alive. */
    void heard(long now) {
        lastHeard = now;
    }

    /** Takes a token for one arriving message (malformed ones included); call after {@link #heard}. */
    Verdict admit(long now) {
        if (closing.get() != null) {
            return Verdict.IGNORE;
        }
        if (budget.take(now)) {
            return Verdict.HANDLE;
        }
        return budget.forgive(now) ? Verdict.REFUSE : Verdict.FLOOD;
    }

    /** A refusal that is not over the rate but counts as one (a failed resume): true while the client may go on. */
    boolean refused(long now) {
        return budget.forgive(now);
    }

    /** The budget this connection spends: a session's own once one starts (or is resumed) on it. */
    RateBudget budget() {
        return budget;
    }

    /** From now on the connection spends {@code sessionBudget}: a resumed session keeps what it had spent. */
    void adopt(RateBudget sessionBudget) {
        budget = sessionBudget;
    }

    /**
     * Decides to close with {@code code}.
     *
     * @return whether this was the decision (false if a close had been decided already)
     */
    boolean decideClose(CloseCode code, long now) {
        return closing.compareAndSet(null, new Closing(code, now));
    }

    /** The close decided, or null. */
    CloseCode closing() {
        var decided = closing.get();
        return decided == null ? null : decided.code();
    }

    /**
     * Whether the decided close's frame may go out now, and it has not yet: once the client has sent nothing for
     * {@link #QUIET_BEFORE_CLOSE}, or {@link #CLOSE_WAIT_LIMIT} after the decision at the latest. A close frame sent
     * while frames still arrive is often lost: a container that ends the connection right after sending it (Payara's
     * Tyrus does) leaves frames unread, its TCP stack resets the connection, and the client's stack drops what it had
     * not read yet, the close frame included (a flooder then sees 1006 instead of 4029).
     */
    boolean closeFrameDue(long now) {
        var decided = closing.get();
        if (decided == null || (now - lastHeard < QUIET_BEFORE_CLOSE && now - decided.since() < CLOSE_WAIT_LIMIT)) {
            return false;
        }
        return closeFrameSent.compareAndSet(false, true);
    }

    /** Marks the decided close's frame as sent now, whatever the client does: true the first time. */
    boolean closeFrameSent() {
        return closing.get() != null && closeFrameSent.compareAndSet(false, true);
    }

    /** The heartbeat's look at the connection at {@code now}; {@code started}: it said hello or start. */
    Due tick(long now, boolean started) {
        if (closing.get() != null) {
            return closeFrameDue(now) ? Due.CLOSE_FRAME : Due.NOTHING;
        }
        if (!started && now - openedAt > helloTimeout) {
            return Due.HELLO_TIMEOUT;
        }
        if (now - lastHeard > heartbeatTimeout) {
            return Due.HEARTBEAT_TIMEOUT;
        }
        return now - lastPing >= heartbeatInterval ? Due.PING : Due.NOTHING;
    }

    /** A ping went out at {@code now}; the next is due an interval later. A busy connection is asked again next tick. */
    void pinged(long now) {
        lastPing = now;
    }

    /** The close decided for this connection, and when. */
    private record Closing(CloseCode code, long since) {
    }
}
