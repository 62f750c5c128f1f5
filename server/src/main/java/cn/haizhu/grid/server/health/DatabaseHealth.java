package cn.haizhu.grid.server.health;

import cn.haizhu.grid.data.db.SqlFile;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Whether the database answers, and at which schema version, asked without a caller (health is public). */
public final class DatabaseHealth {
    private static final String SCHEMA = SqlFile.load(DatabaseHealth.class, "schema");
    private static final String APPLIED = SqlFile.load(DatabaseHealth.class, "applied");
    /** A probe answers within this even when the database hangs (a load balancer's timeout is a few seconds). */
    static final long PROBE_TIMEOUT_MS = 2_000;

    /** The schema version of the last successful migration, and the platform node's code. */
    record Up(String schemaVersion, String node) {
    }

    private final Pool pool;
    private final List<String> carried;

    /** @param carried the versioned migrations the server carries ({@code Database.carriedVersions()}) */
    public DatabaseHealth(Pool pool, List<String> carried) {
        this.pool = pool;
        this.carried = List.copyOf(carried);
    }

    /** Fails when the database does not answer. */
    Future<Up> check() {
        return pool.query(SCHEMA).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Up(r.getString(0), r.getString(1));
        });
    }

    /**
     * The versioned migrations the server carries that the database has not applied (empty: ready);
     * fails when the database does not answer within {@link #PROBE_TIMEOUT_MS}.
     */
    Future<List<String>> missingMigrations() {
        return pool.query(APPLIED).execute().timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS).map(rows -> {
            Set<String> applied = new HashSet<>(List.of(rows.iterator().next().getArrayOfStrings(0)));
            List<String> missing = new ArrayList<>();
            for (String v : carried) {
                if (!applied.contains(v)) {
                    missing.add(v);
                }
            }
            return missing;
        });
    }
}
