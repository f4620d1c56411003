package dev.rendezvous.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers a test starts, free on loopback and outside the kernel's ephemeral range. A port the kernel
 * hands out ({@code new ServerSocket(0)}) is one it may give the next outgoing connection too, in the seconds before
 * the child server binds it: a test's own readiness poll, connecting to that very port, can even connect to itself.
 * The server then cannot bind it (Payara Micro, WildFly and Open Liberty all keep running without that listener), and
 * the test waits for a node that never gets ready. No outgoing connection takes a port below the ephemeral range.
 */
public final class LoopbackPorts {

    /** The lowest port handed out: above the well-known and most registered services' ports. */
    private static final int LOWEST = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int ATTEMPTS = 200;

    private LoopbackPorts() {
    }

    /** A port free on loopback now, below the ephemeral range. */
    public static int free() {
        return offsetFreeing(List.of(0));
    }

    /** An offset that moves every one of {@code ports} to a port free on loopback now, all below the ephemeral range. */
    public static int offsetFreeing(List<Integer> ports) {
        var lowest = ports.stream().mapToInt(Integer::intValue).min().orElseThrow();
        var highest = ports.stream().mapToInt(Integer::intValue).max().orElseThrow();
        var from = LOWEST - lowest;
        var to = ephemeralStart() - highest; // exclusive
        if (to <= from) {
            throw new IllegalStateException("ports " + ports + " do not fit between " + LOWEST + " and the ephemeral range");
        }
        for (var attempt = 0; attempt < ATTEMPTS; attempt++) {
            var offset = ThreadLocalRandom.current().nextInt(from, to);
            if (ports.stream().allMatch(port -> free(port + offset))) {
                return offset;
            }
        }
        throw new IllegalStateException("found no offset that leaves all of " + ports + " free in " + ATTEMPTS + " tries");
    }

    private static boolean free(int port) {
        try (var probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range; Linux's default where the kernel does not say. */
    static int ephemeralStart() {
        if (!Files.isReadable(EPHEMERAL_RANGE)) {
            return 32_768;
        }
        try {
            // by lines: Files.readString trusts the size procfs reports (none) and returns one character
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).strip().split("\\s+")[0]);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
