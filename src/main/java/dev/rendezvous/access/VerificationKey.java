package dev.rendezvous.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import javax.crypto.spec.SecretKeySpec;

/**
 * The key that tokens must be signed with, and the JWS algorithms it is for: an HMAC secret is HS256, and HS384 or
 * HS512 when it is long enough for them (RFC 7518 §3.2: a key at least as long as the hash); an RSA public key is
 * RS256; an EC P-256 one is ES256. A token signed with any other algorithm, {@code none} included, is refused.
 */
public record VerificationKey(Key key, List<String> algorithms) {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
    private static final int P256_BITS = 256;

    public VerificationKey {
        algorithms = List.copyOf(algorithms);
    }

    /** An HMAC secret: the UTF-8 bytes of {@code secret}, at least 32 of them. */
    public static VerificationKey secret(String secret) {
        var bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException("is " + bytes.length + " bytes of UTF-8; HS256 needs at least 32");
        }
        var algorithms = new ArrayList<String>(List.of("HS256"));
        if (bytes.length >= 48) {
            algorithms.add("HS384");
        }
        if (bytes.length >= 64) {
            algorithms.add("HS512");
        }
        return new VerificationKey(new SecretKeySpec(bytes, "HmacSHA256"), algorithms);
    }

    /** A public key: the PEM text of an SPKI {@code BEGIN PUBLIC KEY} block, or the path of a file holding one. */
    public static VerificationKey publicKey(String pemOrPath) {
        var pem = pemOrPath.contains("-----BEGIN") ? pemOrPath : read(pemOrPath);
        var block = PEM.matcher(pem);
        if (!block.find()) {
            throw new IllegalArgumentException("holds no '-----BEGIN PUBLIC KEY-----' block (an SPKI public key in PEM)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(1));
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("holds a PEM block that is not base64", notBase64);
        }
        var rsa = parse("RSA", der);
        if (rsa instanceof RSAPublicKey) {
            return new VerificationKey(rsa, List.of("RS256"));
        }
        if (parse("EC", der) instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == P256_BITS) {
            return new VerificationKey(ec, List.of("ES256"));
        }
        throw new IllegalArgumentException("holds a public key that is neither RSA nor EC P-256");
    }

    @Override
    public String toString() {
        return algorithms.toString();
    }

    private static PublicKey parse(String algorithm, byte[] der) {
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException notOfThisKind) {
            return null;
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.US_ASCII);
        } catch (IOException | InvalidPathException unreadable) {
            throw new IllegalArgumentException("is neither PEM text nor a readable file: " + unreadable.getMessage(), unreadable);
        }
    }
}
