package dev.rendezvous.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/** The run's results for people (a table on the console) and for tools (a JSON file), plus a latency chart (SVG). */
final class Report {

    private final String header;
    private final List<Measurement> measurements;
    private final ConnectionScale.Result scale;
    private final Soak.Result soak;

    Report(String header, List<Measurement> measurements, ConnectionScale.Result scale, Soak.Result soak) {
        this.header = header;
        this.measurements = List.copyOf(measurements);
        this.scale = scale;
        this.soak = soak;
    }

    boolean clean() {
        return measurements.stream().allMatch(m -> m.correctness().clean()) && (scale == null || scale.clean())
                && (soak == null || soak.clean());
    }

    void print(PrintStream out) {
        out.println();
        out.println(header);
        if (!measurements.isEmpty()) {
            out.printf("%-9s %-52s %9s %10s %9s %9s %9s %9s %10s %8s %8s  %s%n", "scenario", "load", "offered/s",
                    "achieved/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "server", "server", "load gen", "correctness");
            out.printf("%-9s %-52s %9s %10s %9s %9s %9s %9s %10s %8s %8s%n", "", "", "", "", "", "", "", "",
                    "µs CPU/msg", "CPU %", "CPU %");
            for (var m : measurements) {
                var w = m.window();
                var l = m.latency();
                out.printf(Locale.ROOT, "%-9s %-52s %9s %,10.0f %9.2f %9.2f %9.2f %9.2f %10.1f %8.0f %8.0f  %s%n",
                        m.scenario(), m.load(), m.offeredPerSecond() == 0 ? "max" : String.format(Locale.ROOT, "%,.0f", m.offeredPerSecond()),
                        w.messagesPerSecond(), l.p50() / 1e3, l.p99() / 1e3, l.p999() / 1e3, l.max() / 1e3,
                        w.serverMicrosPerMessage(), w.serverCpuPercent(), w.generatorCpuPercent(), m.correctness());
            }
            for (var m : measurements) {
                var byProcess = m.window().serverMicrosPerMessageByProcess();
                if (byProcess.size() > 1) {
                    out.printf(Locale.ROOT, "%-9s %,9.0f/s: server µs CPU/msg by process: %s%n", m.scenario(), m.offeredPerSecond(),
                            String.join(", ", byProcess.entrySet().stream()
                                    .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue())).toList()));
                }
            }
        }
        if (scale != null && scale.failures() == scale.sessions()) {
            out.printf("scale: every one of %,d sessions failed to open (first: %s)%n", scale.sessions(), scale.firstFailure());
        } else if (scale != null) {
            out.printf(Locale.ROOT, "scale: %,d sessions (hello + join a room of 4) in %.1f s = %,.0f joins/s, "
                            + "%.0f µs server CPU each, %d failed%s, %d dropped while idle %.0f s%n", scale.sessions(),
                    scale.seconds(), scale.joinsPerSecond(), scale.serverMicrosPerJoin(), scale.failures(), scale.firstFailure() == null ? "" : " (first: " + scale.firstFailure() + ")",
                    scale.droppedWhileIdle(), scale.idleSeconds());
            out.printf(Locale.ROOT, "       server heap after GC %s -> %s = %s per session; RSS %s -> %s = %s per session%n",
                    mib(scale.heapBefore()), mib(scale.heapAfter()), kib(scale.heapPerSession()),
                    mib(OptionalLong.of(scale.rssBefore())), mib(OptionalLong.of(scale.rssAfter())),
                    kib(OptionalLong.of(scale.rssPerSession())));
            out.println(scale.released()
                    ? String.format(Locale.ROOT, "       closed all at once, the server let go of every socket in %.1f s", scale.releaseSeconds())
                    : String.format(Locale.ROOT, "       closed all at once, the server still held %,d sockets after %.0f s", scale.stillOpen(), (double) ConnectionScale.RELEASE.toSeconds()));
        }
        if (soak != null) {
            out.printf(Locale.ROOT, "soak: %.1f min; relays %s; broadcasts %s%n", soak.duration().toSeconds() / 60.0,
                    soak.relays(), soak.broadcasts());
            out.printf(Locale.ROOT, "      churn: %,d sessions, %,d joined, %,d told room-full, %d failed%s%n", soak.churned(),
                    soak.churnJoined(), soak.churnFull(), soak.churnFailures(),
                    soak.firstChurnFailure() == null ? "" : " (first: " + soak.firstChurnFailure() + ")");
            out.printf(Locale.ROOT, "      abuse: %d of %d slow readers closed 4008, %d of %d flooders closed 4029%n",
                    soak.slowReadersClosed(), soak.slowReaders(), soak.floodersClosed(), soak.flooders());
            out.printf(Locale.ROOT, "      heap after GC each minute (MiB): %s; slope %+.2f MiB/hour%n",
                    soak.heapMiB().stream().map(mib -> String.format(Locale.ROOT, "%.1f", mib)).toList(), soak.slopeMiBPerHour());
            out.printf("      open files %d -> %d, threads %d -> %d%n", soak.filesBefore(), soak.filesAfter(),
                    soak.threadsBefore(), soak.threadsAfter());
        }
        out.println(clean() ? "correctness: every message arrived once, in order, at its addressee, from its sender"
                : "!!! CORRECTNESS FAILED: see the rows above !!!");
    }

    void writeJson(Path file, Map<String, String> about) throws IOException {
        var root = Json.createObjectBuilder();
        about.forEach(root::add);
        var rows = Json.createArrayBuilder();
        for (var m : measurements) {
            rows.add(json(m));
        }
        root.add("measurements", rows);
        if (scale != null) {
            root.add("scale", json(scale));
        }
        if (soak != null) {
            root.add("soak", json(soak));
        }
        root.add("correct", clean());
        Files.createDirectories(file.getParent());
        try (var out = Files.newBufferedWriter(file);
             var writer = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(out)) {
            writer.writeObject(root.build());
        }
    }

    private static JsonObjectBuilder json(Soak.Result soak) {
        var heap = Json.createArrayBuilder();
        soak.heapMiB().forEach(heap::add);
        return Json.createObjectBuilder()
                .add("minutes", soak.duration().toSeconds() / 60.0)
                .add("relays", soak.relays().toString())
                .add("broadcasts", soak.broadcasts().toString())
                .add("churned", soak.churned()).add("churnJoined", soak.churnJoined()).add("churnFull", soak.churnFull())
                .add("churnFailures", soak.churnFailures())
                .add("slowReaders", soak.slowReaders()).add("slowReadersClosed", soak.slowReadersClosed())
                .add("flooders", soak.flooders()).add("floodersClosed", soak.floodersClosed())
                .add("heapAfterGcMiB", heap).add("heapSlopeMiBPerHour", number(soak.slopeMiBPerHour()))
                .add("openFilesBefore", soak.filesBefore()).add("openFilesAfter", soak.filesAfter())
                .add("threadsBefore", soak.threadsBefore()).add("threadsAfter", soak.threadsAfter())
                .add("clean", soak.clean());
    }

    /** Latency percentiles against offered rate, log scale: one line per percentile. */
    void writeChart(Path file, String title) throws IOException {
        var rows = measurements.stream().filter(m -> m.scenario().equals("latency")).toList();
        if (rows.isEmpty()) {
            return;
        }
        int width = 720, height = 420, left = 70, right = 150, top = 40, bottom = 50;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        double minUs = 10, maxUs = 10;
        for (var m : rows) {
            maxUs = Math.max(maxUs, m.latency().max());
        }
        var decades = (int) Math.ceil(Math.log10(maxUs / minUs));
        var svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">%s</text>%n", left, escape(title)));
        for (var d = 0; d <= decades; d++) {
            var y = top + plotH - plotH * d / (double) decades;
            var us = minUs * Math.pow(10, d);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left, left + plotW, y, y, left - 6, y + 4,
                    us >= 1000 ? (us / 1000) + " ms" : (int) us + " µs"));
        }
        for (var i = 0; i < rows.size(); i++) {
            var x = xOf(i, rows.size(), left, plotW);
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,.0f/s</text>%n",
                    x, top + plotH + 20, rows.get(i).offeredPerSecond()));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">offered rate (messages/s)</text>%n",
                left + plotW / 2.0, height - 8));
        String[] names = {"p50", "p99", "p99.9", "max"};
        String[] colours = {"#1b9e77", "#d95f02", "#7570b3", "#999999"};
        for (var s = 0; s < names.length; s++) {
            var points = new StringBuilder();
            for (var i = 0; i < rows.size(); i++) {
                var l = rows.get(i).latency();
                var us = Math.max(minUs, new double[]{l.p50(), l.p99(), l.p999(), l.max()}[s]);
                var y = top + plotH - plotH * Math.log10(us / minUs) / decades;
                var x = xOf(i, rows.size(), left, plotW);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, colours[s]));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    points.toString().strip(), colours[s]));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n",
                    left + plotW + 16, top + 16 + 18 * s, colours[s], names[s]));
        }
        svg.append("</svg>\n");
        Files.createDirectories(file.getParent());
        Files.writeString(file, svg);
    }

    private static double xOf(int i, int count, int left, int plotW) {
        return left + plotW * (i + 0.5) / count;
    }

    private static JsonObject json(Measurement m) {
        var w = m.window();
        var l = m.latency();
        var c = m.correctness();
        return Json.createObjectBuilder()
                .add("scenario", m.scenario())
                .add("load", m.load())
                .add("offeredPerSecond", m.offeredPerSecond())
                .add("seconds", w.seconds())
                .add("messages", w.messages())
                .add("messagesPerSecond", w.messagesPerSecond())
                .add("serverMicrosCpuPerMessage", number(w.serverMicrosPerMessage()))
                .add("serverMicrosCpuPerMessageByProcess", byProcess(w))
                .add("serverCpuPercentOfACore", w.serverCpuPercent())
                .add("generatorCpuPercentOfACore", w.generatorCpuPercent())
                .add("latencyMicros", Json.createObjectBuilder().add("samples", l.samples()).add("p50", l.p50())
                        .add("p99", l.p99()).add("p999", l.p999()).add("max", l.max()).add("unrecorded", l.unrecorded()))
                .add("correctness", Json.createObjectBuilder().add("intended", c.intended()).add("received", c.received())
                        .add("lost", c.lost()).add("outOfOrder", c.outOfOrder()).add("misrouted", c.misrouted())
                        .add("socketFailures", c.failures()).add("refusedByServer", c.refused()).add("clean", c.clean()))
                .build();
    }

    private static JsonObjectBuilder byProcess(Meter.Window window) {
        var json = Json.createObjectBuilder();
        window.serverMicrosPerMessageByProcess().forEach((role, micros) -> json.add(role, number(micros)));
        return json;
    }

    /** {@code value}, or null where there is none (a window that counted no messages has no CPU per message). */
    private static JsonValue number(double value) {
        return Double.isFinite(value) ? Json.createValue(value) : JsonValue.NULL;
    }

    private static JsonObject json(ConnectionScale.Result s) {
        var json = Json.createObjectBuilder();
        json.add("sessions", s.sessions())
                .add("failures", s.failures())
                .add("seconds", s.seconds())
                .add("joinsPerSecond", s.joinsPerSecond())
                .add("serverMicrosCpuPerJoin", number(s.serverMicrosPerJoin()))
                .add("droppedWhileIdle", s.droppedWhileIdle())
                .add("idleSeconds", s.idleSeconds())
                .add("rssBytesBefore", s.rssBefore())
                .add("rssBytesAfter", s.rssAfter())
                .add("rssBytesPerSession", s.rssPerSession())
                .add("socketsStillOpenAfterRelease", s.stillOpen());
        if (s.released()) {
            json.add("releaseSeconds", s.releaseSeconds());
        }
        addIfPresent(json, "heapBytesAfterGcBefore", s.heapBefore());
        addIfPresent(json, "heapBytesAfterGcAfter", s.heapAfter());
        addIfPresent(json, "heapBytesPerSession", s.heapPerSession());
        if (s.firstFailure() != null) {
            json.add("firstFailure", s.firstFailure());
        }
        return json.add("clean", s.clean()).build();
    }

    private static void addIfPresent(JsonObjectBuilder json, String name, OptionalLong value) {
        value.ifPresent(v -> json.add(name, v));
    }

    private static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? String.format(Locale.ROOT, "%.1f MiB", bytes.getAsLong() / 1048576.0) : "n/a";
    }

    private static String kib(OptionalLong bytes) {
        return bytes.isPresent() ? String.format(Locale.ROOT, "%.1f KiB", bytes.getAsLong() / 1024.0) : "n/a";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }
}
