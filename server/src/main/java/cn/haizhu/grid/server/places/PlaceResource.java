package cn.haizhu.grid.server.places;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.regex.Pattern;

/**
 * One house (房屋) or enterprise (法人单位) as the map wall's detail panel shows it, opened by a click
 * on its tile feature. Only the place itself: its residents come from the persons API, which masks
 * their ID numbers and phones unless the caller's role may see them. Row-level security answers 404
 * for a place outside the caller's scope, the same as for one that does not exist.
 */
public final class PlaceResource {
    private static final Pattern HOUSE = Pattern.compile("\\d{14,24}");
    private static final Pattern CREDIT_CODE = Pattern.compile("[0-9A-HJ-NPQRTUWXY]{18}");

    private static final String HOUSE_SQL = """
            SELECT h.code, h.address, h.building, h.unit, h.floor, h.room, h.use,
                   ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat,
                   h.grid_code, g.name AS grid_name, h.community_code, c.name AS community_name,
                   h.street_code, s.name AS street_name, h.updated_at,
                   (SELECT count(*) FROM person p WHERE p.house_code = h.code) AS residents
            FROM house h
            LEFT JOIN grid g ON g.code = h.grid_code
            LEFT JOIN admin_area c ON c.code = h.community_code
            LEFT JOIN admin_area s ON s.code = h.street_code
            WHERE h.code = $1""";

    private static final String ENTERPRISE_SQL = """
            SELECT e.credit_code, e.name, e.industry, e.legal_person, e.address,
                   ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat,
                   e.grid_code, g.name AS grid_name, e.community_code, c.name AS community_name,
                   e.street_code, s.name AS street_name, e.updated_at
            FROM enterprise e
            LEFT JOIN grid g ON g.code = e.grid_code
            LEFT JOIN admin_area c ON c.code = e.community_code
            LEFT JOIN admin_area s ON s.code = e.street_code
            WHERE e.credit_code = $1""";

    private final ScopedPool db;

    public PlaceResource(ScopedPool db) {
        this.db = db;
    }

    /** GET /api/v1/houses/{code} */
    public void house(RoutingContext ctx) {
        String code = Params.path(ctx, "code", HOUSE, "a house code of 14-24 digits");
        // map, not onSuccess: a 404 thrown there becomes the failure that answers the request
        db.withScope(Caller.of(ctx), c -> c.preparedQuery(HOUSE_SQL).execute(Tuple.of(code)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiError.notFound("house " + code);
                    }
                    Row r = rows.iterator().next();
                    return where(r).put("code", r.getString("code")).put("address", r.getString("address"))
                            .put("building", r.getString("building")).put("unit", r.getString("unit"))
                            .put("floor", r.getInteger("floor")).put("room", r.getString("room"))
                            .put("use", r.getString("use")).put("residents", r.getLong("residents"));
                })
                .onSuccess(ctx::json)
                .onFailure(ctx::fail);
    }

    /** GET /api/v1/enterprises/{creditCode} */
    public void enterprise(RoutingContext ctx) {
        String code = Params.path(ctx, "creditCode", CREDIT_CODE, "an 18-character unified social credit code");
        db.withScope(Caller.of(ctx), c -> c.preparedQuery(ENTERPRISE_SQL).execute(Tuple.of(code)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiError.notFound("enterprise " + code);
                    }
                    Row r = rows.iterator().next();
                    return where(r).put("creditCode", r.getString("credit_code")).put("name", r.getString("name"))
                            .put("industry", r.getString("industry")).put("legalPerson", r.getString("legal_person"))
                            .put("address", r.getString("address"));
                })
                .onSuccess(ctx::json)
                .onFailure(ctx::fail);
    }

    /** Where a place is: its point and the grid, community and street it lies in. */
    private static JsonObject where(Row r) {
        return new JsonObject()
                .put("location", new JsonObject().put("lon", r.getDouble("lon")).put("lat", r.getDouble("lat")))
                .put("gridCode", r.getString("grid_code")).put("gridName", r.getString("grid_name"))
                .put("communityCode", r.getString("community_code")).put("communityName", r.getString("community_name"))
                .put("streetCode", r.getString("street_code")).put("streetName", r.getString("street_name"))
                .put("updatedAt", r.getOffsetDateTime("updated_at").toString());
    }
}
