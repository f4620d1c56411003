package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.Frame;
import dev.rendezvous.protocol.Sequenced;
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
    /** The seq each written frame carried (0: none). */
    final List<Long> seqs = new ArrayList<>();
    final List<CloseCode> closes = new ArrayList<>();
    final ArrayDeque<Consumer<Throwable>> inFlight = new ArrayDeque<>();
    volatile int pings;
    /** The client's address, as a container would tell it. */
    String remoteAddress = "192.0.2.1";
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
    public synchronized void write(Sequenced frame, Consumer<Throwable> done) {
        written.add(frame.frame());
        seqs.add(frame.seq());
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
    public String remoteAddress() {
        return remoteAddress;
    }

    /** The close reason of each close, in order. */
    final List<String> closeReasons = new ArrayList<>();

    /** How many of the closes were refusals of the connection while it opened. */
    int closedOpening;

    @Override
    public void close(CloseCode code, String reason) {
        closes.add(code);
        closeReasons.add(reason);
    }

    @Override
    public void closeOpening(CloseCode code) {
        closedOpening++;
        close(code, code.reason());
    }

    List<ServerMessage> messages() {
        return written.stream().map(Frame::message).toList();
    }

    ServerMessage last() {
        return written.get(written.size() - 1).message();
    }
}
