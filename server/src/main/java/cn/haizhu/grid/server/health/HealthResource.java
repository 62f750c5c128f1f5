package cn.haizhu.grid.server.health;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The probes, open to all (load balancers, orchestrators, the launcher): GET /health says whether the
 * database answers and its schema version; GET /health/live whether the server answers at all (its
 * event loop runs: restart it when not); GET /health/ready whether it can serve (the database answers
 * and holds every migration the server carries: send it traffic only then). Answers name no record,
 * no user and no address.
 */
public final class HealthResource {
    private final DatabaseHealth database;

    public HealthResource(DatabaseHealth database) {
        this.database = database;
    }

    public void health(RoutingContext ctx) {
        database.check().onSuccess(up -> ctx.json(new JsonObject().put("status", "ok").put("database", "up")
                .put("schemaVersion", up.schemaVersion()).put("node", up.node())))
                .onFailure(err -> unavailable(ctx, new JsonObject().put("database", "down"), "database_unavailable",
                        "the database does not answer", new JsonObject()));
    }

    /** GET /health/live: answered by the event loop itself, without the database. */
    public void live(RoutingContext ctx) {
        ctx.response().putHeader("Cache-Control", "no-store");
        ctx.json(new JsonObject().put("status", "up"));
    }

    /** GET /health/ready: 200 when the database answers and has every migration applied, else 503 saying which. */
    public void ready(RoutingContext ctx) {
        ctx.response().putHeader("Cache-Control", "no-store");
        database.missingMigrations().onSuccess(missing -> {
            if (missing.isEmpty()) {
                ctx.json(new JsonObject().put("status", "ready").put("database", "up").put("migrations", "applied"));
            } else {
                unavailable(ctx, new JsonObject().put("database", "up").put("migrations", "missing"), "migrations_missing",
                        "the database lacks migrations this server needs: start the server once against it (it migrates on start)",
                        new JsonObject().put("missing", new JsonArray(missing)));
            }
        }).onFailure(err -> unavailable(ctx, new JsonObject().put("database", "down"), "database_unavailable",
                "the database does not answer", new JsonObject()));
    }

    /** 503 in the one error format, with the probe's own fields beside it. */
    private static void unavailable(RoutingContext ctx, JsonObject state, String code, String message, JsonObject details) {
        ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                .end(state.put("status", "unavailable")
                        .put("error", new JsonObject().put("code", code).put("message", message).put("details", details))
                        .encode());
    }
}
