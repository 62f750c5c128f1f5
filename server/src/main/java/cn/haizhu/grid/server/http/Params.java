package cn.haizhu.grid.server.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Query parameters checked against what they may be; a bad one is a 400 naming it. Every query
 * parameter a handler reads goes through here, and only one its route's operation declares in
 * {@code api/openapi.json} is read ({@link ApiDocument}); ParamsOnlyTest keeps other reads out.
 */
public final class Params {
    private Params() {
    }

    /** A query parameter as sent (null when absent), for a handler that checks it its own way. */
    public static String text(RoutingContext ctx, String name) {
        ApiDocument.get().requireDeclared(ctx, name);
        return ctx.queryParams().get(name);
    }

    public static String optional(RoutingContext ctx, String name, Pattern shape, String describe) {
        String v = text(ctx, name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (!shape.matcher(v).matches()) {
            throw ApiError.badRequest("invalid_parameter", name + " must be " + describe + ", got '" + clip(v) + "'",
                    new io.vertx.core.json.JsonObject().put("parameter", name));
        }
        return v;
    }

    /**
     * Refuses (400, naming it) a query parameter the route's operation does not declare, for routes
     * whose standard asks that (OGC API – Features: a parameter a server does not know must not be
     * ignored, or a client would take an unfiltered answer for a filtered one).
     */
    public static void onlyDeclared(RoutingContext ctx) {
        java.util.Set<String> declared = ApiDocument.get().declaredOf(ctx);
        for (String name : ctx.queryParams().names()) {
            if (declared == null || !declared.contains(name)) {
                throw ApiError.badRequest("unknown_parameter", "this operation has no query parameter '" + clip(name) + "'",
                        new io.vertx.core.json.JsonObject().put("parameter", clip(name)));
            }
        }
    }

    /** A path parameter of the given shape; anything else is a 400 naming it. */
    public static String path(RoutingContext ctx, String name, Pattern shape, String describe) {
        String v = ctx.pathParam(name);
        if (v == null || !shape.matcher(v).matches()) {
            throw ApiError.badRequest("invalid_parameter", name + " must be " + describe + ", got '" + clip(String.valueOf(v)) + "'",
                    new io.vertx.core.json.JsonObject().put("parameter", name));
        }
        return v;
    }

    public static String oneOf(RoutingContext ctx, String name, Set<String> allowed, String fallback) {
        String v = text(ctx, name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        if (!allowed.contains(v)) {
            throw ApiError.badRequest("invalid_parameter", name + " must be one of " + allowed + ", got '" + clip(v) + "'",
                    new io.vertx.core.json.JsonObject().put("parameter", name));
        }
        return v;
    }

    public static int intInRange(RoutingContext ctx, String name, int min, int max, int fallback) {
        return (int) longInRange(ctx, name, min, max, fallback);
    }

    public static long longInRange(RoutingContext ctx, String name, long min, long max, long fallback) {
        String v = text(ctx, name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            long i = Long.parseLong(v);
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid_parameter", name + " must be a whole number from " + min + " to " + max
                    + ", got '" + clip(v) + "'", new io.vertx.core.json.JsonObject().put("parameter", name));
        }
    }

    public static boolean flag(RoutingContext ctx, String name) {
        String v = oneOf(ctx, name, Set.of("true", "false", "1", "0"), "false");
        return v.equals("true") || v.equals("1");
    }

    /** True when the caller asked for GeoJSON (format=geojson or Accept: application/geo+json). */
    public static boolean wantsGeoJson(RoutingContext ctx) {
        String format = oneOf(ctx, "format", Set.of("json", "geojson"), null);
        if (format != null) {
            return format.equals("geojson");
        }
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.contains("application/geo+json");
    }

    private static String clip(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "…" : v;
    }
}
