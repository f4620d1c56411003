package dev.rendezvous.signaling.boundary;

import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One session's outgoing frames, sent one at a time in the order offered: some containers throw on a second send
 * while one is in flight. {@link #offer} never blocks: it starts the send if none is in flight, or queues it. A reader
 * too slow to keep the queue under {@code capacity} is reported once through {@code onOverflow} and gets nothing
 * more, so it cannot make the server hold memory for it or slow its senders.
 *
 * <p>A container may complete a send on the thread that started it; draining loops instead of recursing then.
 */
final class Outbox {

    private final int capacity;
    private final Runnable onOverflow;
    private final Consumer<Throwable> onFailure;
    private final ArrayDeque<Consumer<SendHandler>> waiting = new ArrayDeque<>();
    private boolean sending;
    private boolean closed;

    /**
     * @param onOverflow called once when the queue overflows
     * @param onFailure  called once when a send fails (the connection is broken)
     */
    Outbox(int capacity, Runnable onOverflow, Consumer<Throwable> onFailure) {
        this.capacity = capacity;
        this.onOverflow = onOverflow;
        this.onFailure = onFailure;
    }

    /** Queues a send: {@code send} starts one frame and reports its end to the handler it is given. */
    void offer(Consumer<SendHandler> send) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (sending) {
                if (waiting.size() < capacity) {
                    waiting.add(send);
                    return;
                }
                close();
                send = null;
            } else {
                sending = true;
            }
        }
        if (send == null) {
            onOverflow.run();
        } else {
            drain(send);
        }
    }

    /**
     * Starts {@code send} on the calling thread if nothing is in flight or waiting, and never queues it: for a send that
     * may block (a WebSocket ping is a blocking write on some containers), which must not run later on whatever
     * thread drains the queue, a container I/O thread included.
     *
     * @return whether it was started
     */
    boolean offerIfIdle(Consumer<SendHandler> send) {
        synchronized (this) {
            if (closed || sending) {
                return false;
            }
            sending = true;
        }
        drain(send);
        return true;
    }

    /** Drops whatever waits and refuses anything more. */
    synchronized void close() {
        closed = true;
        waiting.clear();
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private void drain(Consumer<SendHandler> first) {
        var next = first;
        while (next != null) {
            var completion = new Completion();
            try {
                next.accept(completion);
            } catch (RuntimeException refused) {
                completion.onResult(new SendResult(refused));
            }
            synchronized (this) {
                if (!completion.done) {
                    completion.handedOff = true;
                    return;
                }
                next = nextOrIdle();
            }
        }
    }

    /** The next send, or null (and idle) if there is none; call holding the lock. */
    private Consumer<SendHandler> nextOrIdle() {
        var next = closed ? null : waiting.poll();
        if (next == null) {
            sending = false;
        }
        return next;
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

    /** The end of one send: carries on draining unless the thread that started the send is still in {@link #drain}. */
    private final class Completion implements SendHandler {
        private boolean done;
        private boolean handedOff;

        @Override
        public void onResult(SendResult result) {
            if (!result.isOK()) {
                fail(result.getException());
            }
            Consumer<SendHandler> next;
            synchronized (Outbox.this) {
                done = true;
                if (!handedOff) {
                    return;
                }
                next = nextOrIdle();
            }
            if (next != null) {
                drain(next);
            }
        }
    }
}
