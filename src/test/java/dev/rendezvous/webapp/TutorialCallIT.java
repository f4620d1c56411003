package dev.rendezvous.webapp;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tutorial's protocol (start; offer / answer / iceCandidate by remoteId) connecting two real browsers. */
class TutorialCallIT {

    @Test
    void twoTutorialPagesConnectACallThroughTheSeedProtocol() throws Exception {
        try (var caller = Browser.launch("caller"); var callee = Browser.launch("callee")) {
            caller.open("/tutorial.html");
            callee.open("/tutorial.html");
            var calleeId = myId(callee);
            myId(caller);

            caller.field("#remote-id").sendKeys(calleeId);
            caller.click("#call");

            for (var browser : List.of(caller, callee)) {
                browser.until(d -> "connected".equals(browser.script("return window.tutorial.pc?.connectionState")));
                browser.until(d -> ((Number) browser.script("return document.querySelector('#remote-video').videoWidth")).intValue() > 0);
                assertEquals("connected", browser.script("return window.tutorial.pc.connectionState"));
            }
            assertEquals(calleeId, caller.script("return window.tutorial.remoteId"));

            // calling again replaces the call: the first connection is closed, not left running beside the new one
            caller.script("window.firstCall = window.tutorial.pc");
            caller.click("#call");
            caller.until(d -> "connected".equals(caller.script("return window.tutorial.pc.connectionState"))
                    && (Boolean) caller.script("return window.tutorial.pc !== window.firstCall"));
            assertEquals("closed", caller.script("return window.firstCall.connectionState"));
        }
    }

    private static String myId(Browser browser) {
        var id = browser.until(d -> {
            var text = d.findElement(By.id("my-id")).getText();
            return text.matches("[A-Za-z0-9_-]{22}") ? text : null;
        });
        assertTrue(id.length() == 22);
        return id;
    }
}
