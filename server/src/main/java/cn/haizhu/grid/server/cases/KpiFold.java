package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.db.SqlFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the KPI counts the case triggers appended into the kept monthly counts, every few seconds
 * ({@code gridctl_case_kpi_compact()}, V19__case_kpi_counts.sql). The report is exact without it (it
 * reads both); the fold keeps what it reads small: at 1,500 intakes a second, ten seconds append a few
 * tens of thousands of rows. Runs as the platform, not as a user: the counts of every street.
 *
 * <p>Every server instance runs the timer; one fold at a time runs, under a transaction-level advisory
 * lock ({@code pg_try_advisory_xact_lock}): an instance that finds another folding skips its round
 * (the other's fold takes its rows too) rather than waiting, so no instance ever queues behind another.
 */
public final class KpiFold implements AutoCloseable {
    static final long EVERY_MS = 10_000;
    private static final String FOLD = SqlFile.load(KpiFold.class, "fold_kpis");
    private static final Logger LOG = LoggerFactory.getLogger(KpiFold.class);
    private final Vertx vertx;
    private final Pool pool;
    private final long timer;

    private KpiFold(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
        this.timer = vertx.setPeriodic(EVERY_MS, id -> runOnce());
    }

    public static KpiFold start(Vertx vertx, Pool pool) {
        return new KpiFold(vertx, pool);
    }

    /** What a round did: folded (how many kept count rows it added to or created), or skipped while another instance folded. */
    public record Outcome(boolean folded, long moved) {
    }

    /** One round. */
    public Future<Outcome> runOnce() {
        return pool.query(FOLD).execute()
                .map(rows -> {
                    Long moved = rows.iterator().next().getLong("moved");
                    return moved == null ? new Outcome(false, 0) : new Outcome(true, moved);
                })
                .onFailure(e -> LOG.warn("folding the KPI counts failed: {}", e.getMessage()));
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
