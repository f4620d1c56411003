package dev.rendezvous.signaling.boundary;

import org.junit.jupiter.api.Test;

import static dev.rendezvous.signaling.boundary.IncomingText.Outcome.CUT_OFF;
import static dev.rendezvous.signaling.boundary.IncomingText.Outcome.DISCARDED;
import static dev.rendezvous.signaling.boundary.IncomingText.Outcome.MESSAGE;
import static dev.rendezvous.signaling.boundary.IncomingText.Outcome.PART;
import static dev.rendezvous.signaling.boundary.IncomingText.Outcome.TOO_BIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class IncomingTextTest {

    private final IncomingText incoming = new IncomingText(1_024);

    @Test
    void aMessageInOnePartIsPassedOnAsItIs() {
        var text = "{\"action\":\"ping\"}";
        assertEquals(MESSAGE, incoming.add(text, true));
        assertSame(text, incoming.message());
    }

    @Test
    void aMessageInPartsIsAssembledInOrder() {
        assertEquals(PART, incoming.add("{\"action\":", false));
        assertEquals(PART, incoming.add("\"pi", false));
        assertEquals(MESSAGE, incoming.add("ng\"}", true));
        assertEquals("{\"action\":\"ping\"}", incoming.message());
    }

    @Test
    void aMessageOverTheLimitIsReadToItsEndThenRefusedAndTheNextOneIsFine() {
        assertEquals(PART, incoming.add("x".repeat(800), false));
        assertEquals(PART, incoming.add("x".repeat(800), false), "over the limit, but read on to the end");
        assertEquals(TOO_BIG, incoming.add("x".repeat(10), true));
        assertEquals(MESSAGE, incoming.add("{}", true));
        assertEquals("{}", incoming.message());
    }

    @Test
    void aMessageFourTimesOverTheLimitIsCutOffAndNothingMoreIsRead() {
        for (var i = 0; i < 4; i++) {
            assertEquals(PART, incoming.add("x".repeat(1_000), false));
        }
        assertEquals(CUT_OFF, incoming.add("x".repeat(1_000), false));
        assertEquals(DISCARDED, incoming.add("x".repeat(1_000_000), true));
        assertEquals(DISCARDED, incoming.add("{}", true), "the connection is being closed");
    }

    @Test
    void theLimitCountsUtf8Bytes() {
        assertEquals(MESSAGE, incoming.add("é".repeat(512), true), "512 two-byte characters are exactly the limit");
        assertEquals(TOO_BIG, incoming.add("é".repeat(513), true));
        assertEquals(MESSAGE, incoming.add("\ud83d\ude00".repeat(256), true), "256 four-byte emoji are exactly the limit");
        assertEquals(TOO_BIG, incoming.add("\ud83d\ude00".repeat(256) + "x", true));
        assertEquals(PART, incoming.add("€".repeat(300), false)); // 900 bytes
        assertEquals(TOO_BIG, incoming.add("€".repeat(50), true), "counted across parts: 1,050 bytes");
    }
}
