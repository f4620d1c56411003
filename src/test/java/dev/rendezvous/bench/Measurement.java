package dev.rendezvous.bench;

/**
 * One message-moving scenario's result: what was offered, the measurement window (server and generator CPU, messages),
 * the latency percentiles and the correctness verdict.
 *
 * @param offeredPerSecond the open-loop rate offered, or 0 for a closed loop (as fast as the server answers)
 */
record Measurement(String scenario, String load, double offeredPerSecond, Meter.Window window,
                   Latencies.Summary latency, Ledger.Correctness correctness) {
}
