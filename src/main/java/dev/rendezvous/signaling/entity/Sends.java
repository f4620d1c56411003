package dev.rendezvous.signaling.entity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What frames offered under a lock set in motion, run once the lock is released: the sends they started, and the
 * handling of an outbox they overflowed. Under a lock only state changes and frames are queued; writing, and closing
 * a reader that fell behind, wait for {@link #run}, so no lock is ever held across a network write or a close. It also
 * carries what tells the operation's sender that a frame it offered was lost on the way to another node.
 *
 * <p>Not thread-safe: one is made per operation by the thread that runs it.
 */
public final class Sends {

    private static final Runnable NOBODY_TO_TELL = () -> {
    };

    /** Tells the operation's sender that a frame it offered may not have arrived; null when there is no sender to tell. */
    private final Runnable tellSender;
    private Runnable lost;
    private Runnable first;
    private List<Runnable> more;

    /** For an operation with no sender to tell of a lost frame (news, replies, a session's own frames). */
    public Sends() {
        this(null);
    }

    /** For an operation whose sender {@code tellSender} tells, once, if a frame it offered is lost on the way to another node. */
    public Sends(Runnable tellSender) {
        this.tellSender = tellSender;
    }

    /**
     * What an outbox that carries frames to another node runs, from any thread, if one of them may not have arrived:
     * the sender is told once, however many of the operation's frames were lost.
     */
    public Runnable lost() {
        if (tellSender == null) {
            return NOBODY_TO_TELL;
        }
        if (lost == null) {
            var told = new AtomicBoolean();
            lost = () -> {
                if (told.compareAndSet(false, true)) {
                    tellSender.run();
                }
            };
        }
        return lost;
    }

    /** Adds something to run after the lock; each is run once, in the order added. */
    public void add(Runnable followUp) {
        if (first == null) {
            first = followUp;
        } else {
            if (more == null) {
                more = new ArrayList<>(4);
            }
            more.add(followUp);
        }
    }

    /** Runs what was added; call holding no lock. */
    public void run() {
        var head = first;
        var rest = more;
        first = null;
        more = null;
        if (head == null) {
            return;
        }
        head.run();
        if (rest != null) {
            rest.forEach(Runnable::run);
        }
    }
}
