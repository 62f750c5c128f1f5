package cn.haizhu.grid.server.areas;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Cursor;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Admin areas (district, streets, communities) and unit grids over HTTP, as JSON lists or GeoJSON
 * FeatureCollections ({@link AreaQueries} reads them in the caller's scope).
 */
public final class AreaResource {
    static final Pattern ADMIN_CODE = Pattern.compile("\\d{6}(\\d{3}(\\d{3})?)?");
    static final Pattern STREET_CODE = Pattern.compile("\\d{9}");
    static final Pattern COMMUNITY_CODE = Pattern.compile("\\d{12}");
    static final Pattern GRID_CODE = Pattern.compile("\\d{14}");

    private final AreaQueries areas;

    public AreaResource(AreaQueries areas) {
        this.areas = areas;
    }

    /** GET /api/v1/areas?level=&parent=&format= */
    public void listAreas(RoutingContext ctx) {
        String level = Params.oneOf(ctx, "level", Set.of("city", "district", "street", "community"), null);
        String parent = Params.optional(ctx, "parent", ADMIN_CODE, "a 6- or 9-digit admin code");
        if (Params.wantsGeoJson(ctx)) {
            geoJson(ctx, areas.areasGeoJson(Caller.of(ctx), level, parent));
            return;
        }
        areas.areas(Caller.of(ctx), level, parent).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** GET /api/v1/areas/:code */
    public void getArea(RoutingContext ctx) {
        String code = pathCode(ctx, ADMIN_CODE, "a 6-, 9- or 12-digit admin code");
        areas.area(Caller.of(ctx), code).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** GET /api/v1/grids?street=&community=&format=&limit=&offset= */
    public void listGrids(RoutingContext ctx) {
        String street = Params.optional(ctx, "street", STREET_CODE, "a 9-digit street code");
        String community = Params.optional(ctx, "community", COMMUNITY_CODE, "a 12-digit community code");
        if (Params.wantsGeoJson(ctx)) {
            geoJson(ctx, areas.gridsGeoJson(Caller.of(ctx), street, community));
            return;
        }
        int limit = Params.intInRange(ctx, "limit", 1, 5000, 500);
        int offset = Params.intInRange(ctx, "offset", 0, Cursor.MAX_OFFSET, 0);
        areas.grids(Caller.of(ctx), street, community, limit, offset).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** GET /api/v1/grids/:code — the grid panel: names, counts, workers on duty (phones masked), geometry. */
    public void getGrid(RoutingContext ctx) {
        String code = pathCode(ctx, GRID_CODE, "a 14-digit grid code");
        areas.grid(Caller.of(ctx), code).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private static void geoJson(RoutingContext ctx, Future<String> collection) {
        collection.onSuccess(json -> ctx.response().putHeader("Content-Type", "application/geo+json; charset=utf-8").end(json))
                .onFailure(ctx::fail);
    }

    static String pathCode(RoutingContext ctx, Pattern shape, String describe) {
        String code = ctx.pathParam("code");
        if (code == null || !shape.matcher(code).matches()) {
            throw ApiError.badRequest("invalid_code", "the code in the path must be " + describe);
        }
        return code;
    }
}
