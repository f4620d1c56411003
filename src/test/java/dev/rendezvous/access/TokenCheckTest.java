package dev.rendezvous.access;

import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.RoomName;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

import static dev.rendezvous.access.Tokens.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenCheckTest {

    private final TokenCheck check = new TokenCheck(VerificationKey.secret(SECRET), null, null, 30);

    @Test
    void anHs256TokenGrantsItsUserTheRoomsItNames() throws TokenRefused {
        var grant = check.check(Tokens.hs256("user-1", "standup", "retro"));
        assertEquals("user-1", grant.userId());
        assertTrue(grant.allows(new RoomName("standup")));
        assertTrue(grant.allows(new RoomName("retro")));
        assertFalse(grant.allows(new RoomName("board")));
        assertNull(grant.name());
    }

    @Test
    void roomsStarGrantsAnyRoom() throws TokenRefused {
        assertTrue(check.check(Tokens.hs256("user-1", "*")).allows(new RoomName("anything")));
    }

    @Test
    void theNameClaimIsTheNameOthersSee() throws TokenRefused {
        var grant = check.check(Tokens.hs256Changed(claims -> claims.setClaim("name", "Ann Smith"), "u", "r"));
        assertEquals(new DisplayName("Ann Smith"), grant.nameOr(new DisplayName("Mallory")));
    }

    @Test
    void anRs256TokenVerifiesWithTheRsaPublicKey() throws TokenRefused {
        var keys = Tokens.rsa();
        var rsa = new TokenCheck(VerificationKey.publicKey(Tokens.pem(keys.getPublic())), null, null, 30);
        var token = Tokens.sign(Tokens.claims("user-2", "r"), keys.getPrivate(), AlgorithmIdentifiers.RSA_USING_SHA256);
        assertEquals("user-2", rsa.check(token).userId());
    }

    @Test
    void anEs256TokenVerifiesWithTheP256PublicKeyReadFromAFile() throws Exception {
        var keys = Tokens.ec("secp256r1");
        var file = Files.createTempFile("rendezvous-es256", ".pem");
        try {
            Files.writeString(file, Tokens.pem(keys.getPublic()));
            var ec = new TokenCheck(VerificationKey.publicKey(file.toString()), null, null, 30);
            var token = Tokens.sign(Tokens.claims("user-3", "r"), keys.getPrivate(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            assertEquals("user-3", ec.check(token).userId());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws TokenRefused {
        var strict = new TokenCheck(VerificationKey.secret(SECRET), "https://app.example", "rendezvous", 30);
        var good = Tokens.hs256Changed(claims -> {
            claims.setIssuer("https://app.example");
            claims.setAudience("rendezvous");
        }, "u", "r");
        assertEquals("u", strict.check(good).userId());
        assertRefused(strict, Tokens.hs256Changed(claims -> {
            claims.setIssuer("https://evil.example");
            claims.setAudience("rendezvous");
        }, "u", "r"), "issuer");
        assertRefused(strict, Tokens.hs256Changed(claims -> {
            claims.setIssuer("https://app.example");
            claims.setAudience("another-service");
        }, "u", "r"), "audience");
        assertRefused(strict, Tokens.hs256Changed(claims -> claims.setAudience("rendezvous"), "u", "r"), "iss");
    }

    @Test
    void aMissingTokenIsRefused() {
        assertRefused(check, null, "no token");
        assertRefused(check, "", "no token");
    }

    @Test
    void aMalformedTokenIsRefused() {
        assertRefused(check, "not.a.jwt", "well-formed");
        assertRefused(check, "garbage", "well-formed");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        assertRefused(check, Tokens.hs256("another-secret-of-thirty-two-bytes-or-more", Tokens.claims("u", "r")), "signature");
    }

    @Test
    void anExpiredTokenIsRefusedPastTheClockSkew() throws TokenRefused {
        assertRefused(check, changed(claims -> {
            claims.setIssuedAt(secondsFromNow(-60));
            claims.setExpirationTime(secondsFromNow(-31));
        }), "expired");
        assertEquals("u", check.check(changed(claims -> {
            claims.setIssuedAt(secondsFromNow(-60));
            claims.setExpirationTime(secondsFromNow(-20));
        })).userId());
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        assertRefused(check, changed(claims -> claims.setNotBefore(secondsFromNow(120))), "not yet valid");
        assertRefused(check, changed(claims -> claims.setIssuedAt(secondsFromNow(120))), "not yet valid");
    }

    @Test
    void aTokenWithoutSubExpOrRoomsIsRefused() {
        assertRefused(check, changed(claims -> claims.unsetClaim("sub")), "sub");
        assertRefused(check, changed(claims -> claims.unsetClaim("exp")), "exp");
        assertRefused(check, changed(claims -> claims.unsetClaim("rooms")), "rooms");
        assertRefused(check, changed(claims -> claims.setClaim("rooms", "standup")), "rooms");
        assertRefused(check, changed(claims -> claims.setClaim("rooms", List.of("bad room!"))), "room name");
    }

    @Test
    void aNameThatBreaksTheDisplayNameRulesIsRefused() {
        assertRefused(check, changed(claims -> claims.setClaim("name", "Ann\u202Eevil")), "name");
        assertRefused(check, changed(claims -> claims.setClaim("name", 42)), "name");
    }

    @Test
    void algNoneIsRefused() {
        var header = base64Url("{\"alg\":\"none\"}");
        var payload = base64Url(Tokens.claims("u", "r").toJson());
        assertRefused(check, header + "." + payload + ".", "");
    }

    @Test
    void anAlgorithmOtherThanTheKeysIsRefused() {
        // HS256 "signed" with the RSA public key's bytes: the classic algorithm confusion
        var keys = Tokens.rsa();
        var rsa = new TokenCheck(VerificationKey.publicKey(Tokens.pem(keys.getPublic())), null, null, 30);
        var confused = Tokens.sign(Tokens.claims("u", "r"), new HmacKey(keys.getPublic().getEncoded()), AlgorithmIdentifiers.HMAC_SHA256);
        assertRefused(rsa, confused, "");
        // HS512 needs a 64-byte secret; the 40-byte test secret is for HS256 alone
        var hs512 = Tokens.sign(Tokens.claims("u", "r"), new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)), AlgorithmIdentifiers.HMAC_SHA512);
        assertRefused(check, hs512, "");
    }

    @Test
    void aSecretShorterThanHs256NeedsFailsTheConfiguration() {
        var refused = assertThrows(IllegalArgumentException.class, () -> VerificationKey.secret("too-short"));
        assertTrue(refused.getMessage().contains("32"), refused.getMessage());
        assertEquals(List.of("HS256", "HS384", "HS512"), VerificationKey.secret("x".repeat(64)).algorithms());
    }

    @Test
    void aPublicKeyThatIsNeitherRsaNorP256FailsTheConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> VerificationKey.publicKey(Tokens.pem(Tokens.ec("secp384r1").getPublic())));
        assertThrows(IllegalArgumentException.class, () -> VerificationKey.publicKey("/no/such/file.pem"));
        assertThrows(IllegalArgumentException.class, () -> VerificationKey.publicKey("-----BEGIN CERTIFICATE-----x"));
    }

    private static String changed(Consumer<JwtClaims> change) {
        return Tokens.hs256Changed(change, "u", "r");
    }

    private static NumericDate secondsFromNow(long seconds) {
        return NumericDate.fromSeconds(Instant.now().getEpochSecond() + seconds);
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(TokenCheck check, String token, String reasonMentions) {
        var refused = assertThrows(TokenRefused.class, () -> check.check(token));
        assertTrue(refused.getMessage().contains(reasonMentions), () -> "'" + refused.getMessage() + "' should mention '" + reasonMentions + "'");
    }
}
