package cn.haizhu.grid.server.areas;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Admin areas (district, streets, communities) and unit grids, as JSON lists or GeoJSON
 * FeatureCollections (built in PostGIS). Row-level security limits them to the caller's scope.
 */
public final class AreaResource {
    static final Pattern ADMIN_CODE = Pattern.compile("\\d{6}(\\d{3}(\\d{3})?)?");
    static final Pattern STREET_CODE = Pattern.compile("\\d{9}");
    static final Pattern COMMUNITY_CODE = Pattern.compile("\\d{12}");
    static final Pattern GRID_CODE = Pattern.compile("\\d{14}");

    // label: where the wall writes the name, the centre of the largest circle inside the area (its
    // pole of inaccessibility), which stays inside concave shapes where a centroid would not.
    private static final String LIST_AREAS = """
            SELECT code, level, name, parent_code, street_code, round((area_m2 / 1e6)::numeric, 3) AS area_km2,
                   ST_X(l.center) AS label_lon, ST_Y(l.center) AS label_lat,
                   ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n
            FROM admin_area, LATERAL ST_MaximumInscribedCircle(geom) l
            WHERE ($1::text IS NULL OR level = $1) AND ($2::text IS NULL OR parent_code = $2)
            ORDER BY code""";

    private static final String AREAS_GEOJSON = """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', code,
                'properties', json_build_object('code', code, 'level', level, 'name', name,
                                                'parentCode', parent_code, 'streetCode', street_code,
                                                'areaKm2', round((area_m2 / 1e6)::numeric, 3)),
                'geometry', ST_AsGeoJSON(geom, 6)::json) ORDER BY code), '[]'::json))::text
            FROM admin_area
            WHERE ($1::text IS NULL OR level = $1) AND ($2::text IS NULL OR parent_code = $2)""";

    private static final String GET_AREA = """
            SELECT a.code, a.level, a.name, a.parent_code, a.street_code, round((a.area_m2 / 1e6)::numeric, 3) AS area_km2,
                   ST_AsGeoJSON(ST_Envelope(a.geom), 6)::json::text AS bbox,
                   (SELECT count(*) FROM grid g WHERE g.community_code = a.code OR g.street_code = a.code
                                                   OR a.level = 'district') AS grid_count
            FROM admin_area a WHERE a.code = $1""";

    private static final String GRID_FILTER = """
            WHERE ($1::text IS NULL OR g.street_code = $1) AND ($2::text IS NULL OR g.community_code = $2)""";

    private static final String LIST_GRIDS = """
            SELECT g.code, g.name, g.community_code, g.street_code, round((g.area_m2 / 1e6)::numeric, 4) AS area_km2,
                   coalesce(s.house_count, 0) AS houses, coalesce(s.person_count, 0) AS persons,
                   coalesce(s.enterprise_count, 0) AS enterprises,
                   ST_X(p.point) AS label_lon, ST_Y(p.point) AS label_lat
            FROM grid g LEFT JOIN grid_stats s ON s.grid_code = g.code, LATERAL ST_PointOnSurface(g.geom) p (point)
            """ + GRID_FILTER + """
             ORDER BY g.code LIMIT $3 OFFSET $4""";

    private static final String COUNT_GRIDS = "SELECT count(*) FROM grid g " + GRID_FILTER;

    private static final String GRIDS_GEOJSON = """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', g.code,
                'properties', json_build_object('code', g.code, 'name', g.name, 'communityCode', g.community_code,
                                                'streetCode', g.street_code,
                                                'areaKm2', round((g.area_m2 / 1e6)::numeric, 4),
                                                'houses', coalesce(s.house_count, 0),
                                                'persons', coalesce(s.person_count, 0),
                                                'enterprises', coalesce(s.enterprise_count, 0)),
                'geometry', ST_AsGeoJSON(g.geom, 6)::json) ORDER BY g.code), '[]'::json))::text
            FROM grid g LEFT JOIN grid_stats s ON s.grid_code = g.code
            """ + GRID_FILTER;

    private static final String GET_GRID = """
            SELECT g.code, g.name, g.community_code, c.name AS community_name, g.street_code, st.name AS street_name,
                   round((g.area_m2 / 1e6)::numeric, 4) AS area_km2,
                   coalesce(s.house_count, 0) AS houses, coalesce(s.person_count, 0) AS persons,
                   coalesce(s.enterprise_count, 0) AS enterprises,
                   ST_AsGeoJSON(g.geom, 6)::text AS geometry,
                   (SELECT coalesce(json_agg(json_build_object('id', w.id, 'name', w.name, 'phone', w.phone_masked, 'duty', wg.duty)
                                             ORDER BY w.id), '[]'::json)::text
                    FROM grid_worker_grid wg JOIN grid_worker w ON w.id = wg.worker_id
                    WHERE wg.grid_code = g.code AND w.active) AS workers
            FROM grid g
            LEFT JOIN grid_stats s ON s.grid_code = g.code
            LEFT JOIN admin_area c ON c.code = g.community_code
            LEFT JOIN admin_area st ON st.code = g.street_code
            WHERE g.code = $1""";

    private final ScopedPool db;

    public AreaResource(ScopedPool db) {
        this.db = db;
    }

    /** GET /api/v1/areas?level=&parent=&format= */
    public void listAreas(RoutingContext ctx) {
        String level = Params.oneOf(ctx, "level", Set.of("district", "street", "community"), null);
        String parent = Params.optional(ctx, "parent", ADMIN_CODE, "a 6- or 9-digit admin code");
        Tuple args = Tuple.of(level, parent);
        if (Params.wantsGeoJson(ctx)) {
            db.withScope(Caller.of(ctx), c -> c.preparedQuery(AREAS_GEOJSON).execute(args))
                    .onSuccess(rows -> geoJson(ctx, rows)).onFailure(ctx::fail);
            return;
        }
        db.withScope(Caller.of(ctx), c -> c.preparedQuery(LIST_AREAS).execute(args)).onSuccess(rows -> {
            JsonArray items = new JsonArray();
            for (Row r : rows) {
                items.add(areaJson(r)
                        .put("label", new JsonObject().put("lon", round6(r.getDouble("label_lon"))).put("lat", round6(r.getDouble("label_lat"))))
                        .put("bbox", new JsonArray().add(round6(r.getDouble("w"))).add(round6(r.getDouble("s")))
                                .add(round6(r.getDouble("e"))).add(round6(r.getDouble("n")))));
            }
            ctx.json(new JsonObject().put("items", items).put("total", items.size()));
        }).onFailure(ctx::fail);
    }

    /** GET /api/v1/areas/:code */
    public void getArea(RoutingContext ctx) {
        String code = pathCode(ctx, ADMIN_CODE, "a 6-, 9- or 12-digit admin code");
        db.withScope(Caller.of(ctx), c -> c.preparedQuery(GET_AREA).execute(Tuple.of(code))).onSuccess(rows -> {
            if (!rows.iterator().hasNext()) {
                ctx.fail(ApiError.notFound("area " + code));
                return;
            }
            Row r = rows.iterator().next();
            ctx.json(areaJson(r).put("bbox", new JsonObject(r.getString("bbox"))).put("gridCount", r.getLong("grid_count")));
        }).onFailure(ctx::fail);
    }

    /** GET /api/v1/grids?street=&community=&format=&limit=&offset= */
    public void listGrids(RoutingContext ctx) {
        String street = Params.optional(ctx, "street", STREET_CODE, "a 9-digit street code");
        String community = Params.optional(ctx, "community", COMMUNITY_CODE, "a 12-digit community code");
        if (Params.wantsGeoJson(ctx)) {
            db.withScope(Caller.of(ctx), c -> c.preparedQuery(GRIDS_GEOJSON).execute(Tuple.of(street, community)))
                    .onSuccess(rows -> geoJson(ctx, rows)).onFailure(ctx::fail);
            return;
        }
        int limit = Params.intInRange(ctx, "limit", 1, 5000, 500);
        int offset = Params.intInRange(ctx, "offset", 0, cn.haizhu.grid.server.http.Cursor.MAX_OFFSET, 0);
        db.withScope(Caller.of(ctx), c -> c.preparedQuery(COUNT_GRIDS).execute(Tuple.of(street, community))
                .compose(count -> c.preparedQuery(LIST_GRIDS).execute(Tuple.of(street, community, limit, offset))
                        .map(rows -> {
                            JsonArray items = new JsonArray();
                            for (Row r : rows) {
                                // label: a point surely inside the grid, where the wall writes or finds it
                                items.add(gridJson(r).put("label", new JsonObject()
                                        .put("lon", round6(r.getDouble("label_lon"))).put("lat", round6(r.getDouble("label_lat")))));
                            }
                            return new JsonObject().put("items", items).put("total", count.iterator().next().getLong(0))
                                    .put("limit", limit).put("offset", offset);
                        })))
                .onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** GET /api/v1/grids/:code — the grid panel: names, counts, workers on duty (phones masked), geometry. */
    public void getGrid(RoutingContext ctx) {
        String code = pathCode(ctx, GRID_CODE, "a 14-digit grid code");
        db.withScope(Caller.of(ctx), c -> c.preparedQuery(GET_GRID).execute(Tuple.of(code))).onSuccess(rows -> {
            if (!rows.iterator().hasNext()) {
                ctx.fail(ApiError.notFound("grid " + code));
                return;
            }
            Row r = rows.iterator().next();
            ctx.json(gridJson(r).put("communityName", r.getString("community_name"))
                    .put("streetName", r.getString("street_name"))
                    .put("workers", new JsonArray(r.getString("workers")))
                    .put("geometry", new JsonObject(r.getString("geometry"))));
        }).onFailure(ctx::fail);
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

    private static void geoJson(RoutingContext ctx, RowSet<Row> rows) {
        ctx.response().putHeader("Content-Type", "application/geo+json; charset=utf-8")
                .end(rows.iterator().next().getString(0));
    }

    private static double round6(double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }

    static String pathCode(RoutingContext ctx, Pattern shape, String describe) {
        String code = ctx.pathParam("code");
        if (code == null || !shape.matcher(code).matches()) {
            throw ApiError.badRequest("invalid_code", "the code in the path must be " + describe);
        }
        return code;
    }
}
