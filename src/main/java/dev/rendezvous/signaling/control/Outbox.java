package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.Sequenced;
import dev.rendezvous.signaling.entity.Peer;
import dev.rendezvous.signaling.entity.Sends;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One connection's outgoing frames, written one at a time in the order offered (a session's numbered frames come
 * through its {@link Mailbox}; a connection's own, unnumbered, straight here) (some containers throw on a second
 * send while one is in flight). {@link #offer} only queues, so it is safe under any lock; the write starts when the
 * caller runs its {@link Sends}, and goes on from the thread that completes each write.
 *
 * <p>Bounded twice: in frames waiting, and in weight (characters of JSON) waiting or in flight. A reader too slow to
 * stay under both is reported once through {@code onOverflow} and gets nothing more, so it can neither make the
 * server hold memory for it nor slow down whoever sends to it.
 *
 * <p>Pings go out only when nothing else is: they are written on {@code pinger}, never on the caller's thread (the
 * heartbeat's, shared by every connection) nor on a thread that drains this queue (a container I/O thread, maybe),
 * because a container's ping may be a blocking write.
 */
public final class Outbox implements Peer.Outbox {

    private final Link link;
    private final int maxWaiting;
    private final long maxWeight;
    private final Executor pinger;
    private final Runnable onOverflow;
    private final Consumer<Throwable> onFailure;
    private final Runnable drain = this::drain;

    /** Guarded by this, like everything below. */
    private final ArrayDeque<Sequenced> waiting = new ArrayDeque<>();
    /** Of the frames waiting and of the one in flight. */
    private long weight;
    private boolean sending;
    private boolean closed;
    /** The close frame's write, waiting for the write or ping in flight to end, and since when. */
    private Runnable closing;
    private long closingSince;

    /**
     * @param onOverflow called once, by whoever runs the {@link Sends} of the offer that overflowed
     * @param onFailure  called once when a write fails: the connection is broken
     */
    public Outbox(Link link, int maxWaiting, long maxWeight, Executor pinger, Runnable onOverflow, Consumer<Throwable> onFailure) {
        this.link = link;
        this.maxWaiting = maxWaiting;
        this.maxWeight = maxWeight;
        this.pinger = pinger;
        this.onOverflow = onOverflow;
        this.onFailure = onFailure;
    }

    /** Queues {@code frame}, unnumbered: a seed-mode or unstarted connection's, or a {@code welcome}. */
    @Override
    public void offer(Frame frame, Sends sends) {
        offer(new Sequenced(frame, 0), sends);
    }

    /** Queues a frame of the session this connection carries, with its number. */
    void offer(Sequenced entry, Sends sends) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (waiting.size() >= maxWaiting || weight + entry.frame().weight() > maxWeight) {
                close();
                sends.add(onOverflow);
                return;
            }
            waiting.add(entry);
            weight += entry.frame().weight();
            if (sending) {
                return;
            }
            sending = true;
        }
        sends.add(drain);
    }

    /** Queues {@code frame} and starts sending; call holding no lock. */
    public void send(Frame frame) {
        var sends = new Sends();
        offer(frame, sends);
        sends.run();
    }

    /**
     * Starts a ping on the pinger if nothing is being sent or waits to be; frames offered meanwhile go out after it.
     *
     * @return whether a ping was started (if not, the connection is busy: ask again later)
     */
    public boolean ping() {
        synchronized (this) {
            if (closed || sending) {
                return false;
            }
            sending = true;
        }
        try {
            pinger.execute(this::pingNow);
            return true;
        } catch (RejectedExecutionException stopping) {
            Runnable closeFrame;
            synchronized (this) {
                closeFrame = idle();
            }
            if (closeFrame != null) {
                closeFrame.run();
            }
            return false;
        }
    }

    /**
     * Drops whatever waits, refuses anything more, and writes the close frame with {@code closeFrame} once the write or
     * ping in flight, if any, has ended: a container may break a connection whose close frame is written while another
     * frame is (Undertow over TLS does, and the client sees 1006 instead of the close code). A write that never ends
     * (its reader stopped reading) holds the close frame back until {@link #closeOverdue}.
     */
    public void close(Runnable closeFrame, long now) {
        synchronized (this) {
            close();
            if (sending) {
                if (closing == null) {
                    closing = closeFrame;
                    closingSince = now;
                }
                return;
            }
        }
        closeFrame.run();
    }

    /** Writes a close frame that waited {@code limit} or longer for a write in flight (see {@link #close(Runnable, long)}). */
    public void closeOverdue(long now, long limit) {
        Runnable overdue;
        synchronized (this) {
            if (closing == null || now - closingSince < limit) {
                return;
            }
            overdue = closing;
            closing = null;
        }
        overdue.run();
    }

    /** Drops whatever waits and refuses anything more. */
    public synchronized void close() {
        closed = true;
        waiting.clear();
        weight = 0;
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    /** The weight of what waits or is in flight. */
    public synchronized long weight() {
        return weight;
    }

    private void pingNow() {
        Throwable failure = null;
        try {
            link.ping();
        } catch (IOException | RuntimeException broken) {
            failure = broken;
        }
        if (failure != null) {
            fail(failure);
        }
        Runnable closeFrame = null;
        boolean more;
        synchronized (this) {
            more = !waiting.isEmpty() && !closed;
            if (!more) {
                closeFrame = idle();
            }
        }
        if (more) {
            drain();
        } else if (closeFrame != null) {
            closeFrame.run();
        }
    }

    /** Nothing is in flight any more (call holding the lock): the close frame that waited for that, to run now, or null. */
    private Runnable idle() {
        sending = false;
        var closeFrame = closing;
        closing = null;
        return closeFrame;
    }

    /** Writes frames until the queue is empty or a write completes later, on another thread, which carries on from there. */
    private void drain() {
        while (true) {
            Sequenced next;
            Runnable closeFrame = null;
            synchronized (this) {
                next = closed ? null : waiting.poll();
                if (next == null) {
                    closeFrame = idle();
                }
            }
            if (next == null) {
                if (closeFrame != null) {
                    closeFrame.run();
                }
                return;
            }
            var write = new Write(next.frame().weight());
            try {
                link.write(next, write);
            } catch (RuntimeException refused) {
                write.accept(refused);
            }
            synchronized (this) {
                if (!write.done) {
                    write.handedOff = true;
                    return;
                }
            }
        }
    }

    private void fail(Throwable failure) {
        synchronized (this) {
            if (closed) {
                return;
            }
            close();
        }
        onFailure.accept(failure);
    }

    /**
     * The end of one write. If the thread that started it is still in {@link #drain}, that thread goes on; otherwise
     * this one does, so a container that completes writes on the calling thread never deepens the stack.
     */
    private final class Write implements Consumer<Throwable> {
        private final int weight;
        private boolean done;
        private boolean handedOff;

        Write(int weight) {
            this.weight = weight;
        }

        @Override
        public void accept(Throwable failure) {
            if (failure != null) {
                fail(failure);
            }
            synchronized (Outbox.this) {
                if (!closed) {
                    Outbox.this.weight -= weight;
                }
                done = true;
                if (!handedOff) {
                    return;
                }
            }
            drain();
        }
    }
}
