package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.ErrorCode;

/**
 * What signaling counts as it goes, for whoever reports it (the operations component's metrics); {@link #NONE} counts
 * nothing. Called on the connections' own threads, on the relay path too: an implementation only adds to counters.
 */
public interface Meter {

    Meter NONE = new Meter() {
    };

    /** A valid message arrived, as {@code action} (e.g. {@code join}, {@code offer}), and is about to be handled. */
    default void received(String action) {
    }

    /** A message the client sent as {@code action} went on to its addressee (or, to a room, once to all of it). */
    default void relayed(String action) {
    }

    /** The client was answered an error {@code code}. */
    default void refused(ErrorCode code) {
    }

    /** A connection closed, or was decided to close, with {@code code}: once for each connection. */
    default void closed(int code) {
    }

    /** A {@code join} was answered {@code joined} (queued) {@code nanos} after it arrived. */
    default void joined(long nanos) {
    }
}
