package cn.haizhu.grid.server.health;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/** GET /health: open to all (load balancers, the launcher); says whether the database answers and its schema version. */
public final class HealthResource {
    private static final String SCHEMA = """
            SELECT (SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1),
                   (SELECT code FROM platform_node)""";
    private final Pool pool;

    public HealthResource(Pool pool) {
        this.pool = pool;
    }

    public void health(RoutingContext ctx) {
        pool.query(SCHEMA).execute().onSuccess(rows -> {
            var r = rows.iterator().next();
            ctx.json(new JsonObject().put("status", "ok").put("database", "up")
                    .put("schemaVersion", r.getString(0)).put("node", r.getString(1)));
        }).onFailure(err -> ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", "unavailable").put("database", "down")
                        .put("error", new JsonObject().put("code", "database_unavailable")
                                .put("message", "the database does not answer").put("details", new JsonObject()))
                        .encode()));
    }
}
