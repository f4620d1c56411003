package dev.rendezvous.operations.control;

import dev.rendezvous.signaling.control.Settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
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
 * @param webhook       where room events go, or null if nowhere
 * @param inForce       these properties with their values in force, as {@link Settings#inForce}
 */
public record Reporting(boolean metricsPublic, Webhook webhook, Map<String, String> inForce) {

    /**
     * Room events are POSTed to {@code url}, signed with {@code secret}; a failed delivery is tried again after
     * {@code backoff} (doubling, at most {@link #MAX_BACKOFF}) until {@code maxAttempts} tries; each try waits
     * {@code timeout} for an answer; at most {@code queue} events wait at once, over all rooms.
     */
    public record Webhook(URI url, String secret, Duration backoff, int maxAttempts, Duration timeout, int queue) {

        public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

        /** How long the try after {@code attempt} (1 for the first) failed waits. */
        public Duration backoffAfter(int attempt) {
            var doubled = backoff.multipliedBy(1L << Math.min(attempt - 1, 20));
            return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
        }
    }

    public Reporting {
        inForce = Collections.unmodifiableMap(new LinkedHashMap<>(inForce));
    }

    /** Reads every property from {@code source} (property name to value), with defaults for the absent ones. */
    public static Reporting read(Function<String, Optional<String>> source) {
        var config = new Settings.Reader(source);
        var metricsPublic = config.bool("metrics.public", false);
        var url = config.text("webhook.url");
        var secret = config.secret("webhook.secret");
        var backoff = Duration.ofMillis(config.number("webhook.backoff-ms", 1_000, 10, 30_000));
        var maxAttempts = (int) config.number("webhook.max-attempts", 5, 1, 100);
        var timeout = Duration.ofMillis(config.number("webhook.timeout-ms", 5_000, 100, 60_000));
        var queue = (int) config.number("webhook.queue", 10_000, 1, 1_000_000);
        Webhook webhook = null;
        if (url != null) {
            if (secret == null) {
                throw new IllegalArgumentException(Settings.PREFIX + "webhook.url is set but " + Settings.PREFIX
                        + "webhook.secret is not: every event is signed with it");
            }
            webhook = new Webhook(httpUri(url), secret, backoff, maxAttempts, timeout, queue);
        }
        return new Reporting(metricsPublic, webhook, config.inForce());
    }

    private static URI httpUri(String url) {
        try {
            var uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(url, "not an http or https URL with a host");
            }
            return uri;
        } catch (URISyntaxException invalid) {
            throw new IllegalArgumentException(Settings.PREFIX + "webhook.url is '" + url + "' but must be an http(s) URL: "
                    + invalid.getReason());
        }
    }
}
