package dev.rendezvous.webapp;

import dev.rendezvous.signaling.RawClient;
import dev.rendezvous.signaling.SignalClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ops page at {@code /admin/} in real Chromium, signed in as the operator the build gives every test server: it
 * shows a room two clients joined, and its buttons kick, lock and close as the admin API does.
 */
class OpsPageIT {

    private static final String PASSWORD = System.getProperty("rendezvous.admin.password", "rendezvous-admin-test-only");
    private static Browser browser;

    @BeforeAll
    static void launch() throws Exception {
        browser = Browser.launch("operator");
    }

    @AfterAll
    static void quit() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theOperatorSeesTheRoomKicksAPeerAndLocksAndClosesTheRoom() throws Exception {
        var room = "ops-page-" + UUID.randomUUID().toString().substring(0, 8);
        try (var ann = SignalClient.inRoom(room, "Ann"); var bob = new RawClient()) {
            bob.send("{'action':'hello','txn':'h','data':{'protocol':1}}");
            var bobId = bob.next().getJsonObject("data").getString("peerId");
            bob.send("{'action':'join','txn':'j','data':{'room':'" + room + "','displayName':'Bob'}}");
            assertEquals("joined", bob.next().getString("action"));
            ann.expect("peer-joined");

            browser.openAs("admin", PASSWORD, "/admin/");
            var rows = "tbody[data-room='" + room + "'] tr.peer";
            browser.until(d -> browser.script("return document.querySelectorAll(arguments[0]).length", rows).equals(2L));
            assertTrue(browser.visible("tbody[data-room='" + room + "'] tr.room"));
            assertTrue(((String) browser.script("return document.querySelector(arguments[0]).textContent", rows + "[data-peer='" + bobId + "']"))
                    .contains("Bob"));
            browser.until(d -> !"–".equals(browser.script("return document.querySelector('#m-rooms').textContent")));
            browser.screenshot(Path.of("target", "screenshots", "ops-page.png"));

            browser.click(rows + "[data-peer='" + bobId + "'] button.kick");

            assertEquals(4010, bob.expectClose());
            assertEquals("kicked", ann.expect("peer-left").getJsonObject("data").getString("reason"));
            browser.until(d -> browser.script("return document.querySelectorAll(arguments[0]).length", rows).equals(1L));

            browser.click("tbody[data-room='" + room + "'] button.lock");
            browser.until(d -> browser.visible("tbody[data-room='" + room + "'] .badge"));
            try (var carl = SignalClient.hello()) {
                carl.send("{'action':'join','txn':'j','data':{'room':'" + room + "'}}");
                carl.expectError("room-locked");
            }
            browser.screenshot(Path.of("target", "screenshots", "ops-page-locked.png"));

            browser.click("tbody[data-room='" + room + "'] button.close");
            assertEquals(room, ann.expect("room-closed").getJsonObject("data").getString("room"));
            browser.until(d -> browser.script("return document.querySelector(arguments[0])", "tbody[data-room='" + room + "']") == null);
            assertEquals(java.util.List.of(), browser.consoleErrors());
        }
    }
}
