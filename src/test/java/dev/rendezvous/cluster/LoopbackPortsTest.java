package dev.rendezvous.cluster;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ports a test's servers get are free and out of the way of the kernel's outgoing connections. */
class LoopbackPortsTest {

    private static final List<Integer> WILDFLY = List.of(4712, 4713, 8009, 8080, 8443, 9990, 9993);

    @Test
    void aWildFlyNodesPortsAllMoveBelowTheEphemeralRangeAndAreFree() throws IOException {
        for (var round = 0; round < 20; round++) {
            var offset = LoopbackPorts.offsetFreeing(WILDFLY);
            for (var port : WILDFLY) {
                var moved = port + offset;
                assertTrue(moved >= 10_000 && moved < LoopbackPorts.ephemeralStart(), port + " moved to " + moved);
                try (var bound = new ServerSocket(moved, 1, InetAddress.getLoopbackAddress())) {
                    assertTrue(bound.isBound());
                }
            }
        }
    }

    @Test
    void theKernelsEphemeralRangeIsReadWholeNotAsProcfsSizesIt() {
        // procfs reports no size: a read that trusts it gets "3" of "32768\t60999"
        assertTrue(LoopbackPorts.ephemeralStart() > 10_000, "the ephemeral range starts at " + LoopbackPorts.ephemeralStart());
    }

    @Test
    void aPortTheKernelWouldGiveAnOutgoingConnectionIsNeverHandedOut() {
        for (var round = 0; round < 200; round++) {
            var port = LoopbackPorts.free();
            assertTrue(port >= 10_000 && port < LoopbackPorts.ephemeralStart(), "handed out " + port);
        }
    }
}
