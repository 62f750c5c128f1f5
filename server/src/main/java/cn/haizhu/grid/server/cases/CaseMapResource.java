package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Cases as the map wall draws them. Open cases change by the minute, so they are never in the
 * cached tiles: the wall loads them once from here, then follows the case events (SSE) and asks
 * again only after a gap in the stream.
 *
 * <ul>
 *   <li>{@code GET /api/v1/cases/map}: the open cases as compact points, the newest first, capped;</li>
 *   <li>{@code GET /api/v1/cases/by-grid}: open and overdue cases per grid, which colour the grids
 *       when the wall's metric is 在办案件 or 超期案件.</li>
 * </ul>
 */
public final class CaseMapResource {
    /** A wall draws this many case points at most; the district has a few thousand open at a time. */
    static final int MAX_POINTS = 5000;

    private static final String POINTS = """
            SELECT c.gid, c.case_number, c.state, c.category_code, left(c.title, 100) AS title, c.urgency,
                   c.grid_code, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.deadline, c.escalation_level,
                   c.deadline < now() AS overdue, c.created_at, count(*) OVER () AS total
            FROM civic_case c
            WHERE\s""" + CaseResource.OPEN + """
            ORDER BY c.created_at DESC, c.gid
            LIMIT $1""";

    private static final String BY_GRID = """
            SELECT c.grid_code, count(*) AS open, count(*) FILTER (WHERE c.deadline < now()) AS overdue
            FROM civic_case c
            WHERE c.grid_code IS NOT NULL AND\s""" + CaseResource.OPEN + """
            GROUP BY c.grid_code
            ORDER BY c.grid_code""";

    private final ScopedPool db;

    public CaseMapResource(ScopedPool db) {
        this.db = db;
    }

    /** GET /api/v1/cases/map */
    public void points(RoutingContext ctx) {
        db.withScope(Caller.of(ctx), c -> c.preparedQuery(POINTS).execute(Tuple.of(MAX_POINTS)))
                .onSuccess(rows -> {
                    JsonArray items = new JsonArray();
                    long total = 0;
                    for (Row r : rows) {
                        total = r.getLong("total");
                        items.add(new JsonObject().put("id", r.getUUID("gid").toString())
                                .put("number", r.getString("case_number")).put("state", r.getString("state"))
                                .put("category", r.getString("category_code")).put("title", r.getString("title"))
                                .put("urgency", r.getString("urgency")).put("gridCode", r.getString("grid_code"))
                                .put("lon", r.getDouble("lon")).put("lat", r.getDouble("lat"))
                                .put("deadline", r.getOffsetDateTime("deadline") == null ? null : r.getOffsetDateTime("deadline").toString())
                                .put("overdue", Boolean.TRUE.equals(r.getBoolean("overdue")))
                                .put("escalation", r.getInteger("escalation_level"))
                                .put("createdAt", r.getOffsetDateTime("created_at").toString()));
                    }
                    ctx.json(new JsonObject().put("items", items).put("total", total).put("limit", MAX_POINTS));
                })
                .onFailure(ctx::fail);
    }

    /** GET /api/v1/cases/by-grid */
    public void byGrid(RoutingContext ctx) {
        db.withScope(Caller.of(ctx), c -> c.query(BY_GRID).execute())
                .onSuccess(rows -> {
                    JsonArray items = new JsonArray();
                    for (Row r : rows) {
                        items.add(new JsonObject().put("grid", r.getString("grid_code"))
                                .put("open", r.getLong("open")).put("overdue", r.getLong("overdue")));
                    }
                    ctx.json(new JsonObject().put("items", items));
                })
                .onFailure(ctx::fail);
    }
}
