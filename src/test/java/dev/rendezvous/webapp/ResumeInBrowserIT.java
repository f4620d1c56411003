package dev.rendezvous.webapp;

import dev.rendezvous.signaling.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Session resume in three real browsers: Carol's page reaches the server through a proxy the test cuts, as a Wi-Fi
 * handover would; Ann and Bob connect directly. The calls are peer to peer, so the media never went through the server:
 * a signaling gap must not show in them. The test server's grace is 4 s.
 */
class ResumeInBrowserIT {

    /** How many of Carol's tries to reconnect fail before the network is back. */
    private static final int FAILED_TRIES = 4;

    private static Trio trio;
    private static Browser ann;
    private static Browser bob;
    private static Browser carol;
    private static CuttableProxy proxy;
    private static URI viaProxy;

    @BeforeAll
    static void launch() throws IOException {
        trio = Trio.launch();
        ann = trio.ann;
        bob = trio.bob;
        carol = trio.carol;
        var server = Server.httpUri("/");
        var port = Integer.getInteger("rendezvous.proxy.port");
        proxy = new CuttableProxy(port, new InetSocketAddress(server.getHost(), server.getPort()));
        viaProxy = URI.create(server.getScheme() + "://" + server.getHost() + ":" + port + "/");
    }

    @AfterEach
    void hangUp() {
        proxy.restore();
        trio.idle();
    }

    @AfterAll
    static void quit() throws IOException {
        try (var closing = proxy) {
            if (trio != null) {
                trio.close();
            }
        }
    }

    @Test
    void aCutSignalingSocketIsInvisibleToTheCallMediaFlowsMessagesWaitAndThePageResumesAsItself() throws IOException {
        joinAll("browser-resume-cut");
        var carolId = carol.script("window.callsBefore = [...window.rendezvous.calls.values()].map(e => e.call.pc);"
                + " window.attempts = 0; window.rendezvous.client.addEventListener('reconnecting', () => window.attempts++);"
                + " return window.rendezvous.client.peerId");
        // Ann types her line now and sends it in the gap: typing takes seconds under load, and the grace is only 4 s
        ann.field("#chat-input").sendKeys("while you were away");
        var framesBefore = ann.framesDecodedFrom("Carol");

        var cutAt = System.nanoTime();
        proxy.cut(); // Carol's socket is reset, and her page cannot reconnect until the network is back
        for (var other : List.of(ann, bob)) {
            other.until(d -> "reconnecting".equals(other.script(
                    "return document.querySelector('.tile.remote[data-peer=\"' + arguments[0] + '\"]')?.dataset.signaling", carolId)));
        }
        carol.until(d -> carol.notice().startsWith("Connection lost"));
        ann.field("#chat-input").sendKeys(Keys.ENTER); // for Carol: it waits on the server
        ann.screenshot(Path.of("target", "screenshots", "peer-reconnecting.png"));
        var framesDuringGap = ann.until(d -> {
            var frames = ann.framesDecodedFrom("Carol");
            return frames > framesBefore + 10 ? frames : null; // her media goes on while her signaling is down
        });
        // four tries fail first: a backoff that went on doubling would wait out the rest of the 4 s grace
        carol.until(d -> ((Number) carol.script("return window.attempts")).intValue() > FAILED_TRIES);

        var downFor = Duration.ofNanos(System.nanoTime() - cutAt);
        proxy.restore();
        carol.until(d -> carol.chatLines().contains("Ann while you were away"));
        var resumedAfter = Duration.ofNanos(System.nanoTime() - cutAt);
        carol.until(d -> carol.notice().isEmpty());
        assertEquals(carolId, carol.script("return window.rendezvous.client.peerId"), "the same peer id");
        assertEquals(true, carol.script("const now = [...window.rendezvous.calls.values()].map(e => e.call.pc);"
                + " return now.length === 2 && now.every(pc => window.callsBefore.includes(pc) && pc.connectionState === 'connected')"),
                "no RTCPeerConnection was made again");
        for (var other : List.of(ann, bob)) {
            other.until(d -> "connected".equals(other.script(
                    "return document.querySelector('.tile.remote[data-peer=\"' + arguments[0] + '\"]')?.dataset.signaling", carolId)));
            assertEquals(Map.of("Carol", "connected", other == ann ? "Bob" : "Ann", "connected"), other.connectionStates());
        }
        ann.until(d -> ann.framesDecodedFrom("Carol") > framesDuringGap);
        System.out.printf("Resume in the browser: back %.1f s after the cut (the network was down for %.1f s, %d failed tries);"
                + " Ann decoded %d frames of Carol's video before, %d by the end of the gap%n",
                resumedAfter.toMillis() / 1000.0, downFor.toMillis() / 1000.0, FAILED_TRIES, framesBefore, framesDuringGap);
    }

    @Test
    void aReloadWithinTheGraceKeepsThePeerIdAndTheSeatAndTheCallsComeBack() {
        joinAll("browser-resume-reload");
        var carolId = carol.script("return window.rendezvous.client.peerId");
        carol.reload();
        carol.until(d -> carol.visible("#room") && carolId.equals(carol.script("return window.rendezvous.client?.peerId")));
        for (var browser : trio.all()) {
            browser.until(d -> browser.connectionStates().size() == 2
                    && browser.connectionStates().values().stream().allMatch("connected"::equals)
                    && browser.remoteVideoWidths().values().stream().allMatch(width -> width > 0));
        }
        for (var other : List.of(ann, bob)) {
            assertEquals(false, other.script("return window.rendezvous.heard.some(h => h.event === 'peer-left' && h.peerId === arguments[0])", carolId),
                    other.name + " never heard Carol leave: she kept her seat");
        }
    }

    /** Everyone joins, Carol through the proxy. */
    private static void joinAll(String room) {
        trio.joinAll(room, browser -> browser == carol ? viaProxy : Server.httpUri("/"));
    }
}
