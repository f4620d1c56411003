package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.Sequenced;
import dev.rendezvous.signaling.entity.Peer;
import dev.rendezvous.signaling.entity.Sends;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A protocol-1 session's frames: each numbered as it is offered (its {@code seq}, 1, 2, 3...), passed on to the
 * {@link Outbox} of the connection that carries the session, and kept, within {@code keepFrames} and
 * {@code keepWeight}, until the client acknowledges it, so that what was sent but never read can be sent again after a
 * resume. While no connection carries the session (it is detached) frames are only kept; if they no longer fit, the
 * session cannot be resumed without a gap, and {@code onGap} ends it.
 *
 * <p>{@link #offer} only queues, under whatever lock the caller holds, like {@link Outbox#offer}; it passes a frame on
 * holding this mailbox's lock, which is always taken before an outbox's. The other methods are called by the
 * session as it changes hands, under no room's lock.
 */
final class Mailbox implements Peer.Outbox {

    /** How a resume from {@code lastSeq} stands. */
    enum Replay {
        /** Everything after it is kept: it is being sent. */
        SENT,
        /** A frame after it was dropped: it cannot be resumed. */
        GAP,
        /** The client claims to have read more than was ever sent to it. */
        AHEAD
    }

    /**
     * Where a detached session's frames are kept besides here, so that they outlive this node: a cluster's store.
     * Called holding this mailbox's lock, so in the order of the frames: it only enqueues.
     */
    interface Safekeeping {
        /** The session was detached, having numbered its frames up to {@code sent}; {@code kept} are those it keeps. */
        void detached(long sent, List<Sequenced> kept);

        /** {@code entry} was offered to the detached session. */
        void kept(Sequenced entry);

        /** A connection carries the session again, here or on another node: nothing need be kept elsewhere. */
        void carried();
    }

    private final int keepFrames;
    private final long keepWeight;
    private final Runnable onGap;

    /** Guarded by this, like everything below: the frames kept, oldest first. */
    private final ArrayDeque<Sequenced> kept = new ArrayDeque<>();
    private long keptWeight;
    /** The number the next frame gets. */
    private long next = 1;
    /** The highest number of a frame dropped without the client having acknowledged it: none before it can be replayed. */
    private long droppedUpTo;
    /** The connection's outbox that carries the session, or null while it is detached. */
    private Outbox carrier;
    /** Set once the session cannot be resumed any more: nothing more is kept. */
    private boolean lost;
    /** Where frames go once the session moved to another node of a cluster (handed over): unnumbered, unkept. */
    private Peer.Outbox movedTo;
    /** Where the frames are kept besides here while the session is detached; null if nowhere. */
    private Safekeeping safekeeping;

    /**
     * @param onGap run once, by whoever runs the {@link Sends}, when a detached session's frames no longer fit
     */
    Mailbox(int keepFrames, long keepWeight, Runnable onGap) {
        this(keepFrames, keepWeight, onGap, 1);
    }

    /** A mailbox whose first frame is numbered {@code next}: a session taken over from another node goes on counting. */
    Mailbox(int keepFrames, long keepWeight, Runnable onGap, long next) {
        this.keepFrames = keepFrames;
        this.keepWeight = keepWeight;
        this.onGap = onGap;
        this.next = next;
    }

    /** Numbers and keeps {@code frame}, and passes it on to the carrying connection in the same step, so numbers stay in order. */
    @Override
    public synchronized void offer(Frame frame, Sends sends) {
        if (movedTo != null) {
            movedTo.offer(frame, sends);
            return;
        }
        if (lost) {
            return;
        }
        var entry = new Sequenced(frame, next++);
        kept.add(entry);
        keptWeight += frame.weight();
        if (!makeRoom(carrier != null)) {
            lost = true;
            sends.add(onGap);
            return;
        }
        if (carrier != null) {
            carrier.offer(entry, sends);
        } else if (safekeeping != null) {
            safekeeping.kept(entry);
        }
    }

    /**
     * From now on {@code outbox} carries the session: it gets {@code first} (the unnumbered welcome, or null), then
     * every kept frame after {@code lastSeq}, in order, with its own number; then whatever comes next.
     */
    Replay attach(Outbox outbox, long lastSeq, Frame first, Sends sends) {
        synchronized (this) {
            if (lastSeq >= next) {
                return Replay.AHEAD;
            }
            if (lost || lastSeq < droppedUpTo) {
                lost = true;
                return Replay.GAP;
            }
            acknowledge(lastSeq);
            carrier = outbox;
            carriedAgain();
            if (first != null) {
                outbox.offer(first, sends);
            }
            for (var entry : kept) {
                outbox.offer(entry, sends);
            }
        }
        return Replay.SENT;
    }

    /**
     * The session moves to another node of a cluster, its client having read up to {@code lastSeq}: the frames after
     * that, oldest first, as their JSON without numbers (the other node numbers them on from {@code lastSeq} + 1);
     * everything offered from now on goes to {@code forward}, in order. Holding this lock, {@code handedOver} runs with
     * them, so that it can send them on before anything offered later.
     *
     * @return false, changing nothing, if a frame after {@code lastSeq} is no longer kept
     */
    synchronized boolean handOver(long lastSeq, Peer.Outbox forward, Consumer<List<String>> handedOver) {
        if (lost || lastSeq < droppedUpTo) {
            return false;
        }
        acknowledge(lastSeq);
        var frames = new ArrayList<String>(kept.size());
        for (var entry : kept) {
            frames.add(entry.frame().json());
        }
        kept.clear();
        keptWeight = 0;
        carrier = null;
        carriedAgain();
        movedTo = forward;
        handedOver.accept(frames);
        return true;
    }

    /**
     * The connection that carried the session is gone: frames are kept until another takes it up, or it ends, and in
     * {@code elsewhere} too (null: nowhere) until it is carried again.
     */
    synchronized void detach(Outbox outbox, Safekeeping elsewhere) {
        if (carrier != outbox) {
            return;
        }
        carrier = null;
        if (elsewhere != null && !lost && movedTo == null) {
            safekeeping = elsewhere;
            elsewhere.detached(next - 1, List.copyOf(kept));
        }
    }

    private void carriedAgain() {
        if (safekeeping != null) {
            safekeeping.carried();
            safekeeping = null;
        }
    }

    /** The client has read every frame up to {@code seq}: they need not be kept. */
    synchronized void acknowledge(long seq) {
        while (!kept.isEmpty() && kept.peekFirst().seq() <= seq) {
            keptWeight -= kept.removeFirst().frame().weight();
        }
    }

    /** The number of the last frame offered, 0 if none yet. */
    synchronized long lastSeq() {
        return next - 1;
    }

    /** The session ended: nothing more is kept. */
    synchronized void close() {
        lost = true;
        safekeeping = null;
        kept.clear();
        keptWeight = 0;
    }

    /**
     * Drops the oldest frames until what is kept fits the bounds. While a connection carries the session every frame
     * has been passed on to it, so dropping one only shortens what a resume could replay; while the session is
     * detached the frames are all it has.
     *
     * @return false if the session is detached and its frames no longer fit
     */
    private boolean makeRoom(boolean carried) {
        while (kept.size() > keepFrames || keptWeight > keepWeight) {
            if (!carried) {
                return false;
            }
            var dropped = kept.removeFirst();
            keptWeight -= dropped.frame().weight();
            droppedUpTo = dropped.seq();
        }
        return true;
    }
}
