package dev.rendezvous.bench;

import dev.rendezvous.server.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * The load benchmark: drives a running server's {@code /signal} through four scenarios (saturated relay, fixed-rate
 * latency, room fan-out, connection scale; and, when named, a long soak), checks that every message arrived once, in order, where it was sent,
 * and reports the server's own CPU time per message. {@code mvn verify -Pbench} starts a server and runs it; see
 * {@link Options} for running it against any URL. Exits 0 when every check held, 3 when one did not, 2 on bad options.
 *
 * <p>On success it also writes {@code passed} into the output folder, which the Maven build checks after it has
 * stopped the server (a failing benchmark must not leave the server running).
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException bad) {
            System.err.println("benchmark: " + bad.getMessage() + "\n(options: see the javadoc of " + Options.class.getName() + ")");
            System.exit(2);
            return;
        }
        var passed = options.out().resolve("passed");
        Files.deleteIfExists(passed);
        var clean = run(options);
        if (clean) {
            Files.writeString(passed, "the benchmark's correctness checks held\n");
        }
        System.exit(clean ? 0 : 3);
    }

    private static boolean run(Options options) throws Exception {
        var started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        var server = options.pid() != null ? ServerProcess.withPid(options.pid()) : ServerProcess.listeningOn(port(options.signal()));
        var label = options.label() != null ? options.label() : server.command;
        var target = new Target(HttpClient.newHttpClient(), options.signal(), server, options);
        var header = String.format("Rendezvous benchmark '%s': %s, server pid %d (%s); generator on Java %s; %d cores; %s",
                label, options.signal(), server.pid, server.command, Runtime.version().feature(),
                Runtime.getRuntime().availableProcessors(), started);
        System.out.println(header);

        var measurements = new ArrayList<Measurement>();
        ConnectionScale.Result scale = null;
        if (options.scenarios().contains("relay")) {
            progress("relay: " + options.pairs() + " pairs, " + options.window() + " in flight each way");
            measurements.add(RelayThroughput.run(target));
        }
        if (options.scenarios().contains("latency")) {
            for (var rate : options.rates()) {
                progress("latency: " + rate + " msg/s offered");
                measurements.add(FixedRateLatency.run(target, rate));
            }
        }
        if (options.scenarios().contains("fanout")) {
            progress("fan-out: " + options.rooms() + " rooms of 4");
            measurements.add(RoomFanOut.run(target));
        }
        if (options.scenarios().contains("scale")) {
            progress("scale: " + options.sessions() + " sessions");
            scale = ConnectionScale.run(target);
        }
        if (options.scenarios().contains("nodes")) {
            measurements.addAll(AcrossNodes.run(target));
        }
        Soak.Result soak = null;
        if (options.scenarios().contains("soak")) {
            progress("soak: " + options.soak().toMinutes() + " minutes of mixed load");
            soak = Soak.run(target, options.soak());
        }
        if (server.heapUnavailable() != null) {
            System.out.println("note: " + server.heapUnavailable());
        }

        var report = new Report(header, measurements, scale, soak);
        report.print(System.out);
        var about = new LinkedHashMap<String, String>();
        about.put("label", label);
        about.put("url", options.signal().toString());
        about.put("serverProcess", server.command);
        about.put("generatorJava", Runtime.version().toString());
        about.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        about.put("date", started.toString());
        var base = "bench-" + label.replaceAll("[^A-Za-z0-9._-]", "_");
        report.writeJson(options.out().resolve(base + ".json"), about);
        report.writeChart(options.out().resolve(base + "-latency.svg"), "Rendezvous '" + label + "': relay latency vs offered rate");
        System.out.println("report: " + options.out().resolve(base + ".json").toAbsolutePath());
        return report.clean();
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "wss".equals(uri.getScheme()) ? 443 : 80;
    }

    static void progress(String step) {
        System.out.printf("[%tT] %s%n", System.currentTimeMillis(), step);
    }
}
