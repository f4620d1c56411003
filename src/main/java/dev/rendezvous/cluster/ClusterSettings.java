package dev.rendezvous.cluster;

import dev.rendezvous.signaling.control.Settings;
import io.lettuce.core.RedisURI;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Whether and how this server is a node of a cluster, read once at deployment like the signaling {@link Settings}.
 *
 * @param redisUri  the store every node shares ({@code rendezvous.cluster.redis-uri}: {@code redis://…}, {@code rediss://…}
 *                  for TLS, with a password or ACL user in it); null: this node is on its own
 * @param nodeId    this node's id ({@code rendezvous.cluster.node-id}; by default random for each start)
 * @param keyPrefix what every key and channel starts with ({@code rendezvous.cluster.key-prefix}, {@code rv:})
 * @param nodeTtl   how long a node may go unheard before the others take it for dead ({@code rendezvous.cluster.node-ttl-ms})
 * @param inForce   these properties with their values in force (the URI hidden: it may hold a password)
 */
public record ClusterSettings(String redisUri, String nodeId, String keyPrefix, Duration nodeTtl, Map<String, String> inForce) {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public ClusterSettings {
        inForce = Collections.unmodifiableMap(new LinkedHashMap<>(inForce));
    }

    /** Whether this node shares its rooms with others. */
    public boolean on() {
        return redisUri != null;
    }

    /** Reads every property from {@code source} (property name to value), with defaults for the absent ones. */
    public static ClusterSettings read(Function<String, Optional<String>> source) {
        var config = new Settings.Reader(source);
        var uri = config.secret("cluster.redis-uri");
        var nodeId = config.text("cluster.node-id");
        var prefix = Optional.ofNullable(config.text("cluster.key-prefix")).orElse("rv:");
        var ttl = Duration.ofMillis(config.number("cluster.node-ttl-ms", 10_000, 300, 600_000));
        if (uri != null) {
            try {
                RedisURI.create(uri);
            } catch (IllegalArgumentException invalid) {
                throw new IllegalArgumentException(Settings.PREFIX + "cluster.redis-uri is not a redis:// or rediss:// URI: "
                        + invalid.getMessage());
            }
        }
        if (nodeId != null && !NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException(Settings.PREFIX + "cluster.node-id is '" + nodeId
                    + "' but must be 1-64 characters of A-Z a-z 0-9 _ . -");
        }
        if (nodeId == null) {
            var bytes = new byte[9];
            new SecureRandom().nextBytes(bytes);
            nodeId = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        var shown = new LinkedHashMap<>(config.inForce()); // the values in force, not only those set
        shown.put(Settings.PREFIX + "cluster.node-id", nodeId);
        shown.put(Settings.PREFIX + "cluster.key-prefix", prefix);
        return new ClusterSettings(uri, nodeId, prefix, ttl, shown);
    }

    /** The store's address for logs: host and port, without credentials. */
    String redactedUri() {
        var parsed = RedisURI.create(redisUri);
        return (parsed.isSsl() ? "rediss://" : "redis://") + parsed.getHost() + ":" + parsed.getPort();
    }
}
