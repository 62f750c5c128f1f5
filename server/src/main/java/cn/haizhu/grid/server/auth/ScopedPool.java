package cn.haizhu.grid.server.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/**
 * The one way request paths reach the data: a transaction that first switches to the
 * {@code gridctl_app} role and sets the caller's data scope, so PostgreSQL row-level security
 * (V1__foundation.sql) filters every table by it. No endpoint filters by scope on its own.
 */
public final class ScopedPool {
    private static final String ENTER_SCOPE = """
            SELECT set_config('role', 'gridctl_app', true),
                   set_config('gridctl.scope_kind', $1, true),
                   set_config('gridctl.scope_code', $2, true)""";

    private final Pool pool;

    public ScopedPool(Pool pool) {
        this.pool = pool;
    }

    public <T> Future<T> withScope(Caller caller, Function<SqlConnection, Future<T>> work) {
        return pool.withTransaction(conn -> conn.preparedQuery(ENTER_SCOPE)
                .execute(Tuple.of(caller.scope().kind(), caller.scope().code()))
                .compose(ignored -> work.apply(conn)));
    }
}
