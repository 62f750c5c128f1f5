package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * The open cases as the map wall draws them, read in the caller's scope: as compact points, and
 * counted per grid. Open cases change by the minute, so they are never in the cached tiles.
 */
public final class CaseMap {
    /** A wall draws this many case points at most; the district has a few thousand open at a time. */
    static final int MAX_POINTS = 5000;

    private static final String POINTS = SqlFile.load(CaseMap.class, "map_points");
    private static final String BY_GRID = SqlFile.load(CaseMap.class, "open_by_grid");

    private final ScopedPool db;

    public CaseMap(ScopedPool db) {
        this.db = db;
    }

    /** The open cases, the newest first, at most {@link #MAX_POINTS}: {@code {items, total, limit}}. */
    Future<JsonObject> points(Caller caller) {
        return db.withScope(caller, c -> c.preparedQuery(POINTS).execute(Tuple.of(MAX_POINTS))).map(rows -> {
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
            return new JsonObject().put("items", items).put("total", total).put("limit", MAX_POINTS);
        });
    }

    /** Open and overdue cases per grid: {@code {items}}. */
    Future<JsonObject> byGrid(Caller caller) {
        return db.withScope(caller, c -> c.query(BY_GRID).execute()).map(rows -> {
            JsonArray items = new JsonArray();
            for (Row r : rows) {
                items.add(new JsonObject().put("grid", r.getString("grid_code"))
                        .put("open", r.getLong("open")).put("overdue", r.getLong("overdue")));
            }
            return new JsonObject().put("items", items);
        });
    }
}
