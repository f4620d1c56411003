package dev.rendezvous.signaling;

import dev.rendezvous.access.Tokens;
import jakarta.json.JsonObject;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Access control on a running server: the build deploys the application twice more with it on (src/test/auth-war),
 * once with an HMAC secret, issuer and audience, and TURN credentials that live 10 s; once with an EC P-256 public
 * key. Tokens are minted here as an application would.
 */
public class AuthIT {

    /** The context root of the deployment with an HMAC secret (and TURN through the test's coturn). */
    public static final String HS256 = "/rendezvous-auth-hs256";
    public static final String ES256 = "/rendezvous-auth-es256";
    private static final int FAILURES_PER_MINUTE = Integer.getInteger("rendezvous.auth.failures-per-minute", 60);
    /** Barred sockets opened in a row: enough that a race lost once in thirty is lost at least once in 97 runs of 100. */
    private static final int BARRED_ATTEMPTS = 100;
    private static final long TURN_TTL_SECONDS = Long.getLong("rendezvous.turn.ttl-seconds", 10);

    @BeforeAll
    static void deployed() throws Exception {
        awaitDeployment(HS256);
        awaitDeployment(ES256);
    }

    /** Open Liberty picks the access-controlled deployments up from its dropins after it started: wait, bounded. */
    public static void awaitDeployment(String contextRoot) throws Exception {
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var request = HttpRequest.newBuilder(Server.httpUri(contextRoot + "/signal")).timeout(Duration.ofSeconds(5)).build();
        var deadline = Instant.now().plusSeconds(90);
        int status;
        do {
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException notYetListening) {
                status = -1;
            }
        } while (status != 426 && Instant.now().isBefore(deadline) && pause());
        assertEquals(426, status, contextRoot + " was not deployed within 90 s");
    }

    private static boolean pause() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(250); // a deployment has no event to wait on from outside: a poll, bounded above
        return true;
    }

    private static String token(String sub, String... rooms) {
        return Tokens.forTestDeployment(sub, rooms);
    }

    private static String changed(Consumer<JwtClaims> change, String sub, String... rooms) {
        return Tokens.forTestDeployment(change, sub, rooms);
    }

    private static String room() {
        return "auth-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static SignalClient hs256(String token) throws IOException {
        return SignalClient.hello(Server.signalUri(HS256), token);
    }

    @Test
    void aValidHs256TokenIsWelcomedAndTheRoomSeesItsUserIdAndName() throws Exception {
        var room = room();
        try (var ann = hs256(token("user-ann", room))) {
            ann.join(room, "Ann");
            var robert = changed(claims -> claims.setClaim("name", "Robert"), "user-bob", "*");
            try (var bob = hs256(robert)) {
                var peers = bob.join(room, "Mallory").getJsonArray("peers");
                assertEquals("user-ann", peers.getJsonObject(0).getString("userId"));
                assertEquals("Ann", peers.getJsonObject(0).getString("displayName"), "without a name claim the client chooses");
                var joined = ann.expect("peer-joined").getJsonObject("data").getJsonObject("peer");
                assertEquals("user-bob", joined.getString("userId"));
                assertEquals("Robert", joined.getString("displayName"), "the token's name beats the client's");
            }
        }
    }

    @Test
    void aValidEs256TokenIsWelcomedByTheDeploymentWithThePublicKey() throws Exception {
        var room = room();
        var key = es256PrivateKey();
        var es256 = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
        try (var ann = SignalClient.hello(Server.signalUri(ES256), Tokens.sign(Tokens.claims("user-es-ann", room), key, es256));
             var bob = SignalClient.hello(Server.signalUri(ES256), Tokens.sign(Tokens.claims("user-es-bob", "*"), key, es256))) {
            ann.join(room, "Ann");
            assertEquals("user-es-ann", bob.join(room, "Bob").getJsonArray("peers").getJsonObject(0).getString("userId"));
        }
        var hs256 = token("user-hs", "*"); // the wrong kind of key for this deployment
        refused(RawClient.at(Server.signalUri(ES256)), hello(hs256));
    }

    @Test
    void everyBadTokenIsRefusedUnauthorizedAndClosed4001AndNoRoomHearsOfIt() throws Exception {
        var room = room();
        var now = Instant.now().getEpochSecond();
        var bad = Map.of(
                "no token", "",
                "well-formed", "not-a-jwt",
                "signature", Tokens.hs256("another-secret-of-thirty-two-bytes-at-least", Tokens.claims("u", room)),
                "expired", changed(claims -> {
                    claims.setIssuedAt(NumericDate.fromSeconds(now - 3600));
                    claims.setExpirationTime(NumericDate.fromSeconds(now - 120));
                }, "u", room),
                "not yet valid", changed(claims -> claims.setNotBefore(NumericDate.fromSeconds(now + 600)), "u", room),
                "issuer", changed(claims -> claims.setIssuer("https://evil.example"), "u", room),
                "audience", changed(claims -> claims.setAudience("another-service"), "u", room));
        try (var member = hs256(token("user-member", room))) {
            member.join(room, "Member");
            for (var refusal : bad.entrySet()) {
                var message = refused(RawClient.at(Server.signalUri(HS256)), hello(refusal.getValue()));
                assertTrue(message.contains(refusal.getKey()), () -> "'" + message + "' should say '" + refusal.getKey() + "'");
            }
            member.expectNothingElse();
        }
    }

    @Test
    void theTutorialsStartIsRefusedWhenAuthIsOn() throws Exception {
        refused(RawClient.at(Server.signalUri(HS256)), "{'action':'start'}");
    }

    @Test
    void joiningARoomTheTokenDoesNotGrantIsForbiddenAndTheSocketStaysOpen() throws Exception {
        var granted = room();
        try (var client = hs256(token("user-ann", granted))) {
            client.send("{'action':'join','txn':'j','data':{'room':'" + room() + "'}}");
            client.expectError("forbidden");
            client.expectNothingElse();
            client.join(granted, "Ann");
        }
    }

    /**
     * Each barred socket sends its hello at once, as a client does: on Open Liberty, a close from another thread than
     * the one that opened the socket raced the first frame, and about one in thirty such sockets ended without a
     * close frame (1006).
     */
    @Test
    void anAddressOverItsFailureBudgetIsClosed4001EveryTimeItOpensAndOthersAreNot() throws Exception {
        // an address of its own: the other tests' refusals all come from 127.0.0.1
        var address = InetAddress.getByName("127.0." + ThreadLocalRandom.current().nextInt(1, 255) + "."
                + ThreadLocalRandom.current().nextInt(2, 255));
        var uri = Server.plainSignalUri(HS256);
        for (var i = 0; i < FAILURES_PER_MINUTE; i++) {
            refused(RawClient.from(address, uri), hello("forged"));
        }
        for (var attempt = 1; attempt <= BARRED_ATTEMPTS; attempt++) {
            try (var barred = RawClient.from(address, uri)) {
                barred.send(hello(token("user-ann", "*")));
                assertEquals(4001, barred.expectClose(), "attempt " + attempt);
                assertEquals(List.of(), barred.receivedSoFar(), "no welcome, whatever it sends");
            }
        }
        try (var elsewhere = hs256(token("user-bob", "*"))) {
            assertTrue(elsewhere.isOpen(), "127.0.0.1 is not affected");
        }
    }

    @Test
    void turnCredentialsNameTheUserAndFreshOnesArriveBeforeTheyExpire() throws Exception {
        try (var client = SignalClient.connect(Server.signalUri(HS256))) {
            client.send(hello(token("user-turn", "*")));
            var first = turnUsername(client.expect("welcome"));
            var firstExpiry = Long.parseLong(first.split(":")[0]);
            assertEquals("user-turn", first.split(":", 2)[1]);
            var refresh = client.expect("ice-servers"); // within PATIENCE: due at 80 % of the 10 s they live
            var arrived = Instant.now().getEpochSecond();
            var second = turnUsername(refresh);
            assertTrue(arrived < firstExpiry, "fresh credentials arrived at " + arrived + ", the first expired at " + firstExpiry);
            assertTrue(Long.parseLong(second.split(":")[0]) > firstExpiry, second + " should outlive " + first);
            assertFalse(refresh.getJsonObject("data").getJsonArray("iceServers").getJsonObject(0)
                    .getString("credential").isEmpty());
            assertTrue(TURN_TTL_SECONDS <= 10, "this test waits for one refresh within its patience");
        }
    }

    @Test
    void aResumedSessionNeedsNoTokenAndKeepsItsGrant() throws Exception {
        var room = room();
        String resumeToken;
        String peerId;
        try (var before = RawClient.at(Server.signalUri(HS256))) {
            before.send(hello(token("user-ann", room)));
            var welcome = before.next().getJsonObject("data");
            resumeToken = welcome.getJsonObject("resume").getString("token");
            peerId = welcome.getString("peerId");
            before.reset(); // the network drops: the session waits for a resume
        }
        try (var after = RawClient.at(Server.signalUri(HS256))) {
            after.send("{'action':'hello','txn':'r','data':{'protocol':1,'resume':{'token':'" + resumeToken + "','lastSeq':0}}}");
            var welcome = after.next().getJsonObject("data");
            assertTrue(welcome.getBoolean("resumed"));
            assertEquals(peerId, welcome.getString("peerId"));
            after.send("{'action':'join','txn':'j','data':{'room':'" + room() + "'}}");
            assertEquals("forbidden", after.next().getJsonObject("data").getString("code"));
            after.closeCleanly();
        }
    }

    private static String hello(String token) {
        return "{'action':'hello','txn':'h','data':{'protocol':1,'token':'" + token + "'}}";
    }

    /**
     * Sends {@code opening} on {@code client}, which must be answered {@code unauthorized} and closed 4001; returns the
     * error's message. A raw socket: Tyrus' client over TLS now and then reports such a close as 1006.
     */
    private static String refused(RawClient client, String opening) throws Exception {
        try (client) {
            client.send(opening);
            var error = client.next().getJsonObject("data");
            assertEquals("unauthorized", error.getString("code"), error::toString);
            assertEquals(4001, client.expectClose());
            return error.getString("message");
        }
    }

    private static String turnUsername(JsonObject message) {
        return message.getJsonObject("data").getJsonArray("iceServers").getJsonObject(0).getString("username");
    }

    private static PrivateKey es256PrivateKey() throws IOException, GeneralSecurityException {
        try (InputStream in = AuthIT.class.getResourceAsStream("/auth/es256-private.pem")) {
            var pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        }
    }
}
