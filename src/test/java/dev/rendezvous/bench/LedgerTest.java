package dev.rendezvous.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's verdict must catch every way a server can get delivery wrong, or its "zero lost" means nothing. */
class LedgerTest {

    private static final String[] IDS = {"ann", "bob", "carol"};

    @Test
    void messagesThatAllArriveInOrderFromTheirSenderAreClean() {
        var ledger = new Ledger(IDS);
        for (var i = 0; i < 3; i++) {
            ledger.receive(1, "ann", 0, 1, ledger.send(0, 1));
        }
        assertTrue(ledger.verdict().clean(), ledger.verdict()::toString);
        assertTrue(ledger.settled());
    }

    @Test
    void aMessageThatNeverArrivesIsLost() {
        var ledger = new Ledger(IDS);
        ledger.send(0, 1);
        assertFalse(ledger.settled());
        assertEquals(1, ledger.verdict().lost());
        assertFalse(ledger.verdict().clean());
    }

    @Test
    void aSkippedMessageAndADuplicateAreOutOfOrder() {
        var ledger = new Ledger(IDS);
        var first = ledger.send(0, 1);
        var second = ledger.send(0, 1);
        ledger.receive(1, "ann", 0, 1, second);
        ledger.receive(1, "ann", 0, 1, first);
        assertEquals(2, ledger.verdict().outOfOrder());
        assertFalse(ledger.verdict().clean());
    }

    @Test
    void aMessageForAnotherPeerOrStampedWithAnotherSenderIsMisrouted() {
        var ledger = new Ledger(IDS);
        ledger.receive(2, "ann", 0, 1, ledger.send(0, 1));
        ledger.receive(1, "carol", 0, 1, ledger.send(0, 1));
        assertEquals(2, ledger.verdict().misrouted());
        assertFalse(ledger.verdict().clean());
    }

    @Test
    void aRoomWideMessageCountsOnceForEachReceiver() {
        var ledger = new Ledger(IDS);
        var seq = ledger.send(0, 2);
        ledger.receive(1, "ann", 0, -1, seq);
        assertFalse(ledger.settled());
        ledger.receive(2, "ann", 0, -1, seq);
        assertTrue(ledger.verdict().clean(), ledger.verdict()::toString);
    }

    @Test
    void aRefusedMessageIsAwaitedNoLonger() {
        var ledger = new Ledger(IDS);
        ledger.send(0, 1);
        ledger.receive(1, "ann", 0, 1, ledger.send(0, 1));
        assertFalse(ledger.settled());
        ledger.refusal("unavailable");
        assertTrue(ledger.settled());
        assertFalse(ledger.verdict().clean());
    }

    @Test
    void aMessageTheServerRefusedIsNotDeliveredAndSaysWhy() {
        var ledger = new Ledger(IDS);
        ledger.send(0, 1);
        ledger.refusal("rate-limited");
        var verdict = ledger.verdict();
        assertFalse(verdict.clean());
        assertEquals(1, verdict.refused());
        assertTrue(verdict.toString().contains("rate-limited"), verdict::toString);
    }

    @Test
    void aSocketFailureSpoilsTheRun() {
        var ledger = new Ledger(IDS);
        ledger.failure("closed by the server: 4008 slow consumer");
        assertFalse(ledger.verdict().clean());
    }
}
