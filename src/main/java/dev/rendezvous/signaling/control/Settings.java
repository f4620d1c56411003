package dev.rendezvous.signaling.control;

import dev.rendezvous.access.TokenCheck;
import dev.rendezvous.access.VerificationKey;
import dev.rendezvous.protocol.Heartbeat;
import dev.rendezvous.protocol.Limits;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything an operator can tune, read once at deployment from MicroProfile Config: environment variables
 * ({@code RENDEZVOUS_ROOM_CAPACITY}), system properties ({@code -Drendezvous.room-capacity}) or the server's own
 * configuration. A value out of range fails the deployment with the property's name.
 *
 * @param floodCloseAfter how many messages may be refused {@code rate-limited} within about 10 s before the socket is
 *                        closed 4029
 * @param outboundQueue      how many messages may wait for a slow reader before its socket is closed 4008
 * @param outboundQueueBytes how many characters of JSON may wait for (or be in flight to) a slow reader before its
 *                           socket is closed 4008
 * @param directCalls        whether peers outside rooms may signal each other (the tutorial's 1:1 calls)
 * @param allowedOrigins     the web origins whose pages may open a socket
 * @param resume             how long a dropped session waits for a resume, and what it keeps meanwhile
 * @param auth               who may open a session: off, or the tokens {@code hello} must carry
 * @param inForce            every property by its full name, with the value in force (its default if not set; null if
 *                           an optional one is not set), secrets as {@code ***}: what an operator may be shown
 */
public record Settings(Limits limits, Heartbeat heartbeat, Duration helloTimeout, int floodCloseAfter,
                       int outboundQueue, long outboundQueueBytes, boolean directCalls, IceServers iceServers,
                       AllowedOrigins allowedOrigins, Resumption resume, Authentication auth,
                       Map<String, String> inForce) {

    /** How a secret's value is shown. */
    public static final String HIDDEN = "***";

    /**
     * Session resume: a session whose connection drops waits {@code graceMs} for a resume (0: resume is off, and a drop
     * ends it at once), keeping the last {@code keepMessages} messages and {@code keepBytes} characters of JSON sent to
     * it, or queued for it meanwhile.
     */
    public record Resumption(long graceMs, int keepMessages, long keepBytes) {
    }

    /**
     * Access control: off ({@code tokens} null), or every {@code hello} must carry a token that {@code tokens} accepts;
     * an address may fail {@code failuresPerMinute} times in a sliding minute before its sockets are refused at once.
     */
    public record Authentication(TokenCheck tokens, int failuresPerMinute) {

        public boolean on() {
            return tokens != null;
        }
    }

    public static final String PREFIX = "rendezvous.";

    public Settings {
        inForce = Collections.unmodifiableMap(new LinkedHashMap<>(inForce));
        if (outboundQueueBytes < 2L * limits.maxMessageBytes()) {
            throw new IllegalArgumentException(PREFIX + "outbound-queue-bytes is " + outboundQueueBytes
                    + " but must be at least twice " + PREFIX + "max-message-bytes (" + 2L * limits.maxMessageBytes()
                    + "), so that a relayed message of the largest size fits");
        }
    }

    /** Whether a WebSocket handshake from {@code origin} (null if it sent none) may proceed; see {@link AllowedOrigins}. */
    public boolean allowsOrigin(String origin) {
        return allowedOrigins.allows(origin);
    }

    /** The defaults, as a fresh deployment runs. */
    public static Settings defaults() {
        return read(name -> Optional.empty());
    }

    /** Reads every setting from {@code source} (property name to value), with defaults for the absent ones. */
    public static Settings read(Function<String, Optional<String>> source) {
        var config = new Reader(source);
        var heartbeat = new Heartbeat(
                config.number("heartbeat.interval-ms", 20_000, 100, 3_600_000),
                config.number("heartbeat.timeout-ms", 50_000, 200, 3_600_000));
        if (heartbeat.timeoutMs() <= heartbeat.intervalMs()) {
            throw new IllegalArgumentException(PREFIX + "heartbeat.timeout-ms must be longer than "
                    + PREFIX + "heartbeat.interval-ms");
        }
        return new Settings(
                new Limits(
                        (int) config.number("max-message-bytes", 65_536, 1_024, 16 * 1024 * 1024),
                        (int) config.number("rate.messages-per-second", 50, 1, 1_000_000),
                        (int) config.number("rate.burst", 200, 1, 1_000_000),
                        (int) config.number("room-capacity", 4, 1, 1_000)),
                heartbeat,
                Duration.ofMillis(config.number("hello-timeout-ms", 10_000, 100, 3_600_000)),
                (int) config.number("rate.flood-close-after", 100, 1, 1_000_000),
                (int) config.number("outbound-queue", 1_024, 16, 1_000_000),
                config.number("outbound-queue-bytes", 1_048_576, 65_536, 1L << 30),
                config.bool("direct-calls", true),
                new IceServers(
                        config.list("ice.stun-urls"),
                        config.list("ice.turn-urls"),
                        config.secret("ice.turn-secret"),
                        Duration.ofSeconds(config.number("ice.turn-ttl-seconds", 86_400, 10, 7 * 86_400))),
                new AllowedOrigins(config.list("allowed-origins")),
                new Resumption(config.zeroOrNumber("resume.grace-ms", 30_000, 1_000, 3_600_000),
                        (int) config.number("resume.queue-messages", 256, 16, 1_000_000),
                        config.number("resume.queue-bytes", 1_048_576, 65_536, 1L << 30)),
                new Authentication(tokenCheck(config),
                        (int) config.number("auth.failures-per-minute", 20, 1, 1_000_000)),
                config.inForce);
    }

    /** The token check the {@code auth.jwt.*} settings describe, or null if they configure no key (auth is off). */
    private static TokenCheck tokenCheck(Reader config) {
        var secret = config.secret("auth.jwt.secret");
        var publicKey = config.text("auth.jwt.public-key");
        if (secret != null && publicKey != null) {
            throw new IllegalArgumentException(PREFIX + "auth.jwt.secret and " + PREFIX
                    + "auth.jwt.public-key are both set; set one: tokens are verified with one key");
        }
        VerificationKey key;
        try {
            key = secret != null ? VerificationKey.secret(secret) : publicKey != null ? VerificationKey.publicKey(publicKey) : null;
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(PREFIX + (secret != null ? "auth.jwt.secret " : "auth.jwt.public-key ")
                    + invalid.getMessage(), invalid);
        }
        var skew = (int) config.number("auth.jwt.clock-skew-seconds", 30, 0, 3_600);
        var issuer = config.text("auth.jwt.issuer");
        var audience = config.text("auth.jwt.audience");
        return key == null ? null : new TokenCheck(key, issuer, audience, skew);
    }

    /**
     * Reads {@code rendezvous.*} properties from {@code source}, checking each value's form and range (a bad one throws,
     * naming the property), noting each one's value in force as it goes; other components read theirs with it too.
     */
    public static final class Reader {

        private final Function<String, Optional<String>> source;
        private final Map<String, String> inForce = new LinkedHashMap<>();

        public Reader(Function<String, Optional<String>> source) {
            this.source = source;
        }

        /** What was read so far, by full property name, as {@link Settings#inForce} shows it. */
        public Map<String, String> inForce() {
            return Collections.unmodifiableMap(inForce);
        }

        private Optional<String> value(String key) {
            return source.apply(PREFIX + key).map(String::strip).filter(value -> !value.isEmpty());
        }

        private <T> T noted(String key, T value, String shown) {
            inForce.put(PREFIX + key, shown);
            return value;
        }

        public long number(String key, long fallback, long min, long max) {
            var value = value(key).map(text -> {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException notANumber) {
                    throw invalid(key, text, "a whole number");
                }
            }).orElse(fallback);
            if (value < min || value > max) {
                throw invalid(key, Long.toString(value), "between " + min + " and " + max);
            }
            return noted(key, value, Long.toString(value));
        }

        /** Like {@link #number}, except that 0 is allowed too (it turns the feature off). */
        public long zeroOrNumber(String key, long fallback, long min, long max) {
            var value = value(key).orElse(null);
            if ("0".equals(value)) {
                return noted(key, 0L, "0");
            }
            try {
                return number(key, fallback, min, max);
            } catch (IllegalArgumentException invalid) {
                throw new IllegalArgumentException(invalid.getMessage() + ", or 0 to turn it off");
            }
        }

        public boolean bool(String key, boolean fallback) {
            boolean value = value(key).map(text -> switch (text.toLowerCase()) {
                case "true" -> true;
                case "false" -> false;
                default -> throw invalid(key, text, "true or false");
            }).orElse(fallback);
            return noted(key, value, Boolean.toString(value));
        }

        public String text(String key) {
            var value = value(key).orElse(null);
            return noted(key, value, value);
        }

        /** Like {@link #text}, for a value nobody may be shown. */
        public String secret(String key) {
            var value = value(key).orElse(null);
            return noted(key, value, value == null ? null : HIDDEN);
        }

        public List<String> list(String key) {
            var value = value(key).map(text -> Arrays.stream(text.split(","))
                    .map(String::strip).filter(item -> !item.isEmpty()).toList()).orElse(List.of());
            return noted(key, value, String.join(",", value));
        }

        private static IllegalArgumentException invalid(String key, String value, String expected) {
            return new IllegalArgumentException(PREFIX + key + " is '" + value + "' but must be " + expected);
        }
    }
}
