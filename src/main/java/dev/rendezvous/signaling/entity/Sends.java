package dev.rendezvous.signaling.entity;

import java.util.ArrayList;
import java.util.List;

/**
 * What frames offered under a lock set in motion, run once the lock is released: the sends they started, and the
 * handling of an outbox they overflowed. Under a lock only state changes and frames are queued; writing, and closing
 * a reader that fell behind, wait for {@link #run}, so no lock is ever held across a network write or a close.
 *
 * <p>Not thread-safe: one is made per operation by the thread that runs it.
 */
public final class Sends {

    private Runnable first;
    private List<Runnable> more;

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
