package cn.haizhu.grid.server.auth;

import cn.haizhu.grid.data.db.SqlFile;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way request paths reach the data: a transaction on the request role's pool (it logs in as
 * {@code gridctl_app}, never as the owner: RequestRole) that first sets the caller's data scope (and
 * grid worker id, V15, and user name, V23: the photos they sent), so PostgreSQL row-level security
 * (V1__foundation.sql) filters every table by it. A connection that set no scope sees no scoped row.
 * No endpoint filters by scope on its own.
 */
public final class ScopedPool {
    private static final String ENTER_SCOPE = SqlFile.load(ScopedPool.class, "enter_scope");
    /** The same, plus serial plans for this transaction only (see {@link #withSerialScope}). */
    private static final String ENTER_SERIAL_SCOPE = SqlFile.load(ScopedPool.class, "enter_serial_scope");

    private final Supplier<Pool> pool;

    public ScopedPool(Pool pool) {
        this(() -> pool);
    }

    /**
     * Each transaction on the pool {@code pools} names at its start: the reads that may use a standby
     * (StandbyReads) ask it whether the standby is close enough behind. Everything here is a
     * {@code set_config} and the caller's work, so a read-only standby serves it as the primary does.
     */
    public ScopedPool(Supplier<Pool> pools) {
        this.pool = pools;
    }

    public <T> Future<T> withScope(Caller caller, Function<SqlConnection, Future<T>> work) {
        return enter(ENTER_SCOPE, caller, work);
    }

    /**
     * {@link #withScope} with parallel query off for the transaction ({@code SET LOCAL
     * max_parallel_workers_per_gather = 0}), in the same round trip. For many small index lookups
     * such as map tiles: on 2 cores their parallel plans were up to 9x slower (docs/DOMAIN.md).
     */
    public <T> Future<T> withSerialScope(Caller caller, Function<SqlConnection, Future<T>> work) {
        return enter(ENTER_SERIAL_SCOPE, caller, work);
    }

    private <T> Future<T> enter(String sql, Caller caller, Function<SqlConnection, Future<T>> work) {
        return pool.get().withTransaction(conn -> conn.preparedQuery(sql)
                .execute(Tuple.of(caller.scope().kind(), caller.scope().code(),
                        caller.workerId() == null ? "" : caller.workerId().toString(), caller.username()))
                .compose(ignored -> work.apply(conn)));
    }
}
