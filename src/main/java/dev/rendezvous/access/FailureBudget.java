package dev.rendezvous.access;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many failed {@code hello}s (and refused {@code start}s) each remote address may have in a sliding minute; an
 * address over it is refused at once until the window has room again. Addresses with nothing in their window are
 * forgotten, so the map holds only those that failed in the last minute.
 */
public final class FailureBudget {

    private static final long WINDOW = Duration.ofMinutes(1).toNanos();
    /** Above this many addresses, a failure first forgets those whose window is empty. */
    private static final int SWEEP_ABOVE = 4096;

    private final int perMinute;
    private final Map<String, ArrayDeque<Long>> failures = new ConcurrentHashMap<>();

    public FailureBudget(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Whether {@code address} has used up its failures at {@code now} (nanoseconds, one clock for all calls). */
    public boolean exhausted(String address, long now) {
        var times = failures.get(address);
        if (times == null) {
            return false;
        }
        synchronized (times) {
            expire(times, now);
            return times.size() >= perMinute;
        }
    }

    /** Counts a failure of {@code address} at {@code now}. */
    public void fail(String address, long now) {
        if (failures.size() > SWEEP_ABOVE) {
            failures.entrySet().removeIf(entry -> {
                synchronized (entry.getValue()) {
                    expire(entry.getValue(), now);
                    return entry.getValue().isEmpty();
                }
            });
        }
        var times = failures.computeIfAbsent(address, any -> new ArrayDeque<>());
        synchronized (times) {
            expire(times, now);
            if (times.size() < perMinute) {
                times.addLast(now);
            } else {
                times.removeFirst(); // keep the newest: the window stays full for a minute after the last failure
                times.addLast(now);
            }
        }
    }

    public int perMinute() {
        return perMinute;
    }

    /** How many addresses it holds failures of. */
    int addresses() {
        return failures.size();
    }

    private static void expire(ArrayDeque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= WINDOW) {
            times.removeFirst();
        }
    }
}
