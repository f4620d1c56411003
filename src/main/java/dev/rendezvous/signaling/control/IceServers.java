package dev.rendezvous.signaling.control;

import dev.rendezvous.protocol.IceServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The ICE servers each peer is told in {@code welcome}: the configured STUN URLs, and TURN URLs with short-lived
 * credentials in the TURN REST API form that coturn's {@code use-auth-secret} checks: username
 * {@code <expiry-epoch-seconds>:<user>}, credential base64(HMAC-SHA1(secret, username)). The user is the token's
 * {@code sub} with access control on, the peer id with it off. Credentials are handed out again, over the socket,
 * when {@link #refreshEvery} of their lifetime has passed.
 */
public record IceServers(List<String> stunUrls, List<String> turnUrls, String turnSecret, Duration turnTtl) {

    public IceServers {
        stunUrls = List.copyOf(stunUrls);
        turnUrls = List.copyOf(turnUrls);
        if (!turnUrls.isEmpty() && turnSecret == null) {
            throw new IllegalArgumentException(Settings.PREFIX + "ice.turn-urls needs " + Settings.PREFIX + "ice.turn-secret");
        }
    }

    /** Credentials are renewed after this share of their lifetime, well before they expire. */
    private static final double RENEW_AT = 0.8;

    /** The servers for {@code user}, with TURN credentials valid from {@code now} for the configured time. */
    public List<IceServer> forUser(String user, Instant now) {
        var servers = new ArrayList<IceServer>(2);
        if (!stunUrls.isEmpty()) {
            servers.add(new IceServer(stunUrls, null, null));
        }
        if (!turnUrls.isEmpty()) {
            var username = now.plus(turnTtl).getEpochSecond() + ":" + user;
            servers.add(new IceServer(turnUrls, username, credential(username)));
        }
        return servers;
    }

    /** Whether there are credentials to renew: TURN is configured. */
    public boolean hasTurn() {
        return !turnUrls.isEmpty();
    }

    /** How often a session gets fresh credentials: at 80 % of their lifetime. */
    public Duration refreshEvery() {
        return Duration.ofMillis((long) (turnTtl.toMillis() * RENEW_AT));
    }

    private String credential(String username) {
        try {
            var mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(turnSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException missingHmacSha1) {
            throw new IllegalStateException("HmacSHA1, which every Java runtime must have, is missing", missingHmacSha1);
        }
    }

    @Override
    public String toString() {
        return "IceServers[stun=" + stunUrls + ", turn=" + turnUrls + ", turnTtl=" + turnTtl + "]";
    }
}
