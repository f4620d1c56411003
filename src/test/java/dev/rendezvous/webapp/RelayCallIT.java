package dev.rendezvous.webapp;

import dev.rendezvous.access.Tokens;
import dev.rendezvous.signaling.AuthIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A call through a real TURN server: coturn on loopback with the shared secret of the access-controlled test
 * deployment, two Chromium pages signed in with tokens and forced to relay-only ICE. What proves it: every local
 * candidate is a relay, the selected pair is relay to relay on both ends, video frames keep arriving, chat arrives,
 * and coturn allocated for the users the tokens name. Two controls prove the check is real: credentials signed with
 * another secret, and credentials past their expiry, gather no relay candidate at all. And the page, signed in or not,
 * says in plain words what access control refused.
 */
class RelayCallIT {

    private static final String SECRET = System.getProperty("rendezvous.turn.secret", "rendezvous-turn-test-secret");
    private static final int PORT = Integer.getInteger("rendezvous.turn.port", 3478);

    private static Coturn coturn;
    private static Browser ann;
    private static Browser bob;

    @BeforeAll
    static void start() throws Exception {
        AuthIT.awaitDeployment(AuthIT.HS256);
        coturn = Coturn.start(PORT, SECRET);
        ann = Browser.launch("Ann");
        bob = Browser.launch("Bob");
        ann.forceRelay();
        bob.forceRelay();
    }

    @AfterEach
    void hangUp() {
        ann.idle();
        bob.idle();
    }

    @AfterAll
    static void stop() throws Exception {
        try (var a = ann; var b = bob) {
            if (coturn != null) {
                coturn.close();
            }
        }
    }

    private static void join(Browser browser, String room, String user) {
        browser.joinAt(AuthIT.HS256 + "/?room=" + room + "#token=" + Tokens.forTestDeployment(user, room));
    }

    @Test
    void twoPagesForcedToRelayOnlyCallEachOtherThroughCoturn() throws Exception {
        var room = "relay-" + UUID.randomUUID().toString().substring(0, 8);
        var started = System.nanoTime();
        join(ann, room, "user-ann");
        ann.until(d -> ann.visible("#room"));
        join(bob, room, "user-bob");
        for (var browser : List.of(ann, bob)) {
            browser.until(d -> "connected".equals(browser.connectionStates().get(browser == ann ? "Bob" : "Ann")));
        }
        var setUp = (System.nanoTime() - started) / 1_000_000;
        for (var browser : List.of(ann, bob)) {
            @SuppressWarnings("unchecked")
            var types = (List<String>) browser.script("return window.__ice.candidates");
            assertFalse(types.isEmpty(), browser.name + " gathered no candidate");
            assertEquals(List.of("relay"), types.stream().distinct().toList(), browser.name + " gathered " + types);
            assertEquals(Map.of("local", "relay", "remote", "relay"), selectedPair(browser), browser.name + "'s selected pair");
        }
        var before = ann.framesDecodedFrom("Bob");
        ann.until(d -> ann.framesDecodedFrom("Bob") > before + 10);
        bob.until(d -> bob.remoteVideoWidths().getOrDefault("Ann", 0L) > 0);
        ann.field("#chat-input").sendKeys("through the relay", Keys.ENTER);
        bob.until(d -> bob.chatLines().contains("Ann through the relay"));
        ann.screenshot(Path.of("target", "screenshots", "relay-call.png"));
        var allocations = coturn.log().stream().filter(line -> line.contains("ALLOCATE processed, success")).toList();
        assertTrue(allocations.stream().anyMatch(line -> line.contains(":user-ann")), "coturn allocated for user-ann: " + allocations);
        assertTrue(allocations.stream().anyMatch(line -> line.contains(":user-bob")), "coturn allocated for user-bob: " + allocations);
        System.out.println("Relay call through coturn: connected " + setUp + " ms after Ann opened the page; "
                + allocations.size() + " allocations; Ann decoded " + ann.framesDecodedFrom("Bob") + " frames of Bob's video");
    }

    @Test
    void credentialsSignedWithAnotherSecretGatherNoRelayCandidate() throws Exception {
        var username = (Instant.now().getEpochSecond() + 600) + ":user-ann";
        var control = gather(ann, username, credential(SECRET, username));
        assertTrue(control.contains("relay"), "the probe itself must gather with good credentials: " + control);
        var wrong = gather(ann, username, credential("another-turn-secret", username));
        assertFalse(wrong.contains("relay"), "credentials of another secret gathered " + wrong);
    }

    @Test
    void credentialsPastTheirExpiryGatherNoRelayCandidate() throws Exception {
        var expired = (Instant.now().getEpochSecond() - 60) + ":user-ann";
        var gathered = gather(ann, expired, credential(SECRET, expired));
        assertFalse(gathered.contains("relay"), "expired credentials gathered " + gathered);
    }

    @Test
    void withoutATokenOrForAnotherRoomThePageSaysWhyInPlainWords() throws Exception {
        ann.joinAt(AuthIT.HS256 + "/?room=relay-nobody");
        ann.until(d -> ann.notice().contains("not signed in"));
        ann.screenshot(Path.of("target", "screenshots", "not-signed-in.png"));
        assertFalse(ann.visible("#room"));
        bob.joinAt(AuthIT.HS256 + "/?room=relay-elsewhere#token=" + Tokens.forTestDeployment("user-bob", "relay-granted"));
        bob.until(d -> bob.notice().contains("not allowed into this room"));
        assertFalse(bob.visible("#room"));
    }

    /** The selected candidate pair's local and remote candidate types, as the page's connection reports them. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> selectedPair(Browser browser) {
        return (Map<String, String>) browser.script("""
                const entry = [...window.rendezvous.calls.values()][0];
                return entry.call.pc.getStats().then((report) => {
                  const stats = [...report.values()];
                  const transport = stats.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
                  const pair = report.get(transport.selectedCandidatePairId);
                  return { local: report.get(pair.localCandidateId).candidateType,
                           remote: report.get(pair.remoteCandidateId).candidateType };
                });""");
    }

    /**
     * What a relay-only connection on {@code browser}'s page gathers with these TURN credentials, until gathering is
     * complete: the candidate types, then each error as {@code error <code>}.
     */
    @SuppressWarnings("unchecked")
    private static List<String> gather(Browser browser, String username, String credential) {
        browser.open(AuthIT.HS256 + "/");
        return (List<String>) browser.script("""
                const [url, username, credential] = arguments;
                const pc = new RTCPeerConnection({ iceServers: [{ urls: [url], username, credential }] });
                const found = [];
                pc.onicecandidate = (e) => e.candidate && found.push(e.candidate.type);
                pc.onicecandidateerror = (e) => found.push('error ' + e.errorCode);
                pc.createDataChannel('probe');
                return pc.createOffer().then((offer) => pc.setLocalDescription(offer)).then(() => new Promise((done) => {
                  const finish = () => { pc.close(); done(found); };
                  if (pc.iceGatheringState === 'complete') finish();
                  pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && finish();
                }));""", "turn:127.0.0.1:" + PORT + "?transport=udp", username, credential);
    }

    /** The TURN REST credential coturn expects for {@code username}: base64(HMAC-SHA1(secret, username)). */
    private static String credential(String secret, String username) throws Exception {
        var mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }
}
