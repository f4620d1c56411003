package dev.rendezvous.operations.control;

import dev.rendezvous.signaling.control.Settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How Rendezvous reports to the outside, read once at deployment like the signaling {@link Settings}.
 *
 * @param metricsPublic whether {@code /admin/metrics} answers anyone ({@code rendezvous.metrics.public}), not only the
 *                      role {@code rendezvous-admin}
 * @param inForce       these properties with their values in force, as {@link Settings#inForce}
 */
public record Reporting(boolean metricsPublic, Map<String, String> inForce) {

    public Reporting {
        inForce = Collections.unmodifiableMap(new LinkedHashMap<>(inForce));
    }

    /** Reads every property from {@code source} (property name to value), with defaults for the absent ones. */
    public static Reporting read(Function<String, Optional<String>> source) {
        var config = new Settings.Reader(source);
        var metricsPublic = config.bool("metrics.public", false);
        return new Reporting(metricsPublic, config.inForce());
    }
}
