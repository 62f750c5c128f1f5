package cn.haizhu.grid.server.places;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * One house or enterprise as the wall's detail panel shows it, read in the caller's scope: a place
 * outside it is not found, the same as one that does not exist. Only the place itself: its residents
 * come from the persons API, which masks them.
 */
public final class PlaceQueries {
    private static final String HOUSE = SqlFile.load(PlaceQueries.class, "house");
    private static final String ENTERPRISE = SqlFile.load(PlaceQueries.class, "enterprise");

    private final ScopedPool db;

    public PlaceQueries(ScopedPool db) {
        this.db = db;
    }

    /** The house of this code, or a 404. */
    Future<JsonObject> house(Caller caller, String code) {
        return byCode(caller, HOUSE, code, "house").map(r -> where(r).put("code", r.getString("code"))
                .put("address", r.getString("address"))
                .put("building", r.getString("building")).put("unit", r.getString("unit"))
                .put("floor", r.getInteger("floor")).put("room", r.getString("room"))
                .put("use", r.getString("use")).put("residents", r.getLong("residents")));
    }

    /** The enterprise of this credit code, or a 404. */
    Future<JsonObject> enterprise(Caller caller, String creditCode) {
        return byCode(caller, ENTERPRISE, creditCode, "enterprise").map(r -> where(r)
                .put("creditCode", r.getString("credit_code")).put("name", r.getString("name"))
                .put("industry", r.getString("industry")).put("legalPerson", r.getString("legal_person"))
                .put("address", r.getString("address")));
    }

    private Future<Row> byCode(Caller caller, String sql, String code, String what) {
        return db.withScope(caller, c -> c.preparedQuery(sql).execute(Tuple.of(code))).map(rows -> {
            if (rows.size() == 0) {
                throw ApiError.notFound(what + " " + code);
            }
            return rows.iterator().next();
        });
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
