package dev.rendezvous.operations.control;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The {@code Rendezvous-Signature} of a webhook request: {@code t=<unix seconds>,v1=<lowercase hex HMAC-SHA256 of
 * t + "." + body, keyed with the UTF-8 bytes of rendezvous.webhook.secret>}. A receiver recomputes it over the raw
 * body, compares in constant time, and refuses a {@code t} too far from its clock (a replay).
 */
public final class WebhookSignature {

    public static final String HEADER = "Rendezvous-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public WebhookSignature(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The header's value for {@code body} sent at {@code unixSeconds}. */
    public String header(long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + hmac(unixSeconds + "." + body);
    }

    private String hmac(String signed) {
        try {
            var mac = Mac.getInstance(ALGORITHM); // a Mac is not thread-safe: one per signature
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException unavailable) {
            throw new IllegalStateException("this JVM offers no " + ALGORITHM, unavailable);
        }
    }
}
