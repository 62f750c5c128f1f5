package cn.haizhu.grid.server.tiles;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import cn.haizhu.grid.server.http.RequestOrigin;
import cn.haizhu.grid.server.http.Validators;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

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

    public static final String TILESETS_PATH = "^/collections/(?<collectionId>[^/]+)/tiles$";
    public static final String TILESET_PATH = "^/collections/(?<collectionId>[^/]+)/tiles/WebMercatorQuad$";

    private final TileService tiles;
    private final TileSets tileSets;
    private final GridConfig.BaseMap baseMap;

    public TileResource(TileService tiles, GridConfig.BaseMap baseMap) {
        this.tiles = tiles;
        this.tileSets = new TileSets(tiles.layers());
        this.baseMap = baseMap;
    }

    /**
     * The OGC tiles documents, and the links to them that the landing page and /collections give
     * ({@link TileSets#collectionLinks}, {@link TileSets#landingLinks}, {@link TileSets#CONFORMANCE}).
     */
    public TileSets tileSets() {
        return tileSets;
    }

    /** The wall's configured base map, or null: its tile host is where pages may load images from. */
    public GridConfig.BaseMap baseMap() {
        return baseMap;
    }

    /** GET /tiles/{layer}/{z}/{x}/{y}.mvt */
    public void xyz(RoutingContext ctx) {
        serve(ctx, ctx.pathParam("layer"), ctx.pathParam("z"), ctx.pathParam("x"), ctx.pathParam("y"));
    }

    /**
     * GET /collections/{layer}/tiles/WebMercatorQuad/{z}/{row}/{col}: row is y, col is x. Outside the
     * tileset's tileMatrixSetLimits a tile is 404, as OGC API – Tiles asks; the XYZ path, whose TileJSON
     * declares bounds but no limits, answers 204 for any tile of the matrix without data.
     */
    public void ogc(RoutingContext ctx) {
        serve(ctx, ctx.pathParam("collectionId"), ctx.pathParam("tileMatrix"), ctx.pathParam("tileCol"), ctx.pathParam("tileRow"), true);
    }

    private void serve(RoutingContext ctx, String layerName, String z, String x, String y) {
        serve(ctx, layerName, z, x, y, false);
    }

    private void serve(RoutingContext ctx, String layerName, String z, String x, String y, boolean limitsAre404) {
        TileLayer layer = layer(layerName);
        TileCoord c = TileCoord.parse(z, x, y);
        if (!layer.servesZoom(c.z())) {
            throw new ApiError(404, "not_found", "layer " + layer.name() + " is served from zoom " + layer.minZoom()
                    + " to " + layer.maxZoom() + ", not at " + c.z(), new JsonObject()
                    .put("minzoom", layer.minZoom()).put("maxzoom", layer.maxZoom()));
        }
        if (!tiles.inBounds(c)) {
            if (limitsAre404) {
                throw new ApiError(404, "not_found", "tile " + c.z() + "/" + c.y() + "/" + c.x()
                        + " is outside the tileMatrixSetLimits of " + layer.name(), null);
            }
            // a tile of the matrix where the tile set has no data: empty, as any tile without features is
            // (clients walking a zoom level, GDAL's MVT driver among them, take 404 for a failure)
            noContent(ctx);
            return;
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

    /**
     * {@code X-Tile-Cache} says whether the server had the tile (for benchmarks and tests, like a CDN's
     * header). A client that accepts gzip gets the tile's stored gzip form with its own ETag; any other
     * gets the bytes as they are, marked identity so the server's compressor leaves them alone.
     */
    private static void send(RoutingContext ctx, TileCache.Tile tile, String cache) {
        if (tile.empty()) {
            ctx.response().putHeader("X-Tile-Cache", cache);
            noContent(ctx);
            return;
        }
        boolean gzip = acceptsGzip(ctx.request().getHeader("Accept-Encoding"));
        String etag = gzip ? tile.gzipEtag() : tile.etag();
        var response = ctx.response()
                .putHeader("X-Tile-Cache", cache)
                .putHeader("ETag", etag)
                .putHeader("Cache-Control", "private, no-cache")
                .putHeader("Vary", "Accept-Encoding");
        if (Validators.matches(ctx.request().getHeader("If-None-Match"), etag)) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("Content-Type", MVT).putHeader("Content-Encoding", gzip ? "gzip" : "identity")
                .end(gzip ? tile.gzipped() : tile.body());
    }

    /** 204: a tile of the matrix without features; nothing to revalidate, and nothing to compress. */
    private static void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).putHeader("Cache-Control", "private, no-cache").end();
    }

    /** Whether Accept-Encoding lets us send gzip (by name, or by "*" where gzip is not named; q=0 refuses). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        boolean star = false;
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.trim().split(";");
            String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
            boolean allowed = true;
            for (int i = 1; i < pieces.length; i++) {
                String param = pieces[i].trim().toLowerCase(Locale.ROOT);
                if (param.startsWith("q=")) {
                    allowed = !param.substring(2).trim().matches("0(\\.0{0,3})?");
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return allowed;
            }
            if (coding.equals("*")) {
                star = allowed;
            }
        }
        return star;
    }

    /** GET /tiles/{layer}.json: TileJSON 3.0.0. */
    public void tileJson(RoutingContext ctx) {
        TileLayer layer = layer(ctx.pathParam("layer"));
        TileCoord.Box b = tiles.bounds();
        double[] deg = b == null ? new double[] {-180, -85.0511, 180, 85.0511} : b.degrees();
        int centerZoom = Math.max(layer.minZoom(), 12);
        JsonObject fields = new JsonObject();
        JsonObject descriptions = new JsonObject();
        for (TileLayer.Field f : layer.fields()) {
            fields.put(f.name(), f.type());
            descriptions.put(f.name(), f.description());
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
                        // TileJSON's fields hold type words only (clients type the columns by them); what they mean goes here
                        .put("field_descriptions", descriptions)
                        .put("minzoom", layer.minZoom()).put("maxzoom", layer.maxZoom())));
        Validators.sendJson(ctx, json);
    }

    /** GET /collections/{collectionId}/tiles: the tilesets of a tile layer. */
    public void tilesets(RoutingContext ctx) {
        Validators.sendJson(ctx, tileSets.tilesetList(origin(ctx), layer(ctx.pathParam("collectionId"))));
    }

    /** GET /collections/{collectionId}/tiles/WebMercatorQuad: the tileset metadata. */
    public void tileset(RoutingContext ctx) {
        Validators.sendJson(ctx, tileSets.tileset(origin(ctx), layer(ctx.pathParam("collectionId")), tiles.bounds()));
    }

    /** GET /tileMatrixSets */
    public void tileMatrixSets(RoutingContext ctx) {
        Validators.sendJson(ctx, tileSets.tileMatrixSets(origin(ctx)));
    }

    /** GET /tileMatrixSets/WebMercatorQuad */
    public void webMercatorQuad(RoutingContext ctx) {
        Validators.sendJson(ctx, tileSets.webMercatorQuad(origin(ctx)));
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

    /** scheme://host[:port] as the client addresses us: a trusted proxy's X-Forwarded-Host/-Proto, else the request's own. */
    static String origin(RoutingContext ctx) {
        String origin = RequestOrigin.of(ctx).origin();
        return origin == null ? ctx.request().scheme() + "://localhost" : origin;
    }

    /** [west, south, east, north] in degrees, to the micro-degree (about 0.1 m). */
    private static JsonArray boundsJson(double[] deg) {
        return new JsonArray().add(round(deg[0])).add(round(deg[1])).add(round(deg[2])).add(round(deg[3]));
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
