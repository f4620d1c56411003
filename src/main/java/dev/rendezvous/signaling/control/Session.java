package dev.rendezvous.signaling.control;

import dev.rendezvous.access.Grant;
import dev.rendezvous.signaling.entity.Peer;

import java.util.concurrent.Future;

/**
 * A protocol-1 client's session: its peer (id and seat), its {@link Mailbox}, its rate budget and its resume token.
 * It outlives the connections that carry it: when one drops without the client meaning to go, the session is
 * detached for the grace period, keeping its peer id, its seat and every frame sent to it, and any connection that
 * presents the token takes it up again. {@link Sessions} moves it from state to state under its lock.
 */
final class Session {

    /** Where the session stands. */
    enum State {
        /** A connection carries it. */
        CONNECTED,
        /** Its connection dropped; it waits for a resume until the grace runs out. */
        DETACHED,
        /** Gone for good. */
        ENDED
    }

    final Peer peer;
    final Mailbox mailbox;
    final RateBudget budget;
    /** What its token granted, with access control on; null with it off. */
    final Grant grant;

    /** Guarded by this, like everything below. */
    private State state = State.CONNECTED;
    /** The connection that carries the session, while it is {@link State#CONNECTED}. */
    private Signaling carrier;
    private ResumeToken token;
    /** Counts the detaches, so that the end of an earlier grace does not end a session resumed since. */
    private long detaches;
    /** The end of the current grace, while {@link State#DETACHED}; cancelled by a resume. */
    private Future<?> expiry;
    /** The renewal of its TURN credentials, while it has not ended; null without TURN. */
    private Future<?> refresh;
    /** Whether it ended by moving to another node of a cluster. */
    private boolean moved;

    Session(Peer peer, Mailbox mailbox, RateBudget budget, Grant grant, ResumeToken token, Signaling carrier) {
        this.peer = peer;
        this.mailbox = mailbox;
        this.budget = budget;
        this.grant = grant;
        this.token = token;
        this.carrier = carrier;
    }

    synchronized State state() {
        return state;
    }

    synchronized ResumeToken token() {
        return token;
    }

    /** The connection that carries the session, or null if none does. */
    synchronized Signaling carrier() {
        return carrier;
    }

    /**
     * Carried by {@code next} from now on, to be resumed next time with {@code newToken}.
     *
     * @return the connection that carried it until now (half-open, if any), or null if it was detached
     */
    synchronized Signaling takenUpBy(Signaling next, ResumeToken newToken) {
        var previous = carrier;
        carrier = next;
        token = newToken;
        state = State.CONNECTED;
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        return previous;
    }

    /**
     * Detached from {@code dropped}, if that carried it.
     *
     * @return the detach's number, for {@link #expire}; -1 if {@code dropped} did not carry the session
     */
    synchronized long detachedFrom(Signaling dropped) {
        if (state != State.CONNECTED || carrier != dropped) {
            return -1;
        }
        carrier = null;
        state = State.DETACHED;
        return ++detaches;
    }

    /** The grace of detach {@code number} ends at {@code expiry} (unless the session is taken up before). */
    synchronized void expiresBy(long number, Future<?> expiry) {
        if (state == State.DETACHED && detaches == number) {
            this.expiry = expiry;
        } else {
            expiry.cancel(false);
        }
    }

    /** Its TURN credentials are renewed by {@code refresh} until it ends. */
    synchronized void refreshesBy(Future<?> refresh) {
        if (state == State.ENDED) {
            refresh.cancel(false);
        } else {
            this.refresh = refresh;
        }
    }

    /** The user its TURN credentials name: the token's {@code sub}, or the peer id with access control off. */
    String turnUser() {
        return grant != null ? grant.userId() : peer.id().value();
    }

    /** Whether the grace of detach {@code number} ran out with the session still detached: then it has ended. */
    synchronized boolean expire(long number) {
        if (state != State.DETACHED || detaches != number) {
            return false;
        }
        state = State.ENDED;
        stopRefreshing();
        return true;
    }

    /**
     * The session moved to another node of a cluster: it has ended here (without its peer leaving anything), and what
     * is offered to its mailbox goes on there.
     *
     * @return the connection that carried it until now (half-open, if any), or null if it was detached
     */
    synchronized Signaling movedAway() {
        var previous = carrier;
        end();
        moved = true;
        return previous;
    }

    /** Whether it ended by moving to another node. */
    synchronized boolean movedOut() {
        return moved;
    }

    /** Ends the session, once: false if it had ended already. */
    synchronized boolean end() {
        if (state == State.ENDED) {
            return false;
        }
        state = State.ENDED;
        carrier = null;
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        stopRefreshing();
        return true;
    }

    private void stopRefreshing() {
        if (refresh != null) {
            refresh.cancel(false);
            refresh = null;
        }
    }

    @Override
    public String toString() {
        return "session of " + peer;
    }
}
