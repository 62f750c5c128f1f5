package cn.haizhu.grid.server.tiles;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.ETags;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Map tiles over HTTP: XYZ ({@code /tiles/{layer}/{z}/{x}/{y}.mvt}), the same tiles on the OGC API –
 * Tiles path ({@code /collections/{layer}/tiles/WebMercatorQuad/{z}/{row}/{col}}), TileJSON 3.0 per
 * layer, and the feed of changed boxes. Tiles are revalidated by ETag on every use
 * ({@code Cache-Control: private, no-cache}): a 304 costs one cache lookup. The cache serves whatever
 * the request's own Cache-Control says: it is kept current by eviction, not by clients.
 */
public final class TileResource {
    public static final String MVT = "application/vnd.mapbox-vector-tile";
    /** XYZ route: layer, z, x, y. Named groups: their names are the path parameters of api/openapi.json. */
    public static final String XYZ_PATH = "^/tiles/(?<layer>[^/]+)/(?<z>[^/]+)/(?<x>[^/]+)/(?<y>[^/]+)\\.mvt$";
    /** OGC API – Tiles route, with that standard's names: layer, z, row (= y), col (= x). */
    public static final String OGC_PATH =
            "^/collections/(?<collectionId>[^/]+)/tiles/WebMercatorQuad/(?<tileMatrix>[^/]+)/(?<tileRow>[^/]+)/(?<tileCol>[^/]+)$";
    public static final String TILEJSON_PATH = "^/tiles/(?<layer>[^/]+)\\.json$";

    private final TileService tiles;
    private final GridConfig.BaseMap baseMap;

    public TileResource(TileService tiles, GridConfig.BaseMap baseMap) {
        this.tiles = tiles;
        this.baseMap = baseMap;
    }

    /** The wall's configured base map, or null: its tile host is where pages may load images from. */
    public GridConfig.BaseMap baseMap() {
        return baseMap;
    }

    /** GET /tiles/{layer}/{z}/{x}/{y}.mvt */
    public void xyz(RoutingContext ctx) {
        serve(ctx, ctx.pathParam("layer"), ctx.pathParam("z"), ctx.pathParam("x"), ctx.pathParam("y"));
    }

    /** GET /collections/{layer}/tiles/WebMercatorQuad/{z}/{row}/{col}: row is y, col is x. */
    public void ogc(RoutingContext ctx) {
        serve(ctx, ctx.pathParam("collectionId"), ctx.pathParam("tileMatrix"), ctx.pathParam("tileCol"), ctx.pathParam("tileRow"));
    }

    private void serve(RoutingContext ctx, String layerName, String z, String x, String y) {
        TileLayer layer = layer(layerName);
        TileCoord c = TileCoord.parse(z, x, y);
        if (!layer.servesZoom(c.z())) {
            throw new ApiError(404, "not_found", "layer " + layer.name() + " is served from zoom " + layer.minZoom()
                    + " to " + layer.maxZoom() + ", not at " + c.z(), new JsonObject()
                    .put("minzoom", layer.minZoom()).put("maxzoom", layer.maxZoom()));
        }
        if (!tiles.inBounds(c)) {
            throw new ApiError(404, "not_found", "tile " + c.z() + "/" + c.x() + "/" + c.y() + " is outside the bounds of "
                    + layer.name(), null);
        }
        Caller caller = Caller.of(ctx);
        // A request's Cache-Control (no-cache from a hard reload, or from anyone who wants to load the
        // database) is not obeyed: the cached tile is current, as every change evicts what it touched,
        // and the client revalidates it by its ETag. Only a miss renders.
        TileCache.Tile hit = tiles.cached(caller, layer, c);
        if (hit != null) {
            send(ctx, hit, "hit");
            return;
        }
        tiles.render(caller, layer, c).onSuccess(tile -> send(ctx, tile, "miss")).onFailure(ctx::fail);
    }

    /** {@code X-Tile-Cache} says whether the server had the tile (for benchmarks and tests, like a CDN's header). */
    private static void send(RoutingContext ctx, TileCache.Tile tile, String cache) {
        var response = ctx.response()
                .putHeader("X-Tile-Cache", cache)
                .putHeader("ETag", tile.etag())
                .putHeader("Cache-Control", "private, no-cache");
        if (matches(ctx.request().getHeader("If-None-Match"), tile.etag())) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("Content-Type", MVT).end(tile.body());
    }

    /** If-None-Match: "*", one tag or a list ({@link ETags#matches}). */
    static boolean matches(String ifNoneMatch, String etag) {
        return ETags.matches(ifNoneMatch, etag);
    }

    /** GET /tiles/{layer}.json: TileJSON 3.0.0. */
    public void tileJson(RoutingContext ctx) {
        TileLayer layer = layer(ctx.pathParam("layer"));
        TileCoord.Box b = tiles.bounds();
        double[] deg = b == null ? new double[] {-180, -85.0511, 180, 85.0511} : b.degrees();
        int centerZoom = Math.max(layer.minZoom(), 12);
        JsonObject fields = new JsonObject();
        for (Map.Entry<String, String> f : layer.fields().entrySet()) {
            fields.put(f.getKey(), f.getValue());
        }
        JsonObject json = new JsonObject()
                .put("tilejson", "3.0.0")
                .put("name", layer.name())
                .put("description", layer.description())
                .put("scheme", "xyz")
                .put("tiles", new JsonArray().add(origin(ctx) + "/tiles/" + layer.name() + "/{z}/{x}/{y}.mvt"))
                .put("minzoom", layer.minZoom())
                .put("maxzoom", layer.maxZoom())
                .put("bounds", boundsJson(deg))
                .put("center", new JsonArray().add(round((deg[0] + deg[2]) / 2)).add(round((deg[1] + deg[3]) / 2)).add(centerZoom))
                .put("vector_layers", new JsonArray().add(new JsonObject()
                        .put("id", layer.name()).put("description", layer.description()).put("fields", fields)
                        .put("minzoom", layer.minZoom()).put("maxzoom", layer.maxZoom())));
        ctx.response().putHeader("Cache-Control", "private, no-cache");
        ctx.json(json);
    }

    /**
     * GET /api/v1/map-config: what the wall needs to set up its map: the configured base map (or
     * null), the zoom band of each tile layer and the tile set's bounds [west, south, east, north].
     */
    public void mapConfig(RoutingContext ctx) {
        JsonObject layers = new JsonObject();
        for (TileLayer layer : tiles.layers().all()) {
            layers.put(layer.name(), new JsonObject().put("minzoom", layer.minZoom()).put("maxzoom", layer.maxZoom()));
        }
        JsonObject base = baseMap == null ? null : new JsonObject().put("url", baseMap.url())
                .put("offset", baseMap.offset()).put("attribution", baseMap.attribution());
        // the tile set's bounds (TileJSON's): the wall asks for no tile outside them
        TileCoord.Box b = tiles.bounds();
        ctx.json(new JsonObject().put("baseMap", base).put("layers", layers)
                .put("bounds", b == null ? null : boundsJson(b.degrees())));
    }

    /**
     * GET /tiles/changes?since=N: the boxes where tile data changed since cursor N, and the next
     * cursor. Without {@code since}: only the current cursor, to start from. {@code reload: true}
     * means more changed than one answer lists: refresh every layer.
     */
    public void changes(RoutingContext ctx) {
        String since = Params.text(ctx, "since");
        Caller caller = Caller.of(ctx);
        if (since == null || since.isEmpty()) {
            tiles.changes(caller, Long.MAX_VALUE).onSuccess(b -> ctx.json(new JsonObject()
                    .put("version", Long.toString(b.next())).put("reload", false).put("changes", new JsonArray())))
                    .onFailure(ctx::fail);
            return;
        }
        if (!since.matches("\\d{1,19}")) {
            throw ApiError.badRequest("invalid_parameter", "since must be a version number from an earlier answer",
                    new JsonObject().put("parameter", "since"));
        }
        tiles.changes(caller, Long.parseLong(since)).onSuccess(batch -> {
            JsonArray changes = new JsonArray();
            for (TileChanges.Change ch : batch.changes()) {
                double[] d = ch.box().degrees();
                changes.add(new JsonObject().put("layer", ch.layer())
                        .put("bbox", new JsonArray().add(d[0]).add(d[1]).add(d[2]).add(d[3]))
                        .put("at", ch.at().toString()));
            }
            ctx.json(new JsonObject().put("version", Long.toString(batch.next())).put("reload", !batch.complete())
                    .put("changes", changes));
        }).onFailure(ctx::fail);
    }

    private TileLayer layer(String name) {
        return tiles.layers().find(name).orElseThrow(() -> ApiError.notFound("tile layer " + name));
    }

    private static String origin(RoutingContext ctx) {
        HostAndPort authority = ctx.request().authority();
        String host = authority == null ? "localhost" : authority.toString();
        return ctx.request().scheme() + "://" + host;
    }

    /** [west, south, east, north] in degrees, to the micro-degree (about 0.1 m). */
    private static JsonArray boundsJson(double[] deg) {
        return new JsonArray().add(round(deg[0])).add(round(deg[1])).add(round(deg[2])).add(round(deg[3]));
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
