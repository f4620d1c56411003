package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.ServerMessage;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A connection as a list: what was written, pinged and closed. Writes complete at once, unless the test holds them
 * ({@link #hold}), like a network that is busy, and completes them itself.
 */
class FakeLink implements Link {

    final List<Frame> written = new ArrayList<>();
    final List<CloseCode> closes = new ArrayList<>();
    final ArrayDeque<Consumer<Throwable>> inFlight = new ArrayDeque<>();
    volatile int pings;
    private boolean holding;

    /** From now on writes stay in flight until {@link #completeOne}. */
    FakeLink hold() {
        holding = true;
        return this;
    }

    void completeOne() {
        inFlight.remove().accept(null);
    }

    void failOne(Throwable failure) {
        inFlight.remove().accept(failure);
    }

    @Override
    public synchronized void write(Frame frame, Consumer<Throwable> done) {
        written.add(frame);
        if (holding) {
            inFlight.add(done);
        } else {
            done.accept(null);
        }
    }

    @Override
    public void ping() throws IOException {
        pings++;
    }

    @Override
    public void close(CloseCode code) {
        closes.add(code);
    }

    List<ServerMessage> messages() {
        return written.stream().map(Frame::message).toList();
    }

    ServerMessage last() {
        return written.get(written.size() - 1).message();
    }
}
