package dev.rendezvous.protocol;

/** How often the server pings, and how long a silent connection lives before it is closed with 4003. */
public record Heartbeat(long intervalMs, long timeoutMs) {
}
