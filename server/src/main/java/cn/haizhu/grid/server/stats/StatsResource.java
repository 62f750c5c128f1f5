package cn.haizhu.grid.server.stats;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;

/** District totals and the same per street (in the caller's scope), from the per-grid counts. */
public final class StatsResource {
    private static final String PER_STREET = """
            SELECT st.code, st.name,
                   count(g.code) AS grids,
                   coalesce(sum(s.house_count), 0) AS houses,
                   coalesce(sum(s.person_count), 0) AS persons,
                   coalesce(sum(s.enterprise_count), 0) AS enterprises,
                   (SELECT count(*) FROM admin_area c WHERE c.parent_code = st.code) AS communities
            FROM admin_area st
            LEFT JOIN grid g ON g.street_code = st.code
            LEFT JOIN grid_stats s ON s.grid_code = g.code
            WHERE st.level = 'street'
            GROUP BY st.code, st.name
            ORDER BY st.code""";

    private static final String DISTRICT = "SELECT code, name FROM admin_area WHERE level = 'district' ORDER BY code LIMIT 1";

    private final ScopedPool db;

    public StatsResource(ScopedPool db) {
        this.db = db;
    }

    /** GET /api/v1/stats/district */
    public void district(RoutingContext ctx) {
        db.withScope(Caller.of(ctx), c -> c.query(DISTRICT).execute()
                .compose(d -> c.query(PER_STREET).execute().map(streets -> {
                    JsonArray perStreet = new JsonArray();
                    long grids = 0, houses = 0, persons = 0, enterprises = 0, communities = 0;
                    for (Row r : streets) {
                        JsonObject s = new JsonObject().put("code", r.getString("code")).put("name", r.getString("name"))
                                .put("communities", r.getLong("communities"))
                                .put("grids", r.getLong("grids")).put("houses", r.getLong("houses"))
                                .put("persons", r.getLong("persons")).put("enterprises", r.getLong("enterprises"));
                        perStreet.add(s);
                        grids += r.getLong("grids");
                        houses += r.getLong("houses");
                        persons += r.getLong("persons");
                        enterprises += r.getLong("enterprises");
                        communities += r.getLong("communities");
                    }
                    Row district = d.iterator().hasNext() ? d.iterator().next() : null;
                    return new JsonObject()
                            .put("district", district == null ? null
                                    : new JsonObject().put("code", district.getString("code")).put("name", district.getString("name")))
                            .put("scope", new JsonObject().put("kind", Caller.of(ctx).scope().kind())
                                    .put("code", Caller.of(ctx).scope().code()))
                            .put("totals", new JsonObject().put("streets", perStreet.size()).put("communities", communities)
                                    .put("grids", grids).put("houses", houses).put("persons", persons)
                                    .put("enterprises", enterprises))
                            .put("streets", perStreet);
                })))
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }
}
