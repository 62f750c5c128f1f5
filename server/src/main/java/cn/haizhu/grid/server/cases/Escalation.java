package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.db.SqlFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overdue watch (超期催办/督办): every minute, {@code gridctl_escalate_overdue()} urges the cases
 * whose deadline passed and supervises those a day past it (V9__case_escalation.sql). It runs as the
 * platform, not as a user, so it sees every street; the pages hear of each step as a case change.
 */
public final class Escalation implements AutoCloseable {
    static final long EVERY_MS = 60_000;
    private static final String ESCALATE = SqlFile.load(Escalation.class, "escalate_overdue");
    private static final Logger LOG = LoggerFactory.getLogger(Escalation.class);
    private final Vertx vertx;
    private final Pool pool;
    private final long timer;

    private Escalation(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
        this.timer = vertx.setPeriodic(5_000, EVERY_MS, id -> runOnce());
    }

    public static Escalation start(Vertx vertx, Pool pool) {
        return new Escalation(vertx, pool);
    }

    /** One pass: how many cases were urged and supervised. */
    public Future<long[]> runOnce() {
        return pool.query(ESCALATE).execute().map(rows -> {
            Row r = rows.iterator().next();
            long[] n = {r.getLong("urged"), r.getLong("supervised")};
            if (n[0] + n[1] > 0) {
                LOG.info("overdue cases: {} urged (催办), {} supervised (督办)", n[0], n[1]);
            }
            return n;
        }).onFailure(e -> LOG.warn("overdue escalation failed: {}", e.getMessage()));
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
