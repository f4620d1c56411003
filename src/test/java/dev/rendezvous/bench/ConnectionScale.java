package dev.rendezvous.bench;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 3, connection scale: many sessions that each say hello and join a room of four, then stay idle (answering
 * the server's pings). Measures how fast they join, how many fail, and what each idle session costs the server:
 * heap after a full GC and resident memory, against the same readings before the sessions opened.
 */
final class ConnectionScale {

    /** Handshakes under way at once: enough to keep the server busy, few enough not to time out in its backlog. */
    private static final int CONCURRENCY = 128;
    /** How long the server may take to let go of the sessions' sockets once they are closed. */
    static final Duration RELEASE = Duration.ofSeconds(120);

    private ConnectionScale() {
    }

    /**
     * @param droppedWhileIdle sessions the server closed, or that broke, while they idled
     * @param releaseSeconds   how long after the sessions closed the server's open sockets were back to where they
     *                         were before, or NaN if they were not within {@link #RELEASE}
     * @param stillOpen        sockets above that level when the wait ended
     */
    record Result(int sessions, int failures, String firstFailure, double seconds, long serverCpuNanos,
                  int droppedWhileIdle, double idleSeconds, OptionalLong heapBefore, OptionalLong heapAfter,
                  long rssBefore, long rssAfter, double releaseSeconds, int stillOpen) {

        double joinsPerSecond() {
            return (sessions - failures) / seconds;
        }

        /** Server CPU time per session opened (handshake, hello, join), in microseconds. */
        double serverMicrosPerJoin() {
            return serverCpuNanos / 1_000.0 / joined();
        }

        /** Heap per idle session, in bytes; empty if the heap was not readable. */
        OptionalLong heapPerSession() {
            return heapBefore.isPresent() && heapAfter.isPresent()
                    ? OptionalLong.of((heapAfter.getAsLong() - heapBefore.getAsLong()) / joined())
                    : OptionalLong.empty();
        }

        long rssPerSession() {
            return (rssAfter - rssBefore) / joined();
        }

        private int joined() {
            return Math.max(1, sessions - failures);
        }

        boolean clean() {
            return failures == 0 && droppedWhileIdle == 0;
        }

        boolean released() {
            return stillOpen == 0;
        }
    }

    static Result run(Target target) throws InterruptedException {
        var options = target.options();
        var server = target.server();
        var heapBefore = server.heapAfterGc();
        var rssBefore = server.rssBytes();
        var filesBefore = server.openFiles();
        var cpuBefore = server.cpuNanos();
        var fleet = Fleet.open(target.http(), target.signal(), Protocol.ROOMS, options.sessions(),
                i -> "scale-" + i / RoomFanOut.ROOM_SIZE, CONCURRENCY);
        OptionalLong heapAfter;
        long rssAfter;
        long joinCpu;
        int dropped;
        double idleSeconds;
        try {
            joinCpu = server.cpuNanos() - cpuBefore;
            var drops = new AtomicInteger();
            fleet.clients().stream().filter(client -> client != null).forEach(client -> {
                client.onEvent(event -> { });
                client.onFailure(failure -> drops.incrementAndGet());
            });
            var idleStart = System.nanoTime();
            Traffic.pause(options.idle());
            heapAfter = server.heapAfterGc();
            rssAfter = server.rssBytes();
            idleSeconds = (System.nanoTime() - idleStart) / 1e9;
            dropped = drops.get();
        } finally {
            fleet.close();
        }
        var closedAt = System.nanoTime();
        var deadline = closedAt + RELEASE.toNanos();
        int excess;
        while ((excess = server.openFiles() - filesBefore) > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(200_000_000);
        }
        var releaseSeconds = excess > 0 ? Double.NaN : (System.nanoTime() - closedAt) / 1e9;
        return new Result(options.sessions(), fleet.failures, fleet.firstFailure, fleet.openNanos / 1e9, joinCpu, dropped,
                idleSeconds, heapBefore, heapAfter, rssBefore, rssAfter, releaseSeconds, Math.max(0, excess));
    }
}
