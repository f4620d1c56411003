package dev.rendezvous.webapp;

import dev.rendezvous.signaling.SignalClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The room page in three real browsers: a full mesh of real RTCPeerConnections through our signaling. */
class VideoRoomIT {

    private static Trio trio;
    private static Browser ann;
    private static Browser bob;
    private static Browser carol;

    @BeforeAll
    static void launch() throws IOException {
        trio = Trio.launch();
        ann = trio.ann;
        bob = trio.bob;
        carol = trio.carol;
    }

    @AfterEach
    void hangUp() {
        trio.idle();
    }

    @AfterAll
    static void quit() throws IOException {
        if (trio != null) {
            trio.close();
        }
    }

    @Test
    void threePeopleInARoomAllConnectAndSeeEachOthersVideo() throws IOException {
        trio.joinAll("browser-trio");
        for (var browser : trio.all()) {
            browser.until(d -> browser.remoteVideoWidths().size() == 2
                    && browser.remoteVideoWidths().values().stream().allMatch(width -> width > 0));
            var others = trio.othersOf(browser);
            assertEquals(Map.of(others.get(0), "connected", others.get(1), "connected"), browser.connectionStates());
            browser.remoteVideoWidths().forEach((who, width) -> assertTrue(width > 0, browser.name + " sees no video of " + who));
        }
        ann.field("#chat-input").sendKeys("Hi Bob, hi Carol!", Keys.ENTER);
        bob.until(d -> bob.chatLines().contains("Ann Hi Bob, hi Carol!"));
        bob.screenshot(Path.of("target", "screenshots", "three-person-room.png")); // the README's picture
    }

    @Test
    void aChatMessageReachesEveryoneElseInTheRoom() {
        trio.joinAll("browser-chat");
        ann.field("#chat-input").sendKeys("hello from Ann", Keys.ENTER);
        for (var reader : List.of(bob, carol)) {
            reader.until(d -> reader.chatLines().contains("Ann hello from Ann"));
        }
        assertEquals(List.of("You hello from Ann"), ann.chatLines());
    }

    @Test
    void whenOneLeavesTheOthersDropItsTileAndStayConnectedAndAFullRoomIsRefusedInPlainWords() throws IOException {
        var room = "browser-leave";
        trio.joinAll(room);
        carol.click("#leave");
        ann.until(d -> Map.of("Bob", "connected").equals(ann.connectionStates()));
        bob.until(d -> Map.of("Ann", "connected").equals(bob.connectionStates()));
        assertEquals(1, ann.remoteVideoWidths().size());
        assertEquals(1, bob.remoteVideoWidths().size());

        try (var tess = SignalClient.inRoom(room, "Tess"); var tom = SignalClient.inRoom(room, "Tom")) {
            carol.click("#join"); // the room is now Ann, Bob, Tess and Tom: four of four
            carol.until(d -> carol.notice().startsWith("This room is full"));
            assertTrue((Boolean) carol.script("return !document.querySelector('#landing').hidden"), "Carol stays outside");
        }
    }

    @Test
    void twoPeersRenegotiatingAtTheSameMomentBothSettleAndStayConnected() {
        trio.joinAll("browser-glare");
        // Ann and Bob each add a transceiver toward the other at once: both offer, the offers collide
        var addOne = "const e = [...window.rendezvous.calls.values()].find(e => e.name === arguments[0]);"
                + " e.call.pc.addTransceiver('video', {direction: 'recvonly'});";
        ann.script(addOne, "Bob");
        bob.script(addOne, "Ann");
        var settled = "const e = [...window.rendezvous.calls.values()].find(e => e.name === arguments[0]);"
                + " const pc = e.call.pc;"
                + " return pc.signalingState === 'stable' && pc.connectionState === 'connected'"
                + " && pc.getTransceivers().filter(t => t.mid !== null).length === 4;";
        ann.until(d -> (Boolean) ann.script(settled, "Bob"));
        bob.until(d -> (Boolean) bob.script(settled, "Ann"));
    }

    @Test
    void aNewcomerSeesOnlyTheJoinFormAndThePageLoadsWithoutAnError() throws IOException {
        ann.open("/");
        ann.until(d -> ann.visible("#join"));
        assertTrue(ann.visible("#display-name") && ann.visible("#room-name"), "the form is there");
        for (var part : List.of("#room", "#share-link", "#stage", "#grid", "#chat", "#controls")) {
            assertFalse(ann.visible(part), part + " of the room shows on the landing page");
        }
        assertEquals(200L, ann.script("return fetch(document.querySelector('link[rel=icon]').href).then(r => r.status)"),
                "the page's icon is served");
        assertEquals(List.of(), ann.consoleErrors());
        ann.screenshot(Path.of("target", "screenshots", "landing.png"));
    }

    @Test
    void aSharedScreenReachesEveryRemoteTileAndLeavingTurnsEveryLocalTrackOff() {
        var room = "browser-screen";
        ann.join(room);
        ann.until(d -> ann.visible("#room"));
        bob.join(room);
        bob.until(d -> Map.of("Ann", "connected").equals(bob.connectionStates()));
        ann.click("#share-screen");
        ann.until(d -> ann.field("#share-screen").getText().equals("Stop sharing"));
        // Carol comes after: Ann's call with her starts from peer-joined, and Ann adds her tracks only when answering
        carol.join(room);
        carol.until(d -> carol.connectionStates().size() == 2 && carol.connectionStates().values().stream().allMatch("connected"::equals));
        for (var viewer : List.of(bob, carol)) {
            viewer.until(d -> viewer.remoteAspectRatios().getOrDefault("Ann", 0.0) > 1.5); // 16:9, not the camera's 4:3
        }
        ann.script("window.tracksBeforeLeaving = [...window.rendezvous.localStream.getTracks(), window.rendezvous.screenTrack]");
        ann.click("#leave");
        ann.until(d -> ann.visible("#landing"));
        assertEquals(true, ann.script("return window.tracksBeforeLeaving.length === 3"
                + " && window.tracksBeforeLeaving.every(track => track.readyState === 'ended')"), "camera, microphone and screen are off");
        assertEquals(false, ann.script("return !!window.rendezvous.localStream"));
    }
}
