package dev.rendezvous.operations;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strict reader of Prometheus' text exposition format (version 0.0.4) for the tests: every line is a {@code # HELP},
 * a {@code # TYPE} or a sample {@code name{label="value",...} value} of a family declared before it; label values are
 * unescaped as the format says. Anything else fails the test, so a malformed scrape cannot pass.
 */
public final class PrometheusText {

    /** A family: its declared type, and each sample by its name and sorted labels, e.g. {@code x_total{a="b"}}. */
    public record Family(String name, String type, Map<String, Double> samples) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    @Override
    public String toString() {
        return families.values().toString();
    }

    public static PrometheusText parse(String text) {
        var parsed = new PrometheusText();
        var number = 0;
        for (var line : text.split("\n", -1)) {
            number++;
            if (!line.isEmpty()) {
                parsed.line(line, number);
            }
        }
        return parsed;
    }

    public Family family(String name) {
        var family = families.get(name);
        if (family == null) {
            throw new AssertionError("no metric family " + name + " among " + families.keySet());
        }
        return family;
    }

    /** The value of the sample {@code sample} with exactly {@code labels} (name, value, ...), or 0 if there is none yet. */
    public double value(String family, String sample, String... labels) {
        return family(family).samples().getOrDefault(key(sample, labels), 0.0);
    }

    private void line(String line, int number) {
        if (line.startsWith("# HELP ")) {
            return;
        }
        if (line.startsWith("# TYPE ")) {
            var parts = line.substring(7).split(" ");
            if (parts.length != 2) {
                throw malformed(line, number);
            }
            families.put(parts[0], new Family(parts[0], parts[1], new LinkedHashMap<>()));
            return;
        }
        if (line.startsWith("#")) {
            throw malformed(line, number);
        }
        sample(line, number);
    }

    private void sample(String line, int number) {
        var at = 0;
        while (at < line.length() && (Character.isLetterOrDigit(line.charAt(at)) || line.charAt(at) == '_' || line.charAt(at) == ':')) {
            at++;
        }
        var name = line.substring(0, at);
        if (name.isEmpty()) {
            throw malformed(line, number);
        }
        var labels = new TreeMap<String, String>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                var equals = line.indexOf('=', at);
                var label = line.substring(at, equals);
                if (line.charAt(equals + 1) != '"') {
                    throw malformed(line, number);
                }
                var value = new StringBuilder();
                var i = equals + 2;
                for (; line.charAt(i) != '"'; i++) {
                    var c = line.charAt(i);
                    if (c == '\\') {
                        c = switch (line.charAt(++i)) {
                            case 'n' -> '\n';
                            case '\\' -> '\\';
                            case '"' -> '"';
                            default -> throw malformed(line, number);
                        };
                    }
                    value.append(c);
                }
                labels.put(label, value.toString());
                at = i + 1;
                if (line.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
        }
        if (at >= line.length() || line.charAt(at) != ' ') {
            throw malformed(line, number);
        }
        var fields = line.substring(at + 1).split(" ");
        var value = switch (fields[0]) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(fields[0]);
        };
        var family = familyOf(name, line, number);
        family.samples().put(key(name, labels), value);
    }

    private Family familyOf(String sample, String line, int number) {
        for (var suffix : new String[]{"", "_total", "_bucket", "_count", "_sum", "_created"}) {
            if (sample.endsWith(suffix)) {
                var family = families.get(sample.substring(0, sample.length() - suffix.length()));
                if (family != null) {
                    return family;
                }
            }
        }
        throw new AssertionError("line " + number + ": sample of no declared family: " + line);
    }

    private static String key(String sample, String... labels) {
        var sorted = new TreeMap<String, String>();
        for (var i = 0; i < labels.length; i += 2) {
            sorted.put(labels[i], labels[i + 1]);
        }
        return key(sample, sorted);
    }

    private static String key(String sample, TreeMap<String, String> labels) {
        return labels.isEmpty() ? sample : sample + labels;
    }

    private static AssertionError malformed(String line, int number) {
        return new AssertionError("line " + number + " is not Prometheus text: " + line);
    }
}
