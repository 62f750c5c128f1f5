package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.SqlFile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which server instance of a node pulls its peers' feeds: the one holding a session-level advisory lock
 * on the node's database (docs/CLUSTER.md, "The sync pullers"). Two instances pulling one peer would
 * each take the batch in turn on the peer's checkpoint row and apply it once, but every long-poll and
 * every batch would be fetched twice; the lease makes the second instance a standby that takes over
 * within {@link #CHECK} of the first one's death (its connection closes, PostgreSQL drops the lock).
 *
 * <p>The lock lives on a connection of its own, outside the request pool, since a pooled connection
 * goes back to the pool and another caller would hold the lock. Each {@link #CHECK} the holder checks
 * its connection (a failover or a terminated backend loses the lock with it) and a standby tries again.
 */
final class PullLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PullLease.class);
    private static final String TAKE = SqlFile.load(PullLease.class, "take_pull_lease");
    static final Duration CHECK = Duration.ofSeconds(5);

    private final Database db;
    private final Duration check;
    private final Thread thread;
    private final Object changed = new Object();
    private volatile boolean held;
    private volatile boolean closed;
    private Connection connection;

    PullLease(Database db) {
        this(db, CHECK);
    }

    PullLease(Database db, Duration check) {
        this.db = db;
        this.check = check;
        this.thread = new Thread(this::run, "gridctl-sync-lease");
        this.thread.setDaemon(true);
    }

    PullLease start() {
        renew();
        thread.start();
        return this;
    }

    /** True while this instance holds the lease. */
    boolean held() {
        return held;
    }

    /**
     * Waits up to {@code timeout} for this instance to hold the lease: true if it does. A puller calls
     * it before each pull, so that a standby instance's pullers wait without fetching anything.
     */
    boolean awaitHeld(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (!held && !closed) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
        }
        return held;
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(check.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            renew();
        }
    }

    /** Checks the lease it holds, or tries to take it. */
    private synchronized void renew() {
        if (closed) {
            return;
        }
        try {
            if (connection != null && connection.isValid((int) Math.max(1, check.toSeconds()))) {
                return;
            }
            if (held) {
                LOG.warn("sync pullers: the lease's connection is gone; this instance stops pulling until it holds the lease again");
                set(false);
            }
            drop();
            connection = DriverManager.getConnection(db.url(), db.user(), db.password());
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(TAKE)) {
                rs.next();
                if (rs.getBoolean(1)) {
                    LOG.info("sync pullers: this instance holds the lease and pulls the peers' feeds");
                    set(true);
                } else {
                    drop();   // another instance pulls; try again at the next check
                }
            }
        } catch (SQLException e) {
            if (held) {
                LOG.warn("sync pullers: lease lost ({})", e.toString());
                set(false);
            }
            drop();
        }
    }

    private void set(boolean now) {
        synchronized (changed) {
            held = now;
            changed.notifyAll();
        }
    }

    private void drop() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection: nothing held on it any more
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        synchronized (this) {
            set(false);
            drop();   // PostgreSQL releases the lock with the session
        }
    }
}
