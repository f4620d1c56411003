package dev.rendezvous.webapp;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real TURN server for a test: Debian's coturn ({@code turnserver}), started on loopback with the TURN REST shared
 * secret that Rendezvous signs credentials with (../shared/turn-testing.md has the why of each flag), and stopped by
 * {@link #close}. Everything it logs is kept, for the test to read.
 */
final class Coturn implements AutoCloseable {

    private static final File TURNSERVER = new File("/usr/bin/turnserver");
    private static final Duration START_PATIENCE = Duration.ofSeconds(20);

    private final Process process;
    private final List<String> log = new ArrayList<>();
    private final CountDownLatch listening = new CountDownLatch(1);
    final int port;

    private Coturn(int port, String secret, int relayPorts) throws IOException {
        this.port = port;
        process = new ProcessBuilder(TURNSERVER.getPath(), "-n",
                "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
                "--min-port=" + relayPorts, "--max-port=" + (relayPorts + 99), "--realm=rendezvous.test",
                "--use-auth-secret", "--static-auth-secret=" + secret,
                "--allow-loopback-peers", "--no-cli", "--no-tls", "--no-dtls", "--fingerprint",
                "--verbose", "--log-file=stdout", "--pidfile=/dev/null")
                .redirectErrorStream(true)
                .start();
        var reader = new Thread(this::readLog, "coturn-" + port + "-log");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * coturn listening on UDP {@code port} of 127.0.0.1, relaying from 100 ports of its own. Without it a developer's
     * run skips the test with a message; in CI (which installs it) its absence is a failure.
     */
    static Coturn start(int port, String secret) throws IOException, InterruptedException {
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(TURNSERVER.canExecute(), "the TURN test needs Debian's coturn (apt-get install coturn)");
        }
        var relayPorts = 50_000 + 100 * (Math.floorMod(port, 150)); // 50000-64999, apart for servers on other ports
        var coturn = new Coturn(port, secret, relayPorts);
        if (!coturn.listening.await(START_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            coturn.close();
            throw new IllegalStateException("coturn did not open its UDP listener on " + port + " within "
                    + START_PATIENCE + "; it logged: " + String.join("\n", coturn.log()));
        }
        return coturn;
    }

    /** What coturn logged so far. */
    synchronized List<String> log() {
        return List.copyOf(log);
    }

    private void readLog() {
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (var line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (this) {
                    log.add(line);
                }
                if (line.contains("UDP listener opened on") && line.contains(":" + port)) {
                    listening.countDown();
                }
            }
        } catch (IOException ended) {
            synchronized (this) {
                log.add("(log ended: " + ended + ")");
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
