package dev.rendezvous.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's command line: {@code --name value} pairs, every one but {@code --url} optional.
 *
 * <pre>
 * --url URL            the server: http(s)://host:port or ws(s)://host:port (its /signal is loaded)
 * --scenarios LIST     relay,latency,fanout,scale,soak,nodes (default: all but soak and nodes, in that order); nodes
 *                      starts a Redis and two nodes of its own (Open Liberty, copies of the test server) and runs
 *                      the latency scenario at each of --rates with each pair on one node, then across the two
 * --protocol P         rooms (protocol 1, pairs in rooms of two) or seed (the tutorial's start / iceCandidate)
 * --pairs N            peer pairs for relay and latency (50)
 * --window N           messages in flight per direction, or per fan-out sender (16)
 * --rates LIST         offered rates for latency, messages/s in total (2000,10000,20000)
 * --rooms N            rooms of four for fan-out (25)
 * --sessions N         sessions for connection scale (19000)
 * --warmup S, --duration S                  seconds of warm-up and of measuring, relay and fan-out (20, 15)
 * --latency-warmup S, --latency-duration S  the same per latency rate (3, 10)
 * --idle S             seconds the scale sessions idle before memory is read (10)
 * --soak-minutes M     how long the soak scenario runs (30); it runs only when named in --scenarios
 * --pid N              the server's process id (default: the process listening on the URL's port)
 * --label TEXT         names the run in the report, e.g. liberty-jdk17 (default: the server's process name)
 * --out DIR            where the JSON report and the latency chart go (target/bench)
 * </pre>
 */
record Options(URI signal, Set<String> scenarios, Protocol protocol, int pairs, int window, List<Integer> rates,
               int rooms, int sessions, Duration warmup, Duration duration, Duration latencyWarmup,
               Duration latencyDuration, Duration idle, Duration soak, Long pid, String label, Path out) {

    /** What --scenarios may name; the soak runs only when named. */
    static final List<String> SCENARIOS = List.of("relay", "latency", "fanout", "scale", "soak", "nodes");
    private static final List<String> DEFAULT_SCENARIOS = List.of("relay", "latency", "fanout", "scale");

    static Options parse(String... args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value");
        }
        var given = new HashMap<String, String>();
        for (var i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name, got " + args[i]);
            }
            given.put(args[i].substring(2), args[i + 1]);
        }
        var options = new Reader(given);
        var url = options.text("url", null);
        if (url == null) {
            throw new IllegalArgumentException("--url is required, e.g. --url http://localhost:9080");
        }
        var scenarios = Set.copyOf(Arrays.asList(options.text("scenarios", String.join(",", DEFAULT_SCENARIOS)).split(",")));
        if (!SCENARIOS.containsAll(scenarios)) {
            throw new IllegalArgumentException("--scenarios takes some of " + SCENARIOS + ", not " + scenarios);
        }
        var parsed = new Options(signalUri(url), scenarios,
                Protocol.valueOf(options.text("protocol", "rooms").toUpperCase()),
                options.number("pairs", 50), options.number("window", 16),
                Arrays.stream(options.text("rates", "2000,10000,20000").split(",")).map(String::strip).map(Integer::valueOf).toList(),
                options.number("rooms", 25), options.number("sessions", 19_000),
                options.seconds("warmup", 20), options.seconds("duration", 15),
                options.seconds("latency-warmup", 3), options.seconds("latency-duration", 10),
                options.seconds("idle", 10), Duration.ofMinutes(options.number("soak-minutes", 30)),
                given.containsKey("pid") ? Long.valueOf(given.remove("pid")) : null,
                options.text("label", null), Path.of(options.text("out", "target/bench")));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + given.keySet());
        }
        return parsed;
    }

    private static URI signalUri(String url) {
        var base = url.replaceFirst("^http", "ws").replaceAll("/+$", "");
        return URI.create(base.endsWith("/signal") ? base : base + "/signal");
    }

    /** Takes each option it reads out of {@code given}, so that whatever is left over was not understood. */
    private record Reader(Map<String, String> given) {
        String text(String name, String fallback) {
            var value = given.remove(name);
            return value == null || value.isBlank() ? fallback : value.strip();
        }

        int number(String name, int fallback) {
            var value = Integer.parseInt(text(name, Integer.toString(fallback)));
            if (value < 1) {
                throw new IllegalArgumentException("--" + name + " must be at least 1");
            }
            return value;
        }

        Duration seconds(String name, int fallback) {
            return Duration.ofSeconds(number(name, fallback));
        }
    }
}
