package dev.rendezvous.access;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.InvalidAlgorithmParameterException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * Mints the tokens an application would, for tests: claims {@code sub}, {@code exp} (in ten minutes), {@code rooms},
 * changed by a step before signing. Also the development tool of {@code docs/auth.md}: run its {@link #main}.
 */
public final class Tokens {

    /** A secret long enough for HS256 (32 bytes), as tests configure the server with. */
    public static final String SECRET = "rendezvous-test-secret-0123456789abcdef";

    /** The issuer and audience the access-controlled test deployment checks (src/test/auth-war/hs256). */
    public static final String TEST_ISSUER = "https://app.rendezvous.test";
    public static final String TEST_AUDIENCE = "rendezvous-test";

    private Tokens() {
    }

    /** A token the HS256 test deployment accepts: its issuer and audience, for {@code sub} in {@code rooms}. */
    public static String forTestDeployment(String sub, String... rooms) {
        return forTestDeployment(claims -> { }, sub, rooms);
    }

    /** Like {@link #forTestDeployment(String, String...)}, with the claims changed by {@code change} before signing. */
    public static String forTestDeployment(Consumer<JwtClaims> change, String sub, String... rooms) {
        return hs256Changed(claims -> {
            claims.setIssuer(TEST_ISSUER);
            claims.setAudience(TEST_AUDIENCE);
            change.accept(claims);
        }, sub, rooms);
    }

    /** Claims for {@code sub} in {@code rooms}, valid for ten minutes from now. */
    public static JwtClaims claims(String sub, String... rooms) {
        var claims = new JwtClaims();
        claims.setSubject(sub);
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().plus(Duration.ofMinutes(10)).getEpochSecond()));
        claims.setIssuedAtToNow();
        claims.setStringListClaim("rooms", List.of(rooms));
        return claims;
    }

    /** {@code claims} signed HS256 with {@code secret}. */
    public static String hs256(String secret, JwtClaims claims) {
        return sign(claims, new HmacKey(secret.getBytes(StandardCharsets.UTF_8)), AlgorithmIdentifiers.HMAC_SHA256);
    }

    /** A token for {@code sub} in {@code rooms}, signed HS256 with {@link #SECRET}. */
    public static String hs256(String sub, String... rooms) {
        return hs256(SECRET, claims(sub, rooms));
    }

    /** The claims of {@code sub} in {@code rooms}, changed by {@code change}, signed HS256 with {@link #SECRET}. */
    public static String hs256Changed(Consumer<JwtClaims> change, String sub, String... rooms) {
        var claims = claims(sub, rooms);
        change.accept(claims);
        return hs256(SECRET, claims);
    }

    public static String sign(JwtClaims claims, Key key, String algorithm) {
        var jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setDoKeyValidation(false); // tests sign with keys the server must refuse, too
        try {
            return jws.getCompactSerialization();
        } catch (JoseException failed) {
            throw new IllegalStateException(failed);
        }
    }

    public static KeyPair rsa() {
        try {
            var generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException(missing);
        }
    }

    /** An EC key pair on {@code curve}, e.g. {@code secp256r1} (P-256). */
    public static KeyPair ec(String curve) {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException missing) {
            throw new IllegalStateException(missing);
        }
    }

    /** The PEM text of {@code key} (SPKI), as an operator configures it. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /**
     * Prints a development token: {@code <secret> <sub> <room>...} (a room {@code *} grants any), HS256, valid for an
     * hour. See {@code docs/auth.md}.
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: Tokens <secret> <sub> <room>... (a room * grants any room)");
            System.exit(2);
        }
        var claims = claims(args[1], List.of(args).subList(2, args.length).toArray(String[]::new));
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().plus(Duration.ofHours(1)).getEpochSecond()));
        System.out.println(hs256(args[0], claims));
    }
}
