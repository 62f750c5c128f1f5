package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two server instances of one node: one pulls the peers' feeds, the other takes over when the first is
 * gone, whether it stopped, or its database session was cut (a failover, a terminated backend).
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class PullLeaseIT {
    static final Duration CHECK = Duration.ofMillis(200);
    static Database db;

    @BeforeAll
    static void database() {
        db = TestDatabases.fresh("pull_lease");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void oneInstancePullsAndTheOtherTakesOverWhenItStops() throws Exception {
        try (PullLease first = new PullLease(db, CHECK).start()) {
            assertTrue(first.held(), "the first instance holds the lease");
            try (PullLease second = new PullLease(db, CHECK).start()) {
                assertFalse(second.awaitHeld(CHECK.multipliedBy(3)), "the second waits while the first pulls");
                first.close();
                assertTrue(second.awaitHeld(Duration.ofSeconds(5)), "the second takes over once the first stopped");
            }
        }
    }

    @Test
    void aSessionCutLosesTheLeaseAndOneInstanceHoldsItAgain() throws Exception {
        try (PullLease first = new PullLease(db, CHECK).start(); PullLease second = new PullLease(db, CHECK).start()) {
            assertTrue(first.held());
            assertFalse(second.held());
            String cut;
            try (Connection c = db.connection()) {
                cut = NodeDatabase.rows(c, HOLDER).get(0)[0];
                NodeDatabase.rows(c, "SELECT pg_terminate_backend(?::int)", Integer.parseInt(cut));
            }
            // the cut session's instance notices at its next check, and then one of the two takes the lock
            // again (whichever tries first): never both, and never the dead session
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            String holder = null;
            while (System.nanoTime() < until) {
                try (Connection c = db.connection()) {
                    List<String[]> rows = NodeDatabase.rows(c, HOLDER);
                    holder = rows.isEmpty() ? null : rows.get(0)[0];
                }
                if (holder != null && !holder.equals(cut) && first.held() != second.held()) {
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(holder != null && !holder.equals(cut), "a live session holds the lease again: " + holder);
            for (int i = 0; i < 10; i++) {
                assertTrue(first.held() != second.held(), "exactly one instance pulls");
                Thread.sleep(CHECK.toMillis() / 2);
            }
        }
    }

    /** The backend holding the lease. */
    static final String HOLDER = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
}
