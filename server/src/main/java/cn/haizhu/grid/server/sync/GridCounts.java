package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.SqlFile;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counts per grid the walls show, following the records the pullers apply (derived data does not
 * flow: each node counts what it holds). A puller only marks them stale; they are counted again on a
 * thread of their own, at most every {@link #everyMillis}: one count of every table takes a second or
 * so at full scale, which no puller should wait for (a change behind it would wait too), and which
 * would cost more than the changes themselves at 200 a second if it ran after each batch.
 */
final class GridCounts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GridCounts.class);
    private static final String REFRESH_GRID_STATS = SqlFile.load(GridCounts.class, "refresh_grid_stats");
    /** How often the counts follow applied changes; tests shorten it before a node starts. */
    static long everyMillis = 120_000;

    private final Database db;
    private final AtomicBoolean stale = new AtomicBoolean();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gridctl-sync-grid-counts");
        t.setDaemon(true);
        return t;
    });

    GridCounts(Database db) {
        this.db = db;
        thread.scheduleWithFixedDelay(this::refreshIfStale, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    }

    /** Records were applied: count again at the next turn. */
    void changed() {
        stale.set(true);
    }

    private void refreshIfStale() {
        if (!stale.getAndSet(false)) {
            return;
        }
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.executeQuery(REFRESH_GRID_STATS).close();
        } catch (Exception e) {
            stale.set(true);
            LOG.warn("the grid counts could not follow the applied changes: {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
