package dev.rendezvous.cluster;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One more node of the default server for the cluster tests: a copy of the test server's Open Liberty configuration
 * (the same WAR, loose), with ports of its own and extra JVM options, run by {@code wlp/bin/server run} as a child of
 * the test so the test holds its process and can kill it as a crash would ({@code kill -9}).
 */
public final class LibertyNode implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofMinutes(2);

    final String name;
    public final int httpPort;
    private final Path directory;
    private final Process process;

    private LibertyNode(String name, int httpPort, Path directory, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.directory = directory;
        this.process = process;
    }

    /** Starts node {@code name} with the test server's configuration, only the main WAR, and {@code properties}. */
    public static LibertyNode start(String name, Map<String, String> properties) throws IOException, InterruptedException {
        var template = Path.of(System.getProperty("rendezvous.liberty.server.dir", "target/liberty/wlp/usr/servers/rendezvous-it"));
        Assumptions.assumeTrue("liberty".equals(System.getProperty("rendezvous.it.server", "liberty")) && Files.isDirectory(template),
                "cluster nodes are copies of the Open Liberty test server: the cluster suite runs with Open Liberty");
        var servers = template.getParent();
        var wlp = servers.getParent().getParent();
        var directory = servers.resolve(name);
        delete(directory);
        Files.createDirectories(directory.resolve("apps"));
        for (var file : List.of("server.xml", "server.env", "apps/rendezvous.war.xml")) {
            if (Files.exists(template.resolve(file))) {
                Files.copy(template.resolve(file), directory.resolve(file));
            }
        }
        Files.createDirectories(directory.resolve("resources/security"));
        var http = freePort();
        var https = freePort();
        var bootstrap = Files.readAllLines(template.resolve("bootstrap.properties")).stream()
                .filter(line -> !line.startsWith("http.port=") && !line.startsWith("https.port="))
                .collect(Collectors.joining("\n"));
        Files.writeString(directory.resolve("bootstrap.properties"),
                bootstrap + "\nhttp.port=" + http + "\nhttps.port=" + https + "\n");
        var options = Files.readAllLines(template.resolve("jvm.options")).stream()
                .filter(line -> !line.startsWith("-Drendezvous.allowed-origins="))
                .collect(Collectors.joining("\n"));
        var extra = properties.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
        Files.writeString(directory.resolve("jvm.options"), options + "\n" + extra + "\n");
        var process = new ProcessBuilder(wlp.resolve("bin/server").toString(), "run", name)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("console.out").toFile())
                .start();
        var node = new LibertyNode(name, http, directory, process);
        node.awaitReady();
        return node;
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + httpPort + path);
    }

    /** Ends the node as a crash would: its JVM killed, no shutdown hook, no close frames. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive() || process.descendants().anyMatch(ProcessHandle::isAlive);
    }

    private void awaitReady() throws InterruptedException {
        var http = HttpClient.newHttpClient();
        var deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            try {
                var status = http.send(HttpRequest.newBuilder(uri("/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!alive()) {
                throw new IllegalStateException("node " + name + " ended while starting; see " + directory.resolve("console.out"));
            }
            TimeUnit.MILLISECONDS.sleep(250); // a poll, bounded above: a starting server has no event to wait on
        }
        throw new IllegalStateException("node " + name + " was not ready within " + STARTUP);
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            kill();
        }
        try {
            keepLogs();
            delete(directory);
        } catch (IOException leftBehind) {
            throw new UncheckedIOException(leftBehind);
        }
    }

    /** Keeps the node's console and logs in {@code target/cluster-logs/<name>/}, for whoever reads a failed run. */
    private void keepLogs() throws IOException {
        var kept = Path.of("target", "cluster-logs", name);
        delete(kept);
        Files.createDirectories(kept);
        for (var log : List.of(directory.resolve("console.out"), directory.resolve("logs/messages.log"))) {
            if (Files.exists(log)) {
                Files.copy(log, kept.resolve(log.getFileName()));
            }
        }
    }

    private static int freePort() throws IOException {
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var files = Files.walk(directory)) {
            for (var file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
