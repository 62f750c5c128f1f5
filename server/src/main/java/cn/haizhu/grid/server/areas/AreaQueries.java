package cn.haizhu.grid.server.areas;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Admin areas (district, streets, communities) and unit grids without HTTP: read in the caller's
 * scope (row-level security limits them), as JSON, or as GeoJSON FeatureCollections built in PostGIS.
 */
public final class AreaQueries {
    private static final String AREAS = SqlFile.load(AreaQueries.class, "areas");
    private static final String AREAS_GEOJSON = SqlFile.load(AreaQueries.class, "areas_geojson");
    private static final String AREA = SqlFile.load(AreaQueries.class, "area");
    private static final String GRIDS = SqlFile.load(AreaQueries.class, "grids");
    private static final String GRID_COUNT = SqlFile.load(AreaQueries.class, "grid_count");
    private static final String GRIDS_GEOJSON = SqlFile.load(AreaQueries.class, "grids_geojson");
    private static final String GRID = SqlFile.load(AreaQueries.class, "grid");

    private final ScopedPool db;

    public AreaQueries(ScopedPool db) {
        this.db = db;
    }

    /** The areas of a level and/or under a parent (null: any): {@code {items, total}}, each with its label point and box. */
    Future<JsonObject> areas(Caller caller, String level, String parent) {
        return db.withScope(caller, c -> c.preparedQuery(AREAS).execute(Tuple.of(level, parent))).map(rows -> {
            JsonArray items = new JsonArray();
            for (Row r : rows) {
                items.add(areaJson(r)
                        .put("label", new JsonObject().put("lon", round6(r.getDouble("label_lon"))).put("lat", round6(r.getDouble("label_lat"))))
                        .put("bbox", new JsonArray().add(round6(r.getDouble("w"))).add(round6(r.getDouble("s")))
                                .add(round6(r.getDouble("e"))).add(round6(r.getDouble("n")))));
            }
            return new JsonObject().put("items", items).put("total", items.size());
        });
    }

    /** The same areas as a GeoJSON FeatureCollection (text, as PostGIS wrote it). */
    Future<String> areasGeoJson(Caller caller, String level, String parent) {
        return collection(caller, AREAS_GEOJSON, level, parent);
    }

    /** One area with its box and grid count, or a 404. */
    Future<JsonObject> area(Caller caller, String code) {
        return byCode(caller, AREA, code, "area")
                .map(r -> areaJson(r).put("bbox", new JsonObject(r.getString("bbox"))).put("gridCount", r.getLong("grid_count")));
    }

    /** A page of the grids of a street and/or community (null: any): {@code {items, total, limit, offset}}. */
    Future<JsonObject> grids(Caller caller, String street, String community, int limit, int offset) {
        return db.withScope(caller, c -> c.preparedQuery(GRID_COUNT).execute(Tuple.of(street, community))
                .compose(count -> c.preparedQuery(GRIDS).execute(Tuple.of(street, community, limit, offset))
                        .map(rows -> {
                            JsonArray items = new JsonArray();
                            for (Row r : rows) {
                                // label: a point surely inside the grid, where the wall writes or finds it
                                items.add(gridJson(r).put("label", new JsonObject()
                                        .put("lon", round6(r.getDouble("label_lon"))).put("lat", round6(r.getDouble("label_lat")))));
                            }
                            return new JsonObject().put("items", items).put("total", count.iterator().next().getLong(0))
                                    .put("limit", limit).put("offset", offset);
                        })));
    }

    /** Those grids, all of them, as a GeoJSON FeatureCollection. */
    Future<String> gridsGeoJson(Caller caller, String street, String community) {
        return collection(caller, GRIDS_GEOJSON, street, community);
    }

    /** The grid panel: names, counts, workers on duty (phones masked), geometry; or a 404. */
    Future<JsonObject> grid(Caller caller, String code) {
        return byCode(caller, GRID, code, "grid").map(r -> gridJson(r).put("communityName", r.getString("community_name"))
                .put("streetName", r.getString("street_name"))
                .put("workers", new JsonArray(r.getString("workers")))
                .put("geometry", new JsonObject(r.getString("geometry"))));
    }

    /** The FeatureCollection a GeoJSON query builds from its two filters. */
    private Future<String> collection(Caller caller, String sql, String first, String second) {
        return db.withScope(caller, c -> c.preparedQuery(sql).execute(Tuple.of(first, second)))
                .map(rows -> rows.iterator().next().getString(0));
    }

    /** The one row a query finds by code; none (absent, or outside the caller's scope) is a 404. */
    private Future<Row> byCode(Caller caller, String sql, String code, String what) {
        return db.withScope(caller, c -> c.preparedQuery(sql).execute(Tuple.of(code))).map(rows -> {
            if (!rows.iterator().hasNext()) {
                throw ApiError.notFound(what + " " + code);
            }
            return rows.iterator().next();
        });
    }

    private static JsonObject areaJson(Row r) {
        return new JsonObject().put("code", r.getString("code")).put("level", r.getString("level"))
                .put("name", r.getString("name")).put("parentCode", r.getString("parent_code"))
                .put("streetCode", r.getString("street_code"))
                .put("areaKm2", r.getBigDecimal("area_km2").doubleValue());
    }

    private static JsonObject gridJson(Row r) {
        return new JsonObject().put("code", r.getString("code")).put("name", r.getString("name"))
                .put("communityCode", r.getString("community_code")).put("streetCode", r.getString("street_code"))
                .put("areaKm2", r.getBigDecimal("area_km2").doubleValue())
                .put("houses", r.getInteger("houses")).put("persons", r.getInteger("persons"))
                .put("enterprises", r.getInteger("enterprises"));
    }

    private static double round6(double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }
}
