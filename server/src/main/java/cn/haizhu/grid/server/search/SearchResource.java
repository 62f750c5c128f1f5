package cn.haizhu.grid.server.search;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * The map wall's search box: one query finds streets and communities by name, grids by code or
 * name, enterprises by name or unified social credit code, and houses by address or code, each
 * with a point to fly to and (for areas) the box to fit. Row-level security limits every table to
 * the caller's scope; houses and enterprises only for roles that may read records.
 *
 * <p>Addresses are matched as substrings (an officer types "江南大道中 123" or "晓港湾"), which no
 * B-tree serves; a trigram index would, but it slows every house import, and a parallel scan of
 * the 917k addresses answers in a few hundred ms, stopping early once enough rows match.
 */
public final class SearchResource {
    private static final int MAX_QUERY = 50;
    /** Per kind: enough to choose from, few enough to read at a glance on the wall. */
    private static final int PER_KIND = 6;

    // $1: the LIKE pattern (%q%, wildcards escaped), $2: q itself, $3: houses and enterprises too,
    // $4: q upper-cased (credit codes are written in capitals), $5: rows per kind, $6: the prefix pattern (q%).
    private static final String SQL = """
            (SELECT 'area' AS kind, a.level AS sub_kind, a.code, a.name, NULL::text AS detail,
                    ST_X(ST_PointOnSurface(a.geom)) AS lon, ST_Y(ST_PointOnSurface(a.geom)) AS lat,
                    ST_XMin(a.geom) AS w, ST_YMin(a.geom) AS s, ST_XMax(a.geom) AS e, ST_YMax(a.geom) AS n, 0 AS rank
             FROM admin_area a
             WHERE a.level IN ('street', 'community') AND a.name LIKE $1
             ORDER BY a.level DESC, length(a.name), a.code LIMIT $5)
            UNION ALL
            (SELECT 'grid', NULL, g.code, g.name, g.street_code,
                    ST_X(ST_PointOnSurface(g.geom)), ST_Y(ST_PointOnSurface(g.geom)),
                    ST_XMin(g.geom), ST_YMin(g.geom), ST_XMax(g.geom), ST_YMax(g.geom), 1
             FROM grid g
             WHERE g.code LIKE $6 OR g.name LIKE $1
             ORDER BY g.code LIMIT $5)
            UNION ALL
            (SELECT 'enterprise', e.industry, e.credit_code, e.name, e.address,
                    ST_X(e.geom), ST_Y(e.geom), NULL, NULL, NULL, NULL, 2
             FROM enterprise e
             WHERE $3 AND (e.credit_code = $4 OR e.name LIKE $1)
             ORDER BY e.credit_code <> $4, length(e.name), e.credit_code LIMIT $5)
            UNION ALL
            (SELECT 'house', h.use, h.code, h.address, h.grid_code,
                    ST_X(h.geom), ST_Y(h.geom), NULL, NULL, NULL, NULL, 3
             FROM house h
             WHERE $3 AND (h.code = $2 OR h.address LIKE $1)
             LIMIT $5)
            ORDER BY rank""";

    private final ScopedPool db;

    public SearchResource(ScopedPool db) {
        this.db = db;
    }

    /** GET /api/v1/search?q= */
    public void search(RoutingContext ctx) {
        String q = ctx.queryParams().get("q");
        q = q == null ? "" : q.strip();
        if (q.isEmpty() || q.codePointCount(0, q.length()) > MAX_QUERY) {
            throw ApiError.badRequest("invalid_parameter", "q must be 1 to " + MAX_QUERY + " characters",
                    new JsonObject().put("parameter", "q"));
        }
        int limit = Params.intInRange(ctx, "limit", 1, 20, PER_KIND);
        Caller caller = Caller.of(ctx);
        Tuple args = Tuple.of("%" + likeEscaped(q) + "%", q, caller.can("records.read"), q.toUpperCase(), limit,
                likeEscaped(q) + "%");
        String query = q;
        db.withScope(caller, c -> c.preparedQuery(SQL).execute(args))
                .onSuccess(rows -> {
                    JsonArray items = new JsonArray();
                    for (Row r : rows) {
                        items.add(item(r));
                    }
                    ctx.json(new JsonObject().put("q", query).put("items", items));
                })
                .onFailure(ctx::fail);
    }

    private static JsonObject item(Row r) {
        String kind = r.getString("kind");
        JsonObject item = new JsonObject().put("kind", "area".equals(kind) ? r.getString("sub_kind") : kind)
                .put("code", r.getString("code")).put("name", r.getString("name"))
                .put("lon", r.getDouble("lon")).put("lat", r.getDouble("lat"));
        switch (kind) {
            case "grid" -> item.put("streetCode", r.getString("detail"));
            case "enterprise" -> item.put("industry", r.getString("sub_kind")).put("address", r.getString("detail"));
            case "house" -> item.put("use", r.getString("sub_kind")).put("gridCode", r.getString("detail"));
            default -> { }
        }
        if (r.getDouble("w") != null) {
            item.put("bbox", new JsonArray().add(r.getDouble("w")).add(r.getDouble("s")).add(r.getDouble("e")).add(r.getDouble("n")));
        }
        return item;
    }

    /** q as a literal inside LIKE: its own % and _ (and the escape character) match only themselves. */
    static String likeEscaped(String q) {
        return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
