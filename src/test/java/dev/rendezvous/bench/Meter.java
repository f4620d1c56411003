package dev.rendezvous.bench;

import dev.rendezvous.server.ServerProcess;
import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/** CPU and wall time over one measurement window: the server's (from /proc) and the load generator's own. */
final class Meter {

    private static final OperatingSystemMXBean GENERATOR =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final ServerProcess server;
    private final LongSupplier messages;
    private long wallStart;
    private long serverStart;
    private long generatorStart;
    private long messagesStart;

    /** @param messages a running count of the messages the window is about */
    Meter(ServerProcess server, LongSupplier messages) {
        this.server = server;
        this.messages = messages;
    }

    void start() {
        wallStart = System.nanoTime();
        serverStart = server.cpuNanos();
        generatorStart = GENERATOR.getProcessCpuTime();
        messagesStart = messages.getAsLong();
    }

    Window stop() {
        return new Window(System.nanoTime() - wallStart, server.cpuNanos() - serverStart,
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
