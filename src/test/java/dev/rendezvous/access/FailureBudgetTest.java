package dev.rendezvous.access;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureBudgetTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void anAddressIsBarredOnceItFailedItsBudgetWithinAMinuteAndFreedAsTheWindowMoves() {
        var budget = new FailureBudget(3);
        budget.fail("198.51.100.7", 0);
        budget.fail("198.51.100.7", 10 * SECOND);
        assertFalse(budget.exhausted("198.51.100.7", 20 * SECOND));
        budget.fail("198.51.100.7", 20 * SECOND);
        assertTrue(budget.exhausted("198.51.100.7", 21 * SECOND));
        assertFalse(budget.exhausted("198.51.100.8", 21 * SECOND), "another address is not affected");
        assertFalse(budget.exhausted("198.51.100.7", 60 * SECOND), "the first failure left the window");
    }

    @Test
    void addressesWithEmptyWindowsAreForgotten() {
        var budget = new FailureBudget(1);
        for (int i = 0; i < 10_000; i++) {
            budget.fail("10.0." + (i / 256) + "." + (i % 256), 0);
        }
        budget.fail("203.0.113.1", 61 * SECOND);
        assertEquals(1, budget.addresses());
        assertTrue(budget.exhausted("203.0.113.1", 61 * SECOND));
        assertFalse(budget.exhausted("10.0.0.1", 61 * SECOND));
    }
}
