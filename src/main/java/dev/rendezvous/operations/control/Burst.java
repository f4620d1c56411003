package dev.rendezvous.operations.control;

/**
 * Failures that come in bursts, logged once per burst: the first failure is told, the ones after it only counted,
 * until a success ends the burst. Thread-safe.
 */
final class Burst {

    private boolean failing;
    private int suppressed;

    /** A failure: true if it is the first of a burst (log it), false if one was logged already. */
    synchronized boolean first() {
        if (failing) {
            suppressed++;
            return false;
        }
        failing = true;
        return true;
    }

    /** A success ends the burst: how many failures went unlogged in it. */
    synchronized int calm() {
        var unlogged = suppressed;
        failing = false;
        suppressed = 0;
        return unlogged;
    }
}
