package cn.haizhu.grid.server.health;

import cn.haizhu.grid.data.db.SqlFile;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

/** Whether the database answers, and at which schema version, asked without a caller (health is public). */
public final class DatabaseHealth {
    private static final String SCHEMA = SqlFile.load(DatabaseHealth.class, "schema");

    /** The schema version of the last successful migration, and the platform node's code. */
    record Up(String schemaVersion, String node) {
    }

    private final Pool pool;

    public DatabaseHealth(Pool pool) {
        this.pool = pool;
    }

    /** Fails when the database does not answer. */
    Future<Up> check() {
        return pool.query(SCHEMA).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Up(r.getString(0), r.getString(1));
        });
    }
}
