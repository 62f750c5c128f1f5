package cn.haizhu.grid.server.health;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** GET /health: open to all (load balancers, the launcher); says whether the database answers and its schema version. */
public final class HealthResource {
    private final DatabaseHealth database;

    public HealthResource(DatabaseHealth database) {
        this.database = database;
    }

    public void health(RoutingContext ctx) {
        database.check().onSuccess(up -> ctx.json(new JsonObject().put("status", "ok").put("database", "up")
                .put("schemaVersion", up.schemaVersion()).put("node", up.node())))
                .onFailure(err -> ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("status", "unavailable").put("database", "down")
                                .put("error", new JsonObject().put("code", "database_unavailable")
                                        .put("message", "the database does not answer").put("details", new JsonObject()))
                                .encode()));
    }
}
