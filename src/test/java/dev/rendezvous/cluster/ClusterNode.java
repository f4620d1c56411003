package dev.rendezvous.cluster;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One more node of the server under test ({@code rendezvous.it.server}) for the cluster tests, run as a child of the
 * test so the test holds its process and can kill it as a crash would ({@code kill -9}): the same WAR, ports of its
 * own, extra JVM options. Open Liberty: a copy of the test server's configuration, run by {@code wlp/bin/server run}.
 * Payara Micro: its jar with the test server's pre-boot and post-boot commands. WildFly: the test server's
 * configuration, as the operators' scripts left it, in a {@code standalone} directory of its own, run by
 * {@code bin/standalone.sh} with {@code standalone-microprofile.xml}.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofMinutes(3);
    /** How a node's console says a port was taken: Payara Micro's and WildFly's exception, Open Liberty's message. */
    private static final Pattern BIND_FAILURE = Pattern.compile("java\\.net\\.BindException|CWWKO0221E");
    private static final int CONSOLE_TAIL = 40;
    /** A socket binding's port in a WildFly configuration: {@code port="${jboss.http.port:8080}"} or {@code port="4712"}. */
    private static final Pattern SOCKET_BINDING_PORT =
            Pattern.compile("<socket-binding name=\"[^\"]+\"[^>]*?\\bport=\"(?:\\$\\{[^:}]+:)?(\\d+)\\}?\"");

    final String name;
    public final int httpPort;
    private final URI readiness;
    private final Path directory;
    private final Process process;

    private ClusterNode(String name, int httpPort, URI readiness, Path directory, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.readiness = readiness;
        this.directory = directory;
        this.process = process;
    }

    /** The server the integration tests run against: {@code liberty} (the default), {@code payara} or {@code wildfly}. */
    static String server() {
        return System.getProperty("rendezvous.it.server", "liberty");
    }

    /** Starts node {@code name} of the server under test with its test configuration, only the main WAR, and {@code properties}. */
    public static ClusterNode start(String name, Map<String, String> properties) throws IOException, InterruptedException {
        var node = switch (server()) {
            case "payara" -> payara(name, properties);
            case "wildfly" -> wildfly(name, properties);
            default -> liberty(name, properties);
        };
        try {
            node.awaitReady();
        } catch (RuntimeException | InterruptedException notReady) {
            node.close(); // a node that never got ready is not left running
            throw notReady;
        }
        return node;
    }

    private static ClusterNode liberty(String name, Map<String, String> properties) throws IOException {
        var template = Path.of(System.getProperty("rendezvous.liberty.server.dir", "target/liberty/wlp/usr/servers/rendezvous-it"));
        Assumptions.assumeTrue(Files.isDirectory(template), "no Open Liberty test server at " + template);
        var servers = template.getParent();
        var wlp = servers.getParent().getParent();
        var directory = fresh(servers.resolve(name));
        Files.createDirectories(directory.resolve("apps"));
        for (var file : List.of("server.xml", "server.env", "apps/rendezvous.war.xml")) {
            if (Files.exists(template.resolve(file))) {
                Files.copy(template.resolve(file), directory.resolve(file));
            }
        }
        Files.createDirectories(directory.resolve("resources/security"));
        // one draw for both, checked free together: two draws of free() could hand out the same port twice
        var http = LoopbackPorts.offsetFreeing(List.of(0, 1));
        var https = http + 1;
        var bootstrap = Files.readAllLines(template.resolve("bootstrap.properties")).stream()
                .filter(line -> !line.startsWith("http.port=") && !line.startsWith("https.port="))
                .collect(Collectors.joining("\n"));
        Files.writeString(directory.resolve("bootstrap.properties"),
                bootstrap + "\nhttp.port=" + http + "\nhttps.port=" + https + "\n");
        var options = Files.readAllLines(template.resolve("jvm.options")).stream()
                .filter(line -> !line.startsWith("-Drendezvous.allowed-origins="))
                .collect(Collectors.joining("\n"));
        Files.writeString(directory.resolve("jvm.options"), options + "\n" + String.join("\n", options(properties)) + "\n");
        var process = launch(directory, List.of(wlp.resolve("bin/server").toString(), "run", name), Map.of());
        return new ClusterNode(name, http, URI.create("http://localhost:" + http + "/health/ready"), directory, process);
    }

    private static ClusterNode payara(String name, Map<String, String> properties) throws IOException {
        var jar = Path.of(required("rendezvous.payara.jar"));
        var directory = fresh(Path.of("target", "cluster-nodes", name));
        var http = LoopbackPorts.free();
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Drendezvous.admin-password-file=" + Path.of("target", "payara", "admin-password.txt").toAbsolutePath());
        command.addAll(testServerOptions());
        command.addAll(options(properties));
        command.addAll(List.of("-jar", jar.toString(), "--nocluster", "--port", Integer.toString(http),
                "--rootdir", directory.resolve("root").toAbsolutePath().toString(),
                "--deploy", Path.of(required("rendezvous.war")).toAbsolutePath() + "", "--contextroot", "/",
                "--prebootcommandfile", Path.of("server-config", "payara", "pre-boot-commands.txt").toAbsolutePath().toString(),
                "--postbootcommandfile", Path.of("server-config", "payara", "post-boot-commands.txt").toAbsolutePath().toString()));
        var process = launch(directory, command, Map.of());
        return new ClusterNode(name, http, URI.create("http://localhost:" + http + "/health/ready"), directory, process);
    }

    private static ClusterNode wildfly(String name, Map<String, String> properties) throws IOException {
        var home = Path.of(required("rendezvous.wildfly.home"));
        var directory = fresh(Path.of("target", "cluster-nodes", name).toAbsolutePath());
        var template = home.resolve("standalone");
        copy(template.resolve("configuration"), directory.resolve("configuration"));
        // only the main WAR, by the deployment scanner: not the test server's deployments (the auth WARs beside it)
        var configuration = directory.resolve("configuration/standalone-microprofile.xml");
        Files.writeString(configuration, Files.readString(configuration).replaceAll("(?s)<deployments>.*?</deployments>", ""));
        Files.createDirectories(directory.resolve("deployments"));
        Files.copy(Path.of(required("rendezvous.war")), directory.resolve("deployments/rendezvous.war"));
        // every port moves by one offset, the transaction manager's too (two servers on one machine would share them)
        var offset = LoopbackPorts.offsetFreeing(socketBindingPorts(Files.readString(configuration)));
        var http = 8080 + offset;
        var command = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(), "-c", "standalone-microprofile.xml",
                "-Djboss.server.base.dir=" + directory, "-Djboss.bind.address=127.0.0.1",
                "-Djboss.socket.binding.port-offset=" + offset,
                "-Dtls.keystore=" + required("javax.net.ssl.trustStore"),
                "-Dtls.keystore.password=" + required("javax.net.ssl.trustStorePassword")));
        command.addAll(testServerOptions());
        command.addAll(options(properties));
        var process = launch(directory, command, Map.of("JBOSS_HOME", home.toString()));
        return new ClusterNode(name, http, URI.create("http://localhost:" + (9990 + offset) + "/health/ready"), directory, process);
    }

    /**
     * The test server's Rendezvous settings the build gives this run, {@code rendezvous.it.server-options}: its
     * {@code -Dname=value} options, comma-separated (the benchmark's raised rate limit, for one). Payara and WildFly
     * nodes start from the server's files, which do not hold them; a Liberty node has them already, in the
     * {@code jvm.options} it copies.
     */
    private static List<String> testServerOptions() {
        var options = System.getProperty("rendezvous.it.server-options", "");
        return Arrays.stream(options.split(",")).map(String::strip).filter(option -> !option.isEmpty()).toList();
    }

    /** The ports of a WildFly configuration's socket bindings, as configured (before any offset). */
    static List<Integer> socketBindingPorts(String configuration) {
        return SOCKET_BINDING_PORT.matcher(configuration).results().map(port -> Integer.valueOf(port.group(1))).toList();
    }

    private static List<String> options(Map<String, String> properties) {
        return properties.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
    }

    private static Process launch(Path directory, List<String> command, Map<String, String> environment) throws IOException {
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(directory.resolve("console.out").toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static String required(String property) {
        var value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("the cluster suite on " + server() + " needs -D" + property + " (the build sets it)");
        }
        return value;
    }

    /** Where the node answers its readiness: on its HTTP port, or WildFly's management port. */
    public URI readiness() {
        return readiness;
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + httpPort + path);
    }

    /** Stops the node as an operator does (SIGTERM): its server shuts down and undeploys, within {@code patience}. */
    public void stop(Duration patience) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw failed("did not stop within " + patience);
        }
    }

    /** Ends the node as a crash would: its JVM killed, no shutdown hook, no close frames. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Stops the node's JVM (SIGSTOP) as a machine that froze would: nothing runs, yet its sockets stay open, so the
     * store still counts its subscription until it is killed.
     */
    public void freeze() throws IOException, InterruptedException {
        var pids = Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .map(handle -> Long.toString(handle.pid())).toList();
        var command = new ArrayList<>(List.of("kill", "-STOP"));
        command.addAll(pids);
        var stop = new ProcessBuilder(command).inheritIO().start();
        if (!stop.waitFor(10, TimeUnit.SECONDS) || stop.exitValue() != 0) {
            throw new IllegalStateException("could not freeze node " + name + " (" + pids + ")");
        }
    }

    boolean alive() {
        return process.isAlive() || process.descendants().anyMatch(ProcessHandle::isAlive);
    }

    private void awaitReady() throws InterruptedException {
        var http = HttpClient.newHttpClient();
        var deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            try {
                var status = http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!alive()) {
                throw failed("ended while starting");
            }
            var bindFailure = console().filter(line -> BIND_FAILURE.matcher(line).find()).findFirst();
            if (bindFailure.isPresent()) { // it would run on without that listener, never ready
                throw failed("could not bind a port (" + bindFailure.get().strip() + ")");
            }
            TimeUnit.MILLISECONDS.sleep(250); // a poll, bounded above: a starting server has no event to wait on
        }
        throw failed("was not ready within " + STARTUP);
    }

    /** Why the node did not start or stop, with the end of its console: a CI log shows no more than the test's report. */
    private IllegalStateException failed(String why) {
        var console = console().toList();
        var tail = console.subList(Math.max(0, console.size() - CONSOLE_TAIL), console.size());
        return new IllegalStateException(server() + " node " + name + " " + why + "; the end of its console ("
                + directory.resolve("console.out") + "):\n" + String.join("\n", tail));
    }

    private Stream<String> console() {
        try {
            return Files.readAllLines(directory.resolve("console.out"), StandardCharsets.ISO_8859_1).stream();
        } catch (IOException unreadable) {
            return Stream.of("(its console could not be read: " + unreadable + ")");
        }
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
        for (var log : List.of(directory.resolve("console.out"), directory.resolve("logs/messages.log"),
                directory.resolve("log/server.log"))) {
            if (Files.exists(log)) {
                Files.copy(log, kept.resolve(log.getFileName()));
            }
        }
    }

    /** {@code directory}, made afresh. */
    private static Path fresh(Path directory) throws IOException {
        delete(directory);
        Files.createDirectories(directory);
        return directory;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (var file : files.toList()) {
                var target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
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
