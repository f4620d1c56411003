package dev.rendezvous.cluster;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (Debian's package) on a free loopback port, started and stopped by the test, with nothing
 * saved: it starts empty, as a restarted Redis does. Without the package a developer's run skips; CI installs it.
 */
public final class RedisServer implements AutoCloseable {

    private static final File BINARY = new File("/usr/bin/redis-server");
    private static final Duration STARTUP = Duration.ofSeconds(20);

    public final int port;
    private Process process;

    private RedisServer(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    public static RedisServer start() throws IOException, InterruptedException {
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(BINARY.canExecute(), "the scale-out tests need Debian's redis-server (apt-get install redis-server)");
        }
        var port = LoopbackPorts.free();
        return new RedisServer(port, launch(port));
    }

    /** Kills this Redis as a crash would (nothing saved) and starts a fresh, empty one on the same port. */
    void restart() throws IOException, InterruptedException {
        kill();
        process = launch(port);
    }

    /** Kills this Redis as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts a fresh, empty Redis on {@code port}. */
    void relaunch() throws IOException, InterruptedException {
        process = launch(port);
    }

    /** Starts a fresh, empty Redis on {@code port} if this one was killed: a test that failed midway leaves one for the next. */
    void ensureRunning() throws IOException, InterruptedException {
        if (!process.isAlive()) {
            relaunch();
        }
    }

    /**
     * Stalls this Redis for {@code stall} as an overloaded or stopped one would, without its keys expiring meanwhile
     * ({@code CLIENT PAUSE}): it takes no command until then, and then everything it was sent, in order.
     */
    void pause(Duration stall) {
        var client = io.lettuce.core.RedisClient.create(uri());
        try (var connection = client.connect()) {
            connection.sync().clientPause(stall.toMillis());
        } finally {
            client.shutdown();
        }
    }

    private static Process launch(int port) throws IOException, InterruptedException {
        var process = new ProcessBuilder(BINARY.getPath(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        var deadline = Instant.now().plus(STARTUP);
        while (true) {
            try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return process;
            } catch (IOException notYet) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    process.destroyForcibly();
                    throw new IOException("redis-server did not listen on " + port + " within " + STARTUP, notYet);
                }
                TimeUnit.MILLISECONDS.sleep(50); // a poll for the port, bounded above: the process gives no event
            }
        }
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
