package dev.rendezvous.access;

import dev.rendezvous.protocol.DisplayName;
import dev.rendezvous.protocol.ProtocolException;
import dev.rendezvous.protocol.RoomName;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the token of a {@code hello} (a compact JWS, verified by jose4j) and reads its {@link Grant}. Required
 * claims: {@code sub}, {@code exp}, {@code rooms}; {@code nbf} and {@code iat}, when present, must not lie in the future
 * by more than the clock skew; {@code iss} and {@code aud} must match when the operator configured them.
 */
public final class TokenCheck {

    /** The {@code rooms} entry that grants every room. */
    public static final String ANY_ROOM = "*";
    /** Seconds an {@code iat} may lie in the past: any time at all; {@code exp} bounds a token's life. */
    private static final int ANY_PAST = Integer.MAX_VALUE / 2;
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(ErrorCodes.EXPIRED, "the token has expired"),
            Map.entry(ErrorCodes.EXPIRATION_MISSING, "the token has no exp claim"),
            Map.entry(ErrorCodes.NOT_YET_VALID, "the token is not yet valid (nbf)"),
            Map.entry(ErrorCodes.ISSUED_AT_INVALID_FUTURE, "the token is not yet valid (iat lies in the future)"),
            Map.entry(ErrorCodes.SIGNATURE_INVALID, "the token's signature does not verify"),
            Map.entry(ErrorCodes.SIGNATURE_MISSING, "the token is not signed"),
            Map.entry(ErrorCodes.ISSUER_INVALID, "the token's issuer is not the expected one"),
            Map.entry(ErrorCodes.ISSUER_MISSING, "the token has no iss claim"),
            Map.entry(ErrorCodes.AUDIENCE_INVALID, "the token's audience is not this server"),
            Map.entry(ErrorCodes.AUDIENCE_MISSING, "the token has no aud claim"),
            Map.entry(ErrorCodes.SUBJECT_MISSING, "the token has no sub claim"),
            Map.entry(ErrorCodes.MALFORMED_CLAIM, "the token has a claim of the wrong type"));

    private final JwtConsumer consumer;
    private final String description;

    /**
     * @param issuer   the {@code iss} tokens must carry, or null to accept any
     * @param audience the {@code aud} tokens must carry, or null to accept any
     */
    public TokenCheck(VerificationKey key, String issuer, String audience, int clockSkewSeconds) {
        var builder = new JwtConsumerBuilder()
                .setVerificationKey(key.key())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, key.algorithms().toArray(String[]::new))
                .setRequireSubject()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(clockSkewSeconds)
                .setIssuedAtRestrictions(0, ANY_PAST);
        if (issuer != null) {
            builder.setExpectedIssuer(issuer);
        }
        if (audience != null) {
            builder.setExpectedAudience(audience);
        } else {
            builder.setSkipDefaultAudienceValidation();
        }
        this.consumer = builder.build();
        this.description = key + (issuer == null ? "" : ", iss " + issuer) + (audience == null ? "" : ", aud " + audience)
                + ", skew " + clockSkewSeconds + " s";
    }

    /** The grant {@code token} carries. */
    public Grant check(String token) throws TokenRefused {
        if (token == null || token.isEmpty()) {
            throw new TokenRefused("hello carries no token; this server admits only holders of one");
        }
        try {
            var claims = consumer.processToClaims(token);
            return new Grant(claims.getSubject(), name(claims.getClaimValue("name")),
                    rooms(claims.getClaimValue("rooms")), anyRoom(claims.getClaimValue("rooms")));
        } catch (InvalidJwtException invalid) {
            throw new TokenRefused(reason(invalid));
        } catch (MalformedClaimException malformed) {
            throw new TokenRefused("the token has a claim of the wrong type");
        }
    }

    @Override
    public String toString() {
        return description;
    }

    private static String reason(InvalidJwtException invalid) {
        for (var detail : invalid.getErrorDetails()) {
            var reason = REASONS.get(detail.getErrorCode());
            if (reason != null) {
                return reason;
            }
            if (detail.getErrorMessage().startsWith("Unable to process JOSE object")) {
                return "the token is not a well-formed signed JWT";
            }
        }
        return "the token is not acceptable here (an unexpected algorithm, or claims that contradict each other)";
    }

    private static DisplayName name(Object claim) throws TokenRefused {
        if (claim == null) {
            return null;
        }
        try {
            if (claim instanceof String name) {
                return new DisplayName(name);
            }
        } catch (ProtocolException invalid) {
            throw new TokenRefused("the token's name claim is not a valid display name: " + invalid.getMessage());
        }
        throw new TokenRefused("the token's name claim is not a string");
    }

    private static Set<RoomName> rooms(Object claim) throws TokenRefused {
        if (!(claim instanceof List<?> entries)) {
            throw new TokenRefused("the token has no rooms claim (an array of room names, or [\"*\"])");
        }
        var rooms = new HashSet<RoomName>();
        for (var entry : entries) {
            if (!(entry instanceof String name)) {
                throw new TokenRefused("the token's rooms claim holds something other than room names");
            }
            if (!name.equals(ANY_ROOM)) {
                try {
                    rooms.add(new RoomName(name));
                } catch (ProtocolException invalid) {
                    throw new TokenRefused("the token's rooms claim holds an invalid room name");
                }
            }
        }
        return rooms;
    }

    private static boolean anyRoom(Object claim) {
        return claim instanceof List<?> entries && entries.contains(ANY_ROOM);
    }
}
