package cn.haizhu.grid.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestBudgetTest {
    @Test
    void aBurstPassesThenTheRefillRateAndEachUserHasTheirOwn() {
        AtomicLong clock = new AtomicLong();
        RequestBudget budget = new RequestBudget("search", 3, 2, clock::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, budget.take(1), "the burst");
        }
        long wait = budget.take(1);
        assertTrue(wait > 0 && wait <= 500_000_000L, "one token every 0.5 s: " + wait);
        assertEquals(0, budget.take(2), "another user is not held up");
        clock.addAndGet(wait);
        assertEquals(0, budget.take(1), "after the wait it was told");
        assertTrue(budget.take(1) > 0);
        clock.addAndGet(60_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, budget.take(1), "a long pause refills the burst, no more");
        }
        assertTrue(budget.take(1) > 0);
    }
}
