package dev.rendezvous.bench;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * CPU and wall time over one measurement window: the server's (from /proc, for each process that serves it) and the
 * load generator's own.
 */
final class Meter {

    private static final OperatingSystemMXBean GENERATOR =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Supplier<Map<String, Long>> serverCpu;
    private final LongSupplier messages;
    private long wallStart;
    private Map<String, Long> serverStart;
    private long generatorStart;
    private long messagesStart;

    /**
     * @param serverCpu the CPU time each process serving the load has used, in nanoseconds, by its role
     * @param messages  a running count of the messages the window is about
     */
    Meter(Supplier<Map<String, Long>> serverCpu, LongSupplier messages) {
        this.serverCpu = serverCpu;
        this.messages = messages;
    }

    void start() {
        wallStart = System.nanoTime();
        serverStart = serverCpu.get();
        generatorStart = GENERATOR.getProcessCpuTime();
        messagesStart = messages.getAsLong();
    }

    Window stop() {
        var wall = System.nanoTime() - wallStart;
        var used = new LinkedHashMap<String, Long>();
        serverCpu.get().forEach((role, cpu) -> used.put(role, cpu - serverStart.get(role)));
        return new Window(wall, used, GENERATOR.getProcessCpuTime() - generatorStart, messages.getAsLong() - messagesStart);
    }

    /**
     * One window's wall time, the CPU time of the server's processes (by role, in order) and of the generator, and the
     * messages counted in it.
     */
    record Window(long wallNanos, Map<String, Long> serverCpuNanosByProcess, long generatorCpuNanos, long messages) {

        Window {
            serverCpuNanosByProcess = Collections.unmodifiableMap(new LinkedHashMap<>(serverCpuNanosByProcess));
        }

        /** The CPU time of all the server's processes together. */
        long serverCpuNanos() {
            return serverCpuNanosByProcess.values().stream().mapToLong(Long::longValue).sum();
        }

        double seconds() {
            return wallNanos / 1e9;
        }

        double messagesPerSecond() {
            return messages / seconds();
        }

        /** Server CPU time per message, in microseconds. */
        double serverMicrosPerMessage() {
            return perMessage(serverCpuNanos());
        }

        /** Each server process's CPU time per message, in microseconds, by role. */
        Map<String, Double> serverMicrosPerMessageByProcess() {
            var micros = new LinkedHashMap<String, Double>();
            serverCpuNanosByProcess.forEach((role, cpu) -> micros.put(role, perMessage(cpu)));
            return micros;
        }

        private double perMessage(long cpuNanos) {
            return messages == 0 ? Double.NaN : cpuNanos / 1_000.0 / messages;
        }

        /** Server CPU as a percentage of one core. */
        double serverCpuPercent() {
            return 100.0 * serverCpuNanos() / wallNanos;
        }

        double generatorCpuPercent() {
            return 100.0 * generatorCpuNanos / wallNanos;
        }
    }
}
