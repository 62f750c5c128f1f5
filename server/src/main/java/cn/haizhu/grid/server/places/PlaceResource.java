package cn.haizhu.grid.server.places;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.Params;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * One house (房屋) or enterprise (法人单位) over HTTP, as the map wall's detail panel shows it, opened
 * by a click on its tile feature ({@link PlaceQueries} reads it in the caller's scope).
 */
public final class PlaceResource {
    private static final Pattern HOUSE = Pattern.compile("\\d{14,24}");
    private static final Pattern CREDIT_CODE = Pattern.compile("[0-9A-HJ-NPQRTUWXY]{18}");

    private final PlaceQueries places;

    public PlaceResource(PlaceQueries places) {
        this.places = places;
    }

    /** GET /api/v1/houses/{code} */
    public void house(RoutingContext ctx) {
        String code = Params.path(ctx, "code", HOUSE, "a house code of 14-24 digits");
        places.house(Caller.of(ctx), code).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** GET /api/v1/enterprises/{creditCode} */
    public void enterprise(RoutingContext ctx) {
        String code = Params.path(ctx, "creditCode", CREDIT_CODE, "an 18-character unified social credit code");
        places.enterprise(Caller.of(ctx), code).onSuccess(ctx::json).onFailure(ctx::fail);
    }
}
