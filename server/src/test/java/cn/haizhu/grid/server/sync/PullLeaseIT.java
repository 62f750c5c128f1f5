package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
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
    void anInstanceWhoseSessionWasCutStopsPullingAndTheOtherTakesOver() throws Exception {
        try (PullLease first = new PullLease(db, CHECK).start(); PullLease second = new PullLease(db, CHECK).start()) {
            assertTrue(first.held());
            assertFalse(second.held());
            try (Connection c = db.connection()) {
                assertTrue(NodeDatabase.count(c, "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 1,
                        "one session holds the lease");
            }
            assertTrue(second.awaitHeld(Duration.ofSeconds(5)), "the second takes over");
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (first.held() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertFalse(first.held(), "the first knows it lost the lease");
        }
    }
}
