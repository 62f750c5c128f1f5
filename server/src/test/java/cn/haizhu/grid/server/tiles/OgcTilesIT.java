package cn.haizhu.grid.server.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OGC API – Tiles Part 1 (OGC 20-057), following its abstract test suite class by class: core,
 * tileset, tilesets-list, geodata-tilesets, and the TileMatrixSet (OGC 2DTMS 2.0) the tilesets use.
 */
public class OgcTilesIT {
    static String command;
    static final String TMS = "/tileMatrixSets/WebMercatorQuad";

    @BeforeAll
    static void login() {
        command = Http.token("command");
    }

    static JsonObject json(String path) {
        HttpResponse<byte[]> r = TilesIT.get(path, command, null);
        assertEquals(200, r.statusCode(), path);
        assertTrue(TilesIT.header(r, "Content-Type").startsWith("application/json"), path);
        return new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
    }

    static JsonObject linkOf(JsonArray links, String rel) {
        for (Object o : links) {
            JsonObject l = (JsonObject) o;
            if (rel.equals(l.getString("rel"))) {
                return l;
            }
        }
        return null;
    }

    /** The path of an absolute link on the test server. */
    static String pathOf(String href) {
        String base = TestServer.get().baseUrl();
        assertTrue(href.startsWith(base), href + " is on " + base);
        return href.substring(base.length());
    }

    static JsonObject limitsAt(JsonObject tileset, int z) {
        for (Object o : tileset.getJsonArray("tileMatrixSetLimits")) {
            JsonObject l = (JsonObject) o;
            if (l.getString("tileMatrix").equals(Integer.toString(z))) {
                return l;
            }
        }
        return null;
    }

    static String tileUrl(JsonObject tileset, int z, int row, int col) {
        String template = linkOf(tileset.getJsonArray("links"), "item").getString("href");
        return pathOf(template.replace("{tileMatrix}", Integer.toString(z)).replace("{tileRow}", Integer.toString(row))
                .replace("{tileCol}", Integer.toString(col)));
    }

    // ---- /conf/core: a tile from the template, errors ------------------------------------------

    @Test
    void coreTilesAreMvtAndTheirErrorsAre4xx() throws Exception {
        JsonObject tileset = json("/collections/grids/tiles/WebMercatorQuad");
        double[] p = TilesIT.lonLat("SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) c FROM grid ORDER BY code LIMIT 1) s");
        int[] t = TilesIT.tileAt(p[0], p[1], 13);
        HttpResponse<byte[]> tile = TilesIT.get(tileUrl(tileset, 13, t[2], t[1]), command, null);
        assertEquals(200, tile.statusCode());
        assertEquals(TileResource.MVT, TilesIT.header(tile, "Content-Type"));
        assertFalse(Mvt.decode(tile.body()).get("grids").features().isEmpty());
        // /req/core/tc-error: a tile matrix that is not one, a row or column beyond the matrix: 400; outside the limits: 404
        for (String bad : new String[] {"/collections/grids/tiles/WebMercatorQuad/x/0/0", "/collections/grids/tiles/WebMercatorQuad/25/0/0",
                "/collections/grids/tiles/WebMercatorQuad/3/8/0"}) {
            assertEquals(400, TilesIT.get(bad, command, null).statusCode(), bad);
        }
        JsonObject limits = limitsAt(tileset, 13);
        HttpResponse<byte[]> beyond = TilesIT.get(tileUrl(tileset, 13, limits.getInteger("maxTileRow"),
                limits.getInteger("maxTileCol") + 1), command, null);
        assertEquals(404, beyond.statusCode(), "outside the tileMatrixSetLimits");
        assertEquals("not_found", TilesIT.errorOf(beyond).getString("code"));
        assertEquals(404, TilesIT.get("/collections/no-such-layer/tiles/WebMercatorQuad/13/0/0", command, null).statusCode());
        assertEquals(401, TilesIT.get("/collections/grids/tiles/WebMercatorQuad", "no-such-token", null).statusCode());
    }

    @Test
    void everyTileInsideTheLimitsIsATileOr204() {
        JsonObject tileset = json("/collections/houses/tiles/WebMercatorQuad");
        JsonObject limits = limitsAt(tileset, 15);
        assertNotNull(limits);
        int ok = 0;
        for (int row = limits.getInteger("minTileRow"); row <= limits.getInteger("maxTileRow"); row++) {
            for (int col = limits.getInteger("minTileCol"); col <= limits.getInteger("maxTileCol"); col++) {
                int status = TilesIT.get(tileUrl(tileset, 15, row, col), command, null).statusCode();
                assertTrue(status == 200 || status == 204, "15/" + row + "/" + col + ": " + status);
                ok += status == 200 ? 1 : 0;
            }
        }
        assertTrue(ok > 0);
        assertEquals(null, limitsAt(tileset, 14), "houses start at z15: no limits below");
        assertEquals(404, TilesIT.get(tileUrl(tileset, 14, 0, 0), command, null).statusCode());
    }

    // ---- /conf/tileset: the tileset metadata --------------------------------------------------

    @Test
    void tilesetMetadataDescribesTheVectorTilesetAndItsLayers() throws Exception {
        JsonObject ts = json("/collections/houses/tiles/WebMercatorQuad");
        assertEquals("vector", ts.getString("dataType"));
        assertEquals(TileSets.TMS_URI, ts.getString("tileMatrixSetURI"));
        assertEquals(TileSets.CRS_3857, ts.getString("crs"));
        JsonArray links = ts.getJsonArray("links");
        JsonObject item = linkOf(links, "item");
        assertTrue(item.getString("href").endsWith("/collections/houses/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"));
        assertEquals(TileResource.MVT, item.getString("type"));
        assertEquals(TMS, pathOf(linkOf(links, TileSets.REL_TILING_SCHEME).getString("href")));
        assertEquals("/collections/houses/tiles/WebMercatorQuad", pathOf(linkOf(links, "self").getString("href")));
        JsonObject bbox = ts.getJsonObject("boundingBox");
        assertTrue(bbox.getJsonArray("lowerLeft").getDouble(0) > 113.1 && bbox.getJsonArray("upperRight").getDouble(0) < 113.5);
        // the limits, zoom by zoom, for the layer's band
        assertEquals(18 - 15 + 1, ts.getJsonArray("tileMatrixSetLimits").size());
        JsonObject layer = ts.getJsonArray("layers").getJsonObject(0);
        assertEquals("houses", layer.getString("id"));
        assertEquals(0, layer.getInteger("geometryDimension"));
        assertEquals("15", layer.getString("minTileMatrix"));
        JsonObject props = layer.getJsonObject("propertiesSchema").getJsonObject("properties");
        // the schema's types are those of the features themselves
        double[] p = TilesIT.lonLat("SELECT ST_X(geom), ST_Y(geom) FROM house ORDER BY code LIMIT 1");
        int[] t = TilesIT.tileAt(p[0], p[1], 17);
        Mvt.Feature f = Mvt.decode(TilesIT.get(tileUrl(ts, 17, t[2], t[1]), command, null).body()).get("houses").features().get(0);
        assertEquals(props.fieldNames(), f.attributes().keySet());
        for (String name : props.fieldNames()) {
            String type = props.getJsonObject(name).getString("type");
            Object value = f.get(name);
            assertTrue(type.equals("number") ? value instanceof Number : value instanceof String, name + " " + type + " " + value);
            assertFalse(props.getJsonObject(name).getString("description").isBlank());
        }
    }

    @Test
    void metadataDocumentsAreRevalidatedAndFollowATrustedProxy() {
        String path = "/collections/grids/tiles/WebMercatorQuad";
        HttpResponse<byte[]> first = TilesIT.get(path, command, null);
        String etag = TilesIT.header(first, "ETag");
        assertNotNull(etag);
        assertEquals(304, TilesIT.get(path, command, etag).statusCode());
        assertEquals(304, TilesIT.get(TMS, command, TilesIT.header(TilesIT.get(TMS, command, null), "ETag")).statusCode());
        HttpResponse<byte[]> proxied = TilesIT.getWith(path, command, Map.of("X-Forwarded-Host", "grid.example", "X-Forwarded-Proto", "https"));
        JsonObject ts = new JsonObject(new String(proxied.body(), StandardCharsets.UTF_8));
        assertEquals("https://grid.example/collections/grids/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}",
                linkOf(ts.getJsonArray("links"), "item").getString("href"));
    }

    // ---- /conf/tilesets-list -------------------------------------------------------------------

    @Test
    void theTilesetsListLinksToEachTileset() {
        JsonObject list = json("/collections/enterprises/tiles");
        JsonArray tilesets = list.getJsonArray("tilesets");
        assertEquals(1, tilesets.size());
        JsonObject ts = tilesets.getJsonObject(0);
        assertEquals("vector", ts.getString("dataType"));
        assertEquals(TileSets.TMS_URI, ts.getString("tileMatrixSetURI"));
        assertEquals(TileSets.CRS_3857, ts.getString("crs"));
        String self = pathOf(linkOf(ts.getJsonArray("links"), "self").getString("href"));
        assertEquals("/collections/enterprises/tiles/WebMercatorQuad", self);
        assertEquals("vector", json(self).getString("dataType"));
        assertEquals("/collections/enterprises/tiles", pathOf(linkOf(list.getJsonArray("links"), "self").getString("href")));
        HttpResponse<byte[]> unknown = TilesIT.get("/collections/parcels/tiles", command, null);
        assertEquals(404, unknown.statusCode());
        assertEquals("not_found", TilesIT.errorOf(unknown).getString("code"));
    }

    // ---- /conf/geodata-tilesets: tilesets of each collection, linked from it -------------------

    @Test
    void everyTileLayerIsACollectionWithVectorTilesets() {
        TileSets sets = new TileSets(TileLayers.standard());
        String base = TestServer.get().baseUrl();
        for (TileLayer layer : TileLayers.standard().all()) {
            JsonArray links = sets.collectionLinks(base, layer.name());
            JsonObject tilesets = linkOf(links, TileSets.REL_TILESETS_VECTOR);
            assertNotNull(tilesets, layer.name());
            assertEquals(layer.name(), json(pathOf(tilesets.getString("href"))).getJsonArray("tilesets").getJsonObject(0)
                    .getJsonArray("links").getJsonObject(0).getString("href").replaceAll(".*/collections/([^/]+)/.*", "$1"));
        }
        assertTrue(sets.collectionLinks(base, "cases").isEmpty(), "a feature collection without a tile layer has no tilesets link");
        assertEquals("/tileMatrixSets", pathOf(linkOf(sets.landingLinks(base), TileSets.REL_TILING_SCHEMES).getString("href")));
    }

    // ---- TileMatrixSet (OGC 2DTMS 2.0) -----------------------------------------------------------

    @Test
    void theTileMatrixSetsAreListedAndWebMercatorQuadIsDefined() {
        JsonObject list = json("/tileMatrixSets");
        JsonObject entry = list.getJsonArray("tileMatrixSets").getJsonObject(0);
        assertEquals("WebMercatorQuad", entry.getString("id"));
        assertEquals(TMS, pathOf(linkOf(entry.getJsonArray("links"), "self").getString("href")));
        JsonObject tms = json(TMS);
        assertEquals("WebMercatorQuad", tms.getString("id"));
        assertEquals(TileSets.TMS_URI, tms.getString("uri"));
        assertEquals(TileSets.CRS_3857, tms.getString("crs"));
        JsonArray matrices = tms.getJsonArray("tileMatrices");
        assertEquals(25, matrices.size(), "zooms 0 to 24");
        for (int z = 0; z < matrices.size(); z++) {
            JsonObject m = matrices.getJsonObject(z);
            assertEquals(Integer.toString(z), m.getString("id"));
            assertEquals(1L << z, m.getLong("matrixWidth"));
            assertEquals(1L << z, m.getLong("matrixHeight"));
            assertEquals(256, m.getInteger("tileWidth"));
            assertEquals("topLeft", m.getString("cornerOfOrigin"));
            // cellSize × 256 tiles the world's 40,075,016.69 m; the scale is cellSize / 0.28 mm
            assertEquals(40075016.685578488, m.getDouble("cellSize") * 256 * (1L << z), 1e-3);
            assertEquals(m.getDouble("cellSize") / 0.00028, m.getDouble("scaleDenominator"), 1e-6 * m.getDouble("scaleDenominator"));
        }
        assertEquals(-20037508.3427892, matrices.getJsonObject(0).getJsonArray("pointOfOrigin").getDouble(0), 1e-6);
        assertEquals(559082264.028717, matrices.getJsonObject(0).getDouble("scaleDenominator"), 1e-3);
    }
}
