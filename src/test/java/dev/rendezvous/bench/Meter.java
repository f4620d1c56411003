package dev.rendezvous.bench;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/** CPU and wall time over one measurement window: the server's (from /proc) and the load generator's own. */
final class Meter {

    private static final OperatingSystemMXBean GENERATOR =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final LongSupplier serverCpu;
    private final LongSupplier messages;
    private long wallStart;
    private long serverStart;
    private long generatorStart;
    private long messagesStart;

    /**
     * @param serverCpu the CPU time the server under load has used, in nanoseconds
     * @param messages  a running count of the messages the window is about
     */
    Meter(LongSupplier serverCpu, LongSupplier messages) {
        this.serverCpu = serverCpu;
        this.messages = messages;
    }

    void start() {
        wallStart = System.nanoTime();
        serverStart = serverCpu.getAsLong();
        generatorStart = GENERATOR.getProcessCpuTime();
        messagesStart = messages.getAsLong();
    }

    Window stop() {
        return new Window(System.nanoTime() - wallStart, serverCpu.getAsLong() - serverStart,
                GENERATOR.getProcessCpuTime() - generatorStart, messages.getAsLong() - messagesStart);
    }

    /** One window's wall time, CPU time of both processes, and the messages counted in it. */
    record Window(long wallNanos, long serverCpuNanos, long generatorCpuNanos, long messages) {

        double seconds() {
            return wallNanos / 1e9;
        }

        double messagesPerSecond() {
            return messages / seconds();
        }

        /** Server CPU time per message, in microseconds. */
        double serverMicrosPerMessage() {
            return messages == 0 ? Double.NaN : serverCpuNanos / 1_000.0 / messages;
        }

        /** Server CPU as a percentage of one core. */
        double serverCpuPercent() {
            return 100.0 * serverCpuNanos / wallNanos;
        }

        double generatorCpuPercent() {
            return 100.0 * generatorCpuNanos / wallNanos;
        }
    }
}
