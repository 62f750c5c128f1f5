package cn.haizhu.grid.server.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

public class TilesIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    static String command;
    static String streetCommand;

    @BeforeAll
    static void login() {
        command = Http.token("command");
        streetCommand = Http.token("command-440105001");
    }

    // ---- helpers -------------------------------------------------------------------------------

    static HttpResponse<byte[]> get(String path, String token, String ifNoneMatch) {
        return getWith(path, token, ifNoneMatch == null ? Map.of() : Map.of("If-None-Match", ifNoneMatch));
    }

    static HttpResponse<byte[]> getWith(String path, String token, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + path)).GET()
                .header("Authorization", "Bearer " + token);
        headers.forEach(b::header);
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<byte[]> tile(String layer, int[] zxy, String token) {
        return get("/tiles/" + layer + "/" + zxy[0] + "/" + zxy[1] + "/" + zxy[2] + ".mvt", token, null);
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    static JsonObject errorOf(HttpResponse<byte[]> r) {
        return new JsonObject(new String(r.body(), StandardCharsets.UTF_8)).getJsonObject("error");
    }

    /** The XYZ tile holding a point at zoom z. */
    /** The z/x/y of the tile holding a point (Web Mercator, XYZ rows from the north). */
    public static int[] tileAt(double lon, double lat, int z) {
        int n = 1 << z;
        int x = (int) Math.floor((lon + 180) / 360 * n);
        double r = Math.toRadians(lat);
        int y = (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n);
        return new int[] {z, x, y};
    }

    static double[] lonLat(String sql) throws Exception {
        try (Connection c = TestServer.get().db.connection(); var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }

    static void exec(String sql, Object... args) throws Exception {
        try (Connection c = TestServer.get().db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }

    /** Grid code → residents for the grids whose polygon meets the tile (unbuffered), straight from the tables. */
    static Map<String, Long> gridsMeeting(int[] t, String streetOrNull) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = TestServer.get().db.connection(); PreparedStatement ps = c.prepareStatement("""
                SELECT g.code, coalesce(s.person_count, 0) FROM grid g LEFT JOIN grid_stats s ON s.grid_code = g.code
                WHERE ST_Intersects(g.geom_3857, ST_TileEnvelope(?, ?, ?)) AND (?::text IS NULL OR g.street_code = ?)""")) {
            ps.setInt(1, t[0]);
            ps.setInt(2, t[1]);
            ps.setInt(3, t[2]);
            ps.setString(4, streetOrNull);
            ps.setString(5, streetOrNull);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    static Map<String, Mvt.Feature> byKey(byte[] tile, String layer, String key) {
        Map<String, Mvt.Feature> out = new HashMap<>();
        Mvt.Layer l = Mvt.decode(tile).get(layer);
        if (l != null) {
            for (Mvt.Feature f : l.features()) {
                out.put((String) f.get(key), f);
            }
        }
        return out;
    }

    // ---- tests ---------------------------------------------------------------------------------

    @Test
    void gridsTileCarriesTheGridsAndCountsOfTheDatabase() throws Exception {
        double[] p = lonLat("SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) c FROM grid ORDER BY code LIMIT 1) s");
        int[] t = tileAt(p[0], p[1], 14);
        HttpResponse<byte[]> r = tile("grids", t, command);
        assertEquals(200, r.statusCode());
        assertEquals(TileResource.MVT, header(r, "Content-Type"));
        assertEquals("private, no-cache", header(r, "Cache-Control"));
        Map<String, Mvt.Feature> features = byKey(r.body(), "grids", "code");
        Map<String, Long> expected = gridsMeeting(t, null);
        assertFalse(expected.isEmpty());
        assertTrue(features.keySet().containsAll(expected.keySet()), "every grid meeting the tile is in it: " + expected.keySet());
        for (Map.Entry<String, Mvt.Feature> f : features.entrySet()) {
            // the tile may also hold grids just outside it, within the 64-pixel buffer
            if (expected.containsKey(f.getKey())) {
                assertEquals(expected.get(f.getKey()), f.getValue().get("residents"), "residents of " + f.getKey());
            }
            assertEquals(3, f.getValue().type(), "grids are polygons");
            assertTrue(((String) f.getValue().get("street_code")).length() == 9);
            assertTrue(f.getValue().attributes().keySet().containsAll(Set.of("name", "community_code", "houses",
                    "enterprises", "area_m2", "density")));
        }
        // The OGC API – Tiles path serves the same tile: z / row (y) / col (x).
        HttpResponse<byte[]> ogc = get("/collections/grids/tiles/WebMercatorQuad/" + t[0] + "/" + t[2] + "/" + t[1], command, null);
        assertEquals(200, ogc.statusCode());
        assertEquals(header(r, "ETag"), header(ogc, "ETag"));
    }

    @Test
    void housesAndEnterprisesArePointsWithTheirAttributes() throws Exception {
        double[] p = lonLat("SELECT ST_X(geom), ST_Y(geom) FROM house ORDER BY code LIMIT 1");
        int[] t = tileAt(p[0], p[1], TileLayers.HOUSES_ONE_BY_ONE);
        Map<String, Mvt.Feature> houses = byKey(tile("houses", t, command).body(), "houses", "code");
        try (Connection c = TestServer.get().db.connection(); PreparedStatement ps = c.prepareStatement("""
                SELECT code, use, grid_code FROM house WHERE ST_Intersects(geom_3857, ST_TileEnvelope(?, ?, ?))""")) {
            ps.setInt(1, t[0]);
            ps.setInt(2, t[1]);
            ps.setInt(3, t[2]);
            try (ResultSet rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    Mvt.Feature f = houses.get(rs.getString(1));
                    assertTrue(f != null, "house " + rs.getString(1) + " is in its tile");
                    assertEquals(1, f.type());
                    assertEquals(rs.getString(2), f.get("use"));
                    assertEquals(rs.getString(3), f.get("grid_code"));
                    assertEquals(1L, f.get("houses"));
                    n++;
                }
                assertTrue(n > 0);
            }
        }
        double[] e = lonLat("SELECT ST_X(geom), ST_Y(geom) FROM enterprise ORDER BY credit_code LIMIT 1");
        Map<String, Mvt.Feature> enterprises = byKey(tile("enterprises", tileAt(e[0], e[1], 15), command).body(),
                "enterprises", "credit_code");
        assertFalse(enterprises.isEmpty());
        assertTrue(enterprises.values().iterator().next().attributes().keySet().containsAll(Set.of("name", "industry")));
    }

    @Test
    void belowZ17HousesArePointsPerLocationThatCountEveryHouse() throws Exception {
        // the location with the most houses (the rooms of one building share a point)
        String[] busiest = TestServer.get().firstRow("""
                SELECT ST_X(geom), ST_Y(geom), count(*), min(code) FROM house GROUP BY geom ORDER BY count(*) DESC, min(code) LIMIT 1""");
        assertTrue(Long.parseLong(busiest[2]) > 1, "the demo has buildings of several houses");
        for (int z = 15; z < TileLayers.HOUSES_ONE_BY_ONE; z++) {
            int[] t = tileAt(Double.parseDouble(busiest[0]), Double.parseDouble(busiest[1]), z);
            Mvt.Layer layer = Mvt.decode(tile("houses", t, command).body()).get("houses");
            long counted = 0;
            long points = 0;
            for (Mvt.Feature f : layer.features()) {
                counted += (Long) f.get("houses");
                points++;
            }
            // every house within the tile and its 64-pixel buffer is counted once, in fewer points than houses
            long expected = TestServer.get().count("SELECT count(*) FROM house WHERE ST_Intersects(geom_3857, "
                    + "ST_TileEnvelope(?, ?, ?, margin => 64.0 / 4096))", t[0], t[1], t[2]);
            assertEquals(expected, counted, "z" + z);
            assertTrue(points < counted, "z" + z + ": " + points + " points for " + counted + " houses");
            Map<String, Mvt.Feature> byCode = byKey(tile("houses", t, command).body(), "houses", "code");
            assertEquals(Long.parseLong(busiest[2]), byCode.get(busiest[3]).get("houses"), "the busiest point carries its count");
        }
    }

    @Test
    void anEmptyTileInsideTheBoundsIs204() throws Exception {
        // The corner of the district's box lies in the river or a neighbour: no houses there, yet inside the bounds.
        try (Connection c = TestServer.get().db.connection(); var s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT ST_XMin(e) + 1e-5, ST_YMin(e) + 1e-5 FROM (SELECT ST_Extent(geom) e FROM admin_area WHERE level = 'district') d""")) {
            rs.next();
            int[] t = tileAt(rs.getDouble(1), rs.getDouble(2), 18);
            HttpResponse<byte[]> r = tile("houses", t, command);
            assertEquals(204, r.statusCode());
            assertEquals(0, r.body().length);
            assertEquals(204, tile("houses", t, command).statusCode(), "and so from the cache");
        }
    }

    @Test
    void tilesOfTheMatrixOutsideTheBoundsAre204AndOutsideTheZoomBand404AndBadAddresses400() throws Exception {
        // a tile of the matrix far from the data: empty, so that clients can walk a zoom level
        HttpResponse<byte[]> outside = get("/tiles/grids/14/0/0.mvt", command, null);
        assertEquals(204, outside.statusCode());
        assertEquals(0, outside.body().length);
        // on the OGC path it is outside the tileset's tileMatrixSetLimits: 404, as OGC API – Tiles asks (OgcTilesIT)
        assertEquals(404, get("/collections/grids/tiles/WebMercatorQuad/14/0/0", command, null).statusCode());
        double[] p = lonLat("SELECT ST_X(geom), ST_Y(geom) FROM house ORDER BY code LIMIT 1");
        int[] z12 = tileAt(p[0], p[1], 12);
        HttpResponse<byte[]> belowBand = tile("houses", z12, command);
        assertEquals(404, belowBand.statusCode(), "houses start at z15");
        assertEquals("not_found", errorOf(belowBand).getString("code"));
        assertEquals(200, tile("grids", z12, command).statusCode());
        assertEquals(404, get("/tiles/parcels/12/3340/1781.mvt", command, null).statusCode(), "unknown layer");
        assertEquals(404, get("/tiles/parcels/14/0/0.mvt", command, null).statusCode(), "unknown layer, outside the bounds");
        assertEquals(404, get("/tiles/parcels.json", command, null).statusCode());
        for (String bad : new String[] {"/tiles/grids/12/abc/1781.mvt", "/tiles/grids/3/8/1.mvt", "/tiles/grids/3/1/8.mvt",
                "/tiles/grids/23/0/0.mvt", "/tiles/grids/-1/0/0.mvt", "/collections/grids/tiles/WebMercatorQuad/3/1/x"}) {
            HttpResponse<byte[]> r = get(bad, command, null);
            assertEquals(400, r.statusCode(), bad);
            assertEquals("invalid_tile", errorOf(r).getString("code"), bad);
        }
        assertEquals(401, get("/tiles/grids/12/0/0.mvt", "no-such-token", null).statusCode());
    }

    @Test
    void etagAnswers304() throws Exception {
        double[] p = lonLat("SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) c FROM grid ORDER BY code DESC LIMIT 1) s");
        int[] t = tileAt(p[0], p[1], 13);
        String path = "/tiles/grids/" + t[0] + "/" + t[1] + "/" + t[2] + ".mvt";
        HttpResponse<byte[]> first = get(path, command, null);
        String etag = header(first, "ETag");
        HttpResponse<byte[]> again = get(path, command, etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(etag, header(again, "ETag"));
        assertEquals("hit", header(again, "X-Tile-Cache"));
        assertEquals(200, get(path, command, "\"something-else\"").statusCode());
    }

    @Test
    void aClientsNoCacheRevalidatesByETagInsteadOfRendering() throws Exception {
        double[] p = lonLat("SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) c FROM grid ORDER BY code OFFSET 5 LIMIT 1) s");
        int[] t = tileAt(p[0], p[1], 14);
        String path = "/tiles/grids/" + t[0] + "/" + t[1] + "/" + t[2] + ".mvt";
        String etag = header(get(path, command, null), "ETag");
        HttpResponse<byte[]> reload = getWith(path, command, Map.of("Cache-Control", "no-cache", "Pragma", "no-cache"));
        assertEquals(200, reload.statusCode());
        assertEquals("hit", header(reload, "X-Tile-Cache"), "a hard reload is served from the cache, not rendered");
        assertEquals(etag, header(reload, "ETag"));
        HttpResponse<byte[]> revalidated = getWith(path, command, Map.of("Cache-Control", "no-cache", "If-None-Match", etag));
        assertEquals(304, revalidated.statusCode());
        assertEquals("hit", header(revalidated, "X-Tile-Cache"));
    }

    /** The tile-change boxes a caller hears of since {@code version}, as [layer, bbox] pairs. */
    static JsonArray changesSince(String version, String token) {
        return Http.json(Http.get("/tiles/changes?since=" + version, token)).getJsonArray("changes");
    }

    static boolean hasBoxAt(JsonArray changes, String layer, double[] p) {
        for (Object o : changes) {
            JsonObject ch = (JsonObject) o;
            JsonArray b = ch.getJsonArray("bbox");
            if (ch.getString("layer").equals(layer) && b.getDouble(0) <= p[0] + 1e-6 && b.getDouble(2) >= p[0] - 1e-6
                    && b.getDouble(1) <= p[1] + 1e-6 && b.getDouble(3) >= p[1] - 1e-6) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aStreetUserHearsOnlyOfTheirStreetsChanges() throws Exception {
        String street = "440105001";
        // a neighbour's house inside the street's bounding box (where a box-overlap filter let it through), and one of the street's own
        String[] theirs = TestServer.get().firstRow("""
                SELECT h.code, ST_X(h.geom), ST_Y(h.geom) FROM house h JOIN admin_area a ON a.code = '440105001'
                WHERE h.street_code <> a.code AND h.geom_3857 && a.geom_3857 ORDER BY h.code LIMIT 1""");
        String[] ours = TestServer.get().firstRow("SELECT code, ST_X(geom), ST_Y(geom) FROM house WHERE street_code = '"
                + street + "' ORDER BY code LIMIT 1");
        double[] theirPlace = {Double.parseDouble(theirs[1]), Double.parseDouble(theirs[2])};
        double[] ourPlace = {Double.parseDouble(ours[1]), Double.parseDouble(ours[2])};
        String version = Http.json(Http.get("/tiles/changes", command)).getString("version");
        // a real change (a no-op update is skipped before any trigger sees it), undone afterwards
        exec("UPDATE house SET room = coalesce(room, '') || '#' WHERE code IN (?, ?)", theirs[0], ours[0]);
        try {
            assertOnlyTheStreetsBoxes(version, theirPlace, ourPlace);
        } finally {
            exec("UPDATE house SET room = nullif(left(room, -1), '') WHERE code IN (?, ?)", theirs[0], ours[0]);
        }
    }

    private static void assertOnlyTheStreetsBoxes(String version, double[] theirPlace, double[] ourPlace) throws Exception {
        JsonArray all = null;
        for (int i = 0; i < 100; i++) {
            all = changesSince(version, command);
            if (hasBoxAt(all, "houses", theirPlace) && hasBoxAt(all, "houses", ourPlace)) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(hasBoxAt(all, "houses", theirPlace) && hasBoxAt(all, "houses", ourPlace), "the district hears of both: " + all);
        JsonArray mine = changesSince(version, streetCommand);
        assertTrue(hasBoxAt(mine, "houses", ourPlace), "the street hears of its own house: " + mine);
        assertFalse(hasBoxAt(mine, "houses", theirPlace), "but not of the neighbour's, inside its bounding box: " + mine);
    }

    @Test
    void aChangedHouseInvalidatesOnlyTheTilesCoveringIt() throws Exception {
        String version = Http.json(Http.get("/tiles/changes", command)).getString("version");
        // A house in the first grid and a far one in the last (by code: other ends of the district).
        String near;
        double[] p;
        try (Connection c = TestServer.get().db.connection(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT code, ST_X(geom), ST_Y(geom) FROM house ORDER BY code LIMIT 1")) {
            rs.next();
            near = rs.getString(1);
            p = new double[] {rs.getDouble(2), rs.getDouble(3)};
        }
        double[] q = lonLat("""
                SELECT ST_X(h.geom), ST_Y(h.geom) FROM house h
                ORDER BY ST_Distance(h.geom, (SELECT geom FROM house ORDER BY code LIMIT 1)) DESC LIMIT 1""");
        int[] nearTile = tileAt(p[0], p[1], 16);
        int[] farTile = tileAt(q[0], q[1], 16);
        assertNotEquals(nearTile[1] + "/" + nearTile[2], farTile[1] + "/" + farTile[2]);
        String nearTag = header(tile("houses", nearTile, command), "ETag");
        String farTag = header(tile("houses", farTile, command), "ETag");
        assertEquals("hit", header(tile("houses", farTile, command), "X-Tile-Cache"));

        exec("UPDATE house SET geom = ST_Translate(geom, 0.0001, 0) WHERE code = ?", near);
        try {
            HttpResponse<byte[]> after = null;
            for (int i = 0; i < 100; i++) {
                after = tile("houses", nearTile, command);
                if (!nearTag.equals(header(after, "ETag"))) {
                    break;
                }
                Thread.sleep(100);
            }
            assertNotEquals(nearTag, header(after, "ETag"), "the tile holding the moved house changed");
            HttpResponse<byte[]> far = tile("houses", farTile, command);
            assertEquals("hit", header(far, "X-Tile-Cache"), "a far tile stays cached: invalidation is local");
            assertEquals(farTag, header(far, "ETag"));

            // Browsers hear of the same box.
            JsonObject changes = Http.json(Http.get("/tiles/changes?since=" + version, command));
            boolean seen = false;
            for (Object o : changes.getJsonArray("changes")) {
                JsonObject ch = (JsonObject) o;
                JsonArray b = ch.getJsonArray("bbox");
                if (ch.getString("layer").equals("houses") && b.getDouble(0) <= p[0] + 0.0001 + 1e-6
                        && b.getDouble(2) >= p[0] - 1e-6 && b.getDouble(1) <= p[1] + 1e-6 && b.getDouble(3) >= p[1] - 1e-6) {
                    seen = true;
                }
            }
            assertTrue(seen, "the change feed names the moved house's box: " + changes.encode());
            assertFalse(changes.getBoolean("reload"));
            assertTrue(Long.parseLong(changes.getString("version")) >= Long.parseLong(version));
            assertEquals(400, Http.get("/tiles/changes?since=abc", command).statusCode());
        } finally {
            exec("UPDATE house SET geom = ST_Translate(geom, -0.0001, 0) WHERE code = ?", near);
        }
    }

    @Test
    void aStreetUserGetsOnlyTheirStreetsGrids() throws Exception {
        double[] p = lonLat("SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(geom) c FROM admin_area WHERE code = '440105001') s");
        int[] t = tileAt(p[0], p[1], 12);
        Map<String, Mvt.Feature> mine = byKey(tile("grids", t, streetCommand).body(), "grids", "code");
        Map<String, Mvt.Feature> all = byKey(tile("grids", t, command).body(), "grids", "code");
        assertFalse(mine.isEmpty());
        Set<String> streets = new HashSet<>();
        mine.values().forEach(f -> streets.add((String) f.get("street_code")));
        assertEquals(Set.of("440105001"), streets);
        assertTrue(mine.keySet().containsAll(gridsMeeting(t, "440105001").keySet()));
        assertTrue(all.size() > mine.size(), "the district user's tile holds other streets too");
        Map<String, Mvt.Feature> streetsLayer = byKey(tile("streets", t, streetCommand).body(), "streets", "code");
        assertEquals(Set.of("440105001"), streetsLayer.keySet());
    }

    @Test
    void tileJsonDescribesTheLayer() {
        JsonObject tj = Http.json(Http.get("/tiles/grids.json", command));
        assertEquals("3.0.0", tj.getString("tilejson"));
        String url = tj.getJsonArray("tiles").getString(0);
        assertTrue(url.startsWith("http://") && url.endsWith("/tiles/grids/{z}/{x}/{y}.mvt"), url);
        assertEquals(10, tj.getInteger("minzoom"));
        assertEquals(18, tj.getInteger("maxzoom"));
        JsonArray b = tj.getJsonArray("bounds");
        assertEquals(4, b.size());
        assertTrue(b.getDouble(0) > 113.1 && b.getDouble(2) < 113.5 && b.getDouble(1) > 22.9 && b.getDouble(3) < 23.2, b.encode());
        JsonArray center = tj.getJsonArray("center");
        assertTrue(center.getDouble(0) > b.getDouble(0) && center.getDouble(0) < b.getDouble(2));
        JsonObject layer = tj.getJsonArray("vector_layers").getJsonObject(0);
        assertEquals("grids", layer.getString("id"));
        // the type words clients type columns by (GDAL read "Number: …" as a String column)
        assertEquals("Number", layer.getJsonObject("fields").getString("residents"));
        assertEquals("String", layer.getJsonObject("fields").getString("code"));
        for (String type : layer.getJsonObject("fields").getMap().values().stream().map(String::valueOf).toList()) {
            assertTrue(Set.of("Number", "String", "Boolean").contains(type), type);
        }
        assertEquals("persons registered in the grid", layer.getJsonObject("field_descriptions").getString("residents"));
        assertEquals(15, Http.json(Http.get("/tiles/houses.json", command)).getInteger("minzoom"));
    }

    @Test
    void tileJsonHasAnETagAndAnswers304() {
        HttpResponse<byte[]> first = get("/tiles/grids.json", command, null);
        String etag = header(first, "ETag");
        assertTrue(etag != null && etag.startsWith("W/\""), "a weak tag: the compressor may encode it or not: " + etag);
        assertTrue(header(first, "Vary").contains("Accept-Encoding"));
        HttpResponse<byte[]> again = get("/tiles/grids.json", command, etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(200, get("/tiles/grids.json", command, "W/\"other\"").statusCode());
        assertNotEquals(etag, header(get("/tiles/houses.json", command, null), "ETag"));
    }

    @Test
    void tileJsonUrlsFollowATrustedProxy() {
        // the test server trusts loopback as a proxy (GRIDCTL_HTTP_TRUSTED_PROXIES); RequestOriginTest holds the untrusted case
        HttpResponse<byte[]> r = getWith("/tiles/grids.json", command,
                Map.of("X-Forwarded-Host", "grid.example", "X-Forwarded-Proto", "https", "X-Forwarded-For", "198.51.100.40"));
        JsonObject tj = new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("https://grid.example/tiles/grids/{z}/{x}/{y}.mvt", tj.getJsonArray("tiles").getString(0));
        assertNotEquals(header(get("/tiles/grids.json", command, null), "ETag"), header(r, "ETag"),
                "another origin, another document");
    }

    @Test
    void gzipAndIdentityAreTwoRepresentationsWithTheirOwnETags() throws Exception {
        double[] p = lonLat("SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) c FROM grid ORDER BY code OFFSET 9 LIMIT 1) s");
        int[] t = tileAt(p[0], p[1], 13);
        String path = "/tiles/grids/" + t[0] + "/" + t[1] + "/" + t[2] + ".mvt";
        HttpResponse<byte[]> identity = getWith(path, command, Map.of("Accept-Encoding", "identity"));
        HttpResponse<byte[]> gzip = getWith(path, command, Map.of("Accept-Encoding", "gzip, deflate"));
        assertEquals(200, identity.statusCode());
        assertEquals(200, gzip.statusCode());
        assertEquals("gzip", header(gzip, "Content-Encoding"));
        assertFalse("gzip".equals(header(identity, "Content-Encoding")));
        assertEquals("Accept-Encoding", header(identity, "Vary"));
        assertEquals("Accept-Encoding", header(gzip, "Vary"));
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzip.body()))) {
            assertTrue(java.util.Arrays.equals(identity.body(), in.readAllBytes()), "the same tile, gzip-encoded");
        }
        String identityTag = header(identity, "ETag");
        String gzipTag = header(gzip, "ETag");
        assertTrue(identityTag.startsWith("\"") && gzipTag.startsWith("\""), "strong tags");
        assertNotEquals(identityTag, gzipTag);
        // each revalidates only its own representation
        assertEquals(304, getWith(path, command, Map.of("Accept-Encoding", "gzip", "If-None-Match", gzipTag)).statusCode());
        assertEquals(200, getWith(path, command, Map.of("Accept-Encoding", "gzip", "If-None-Match", identityTag)).statusCode());
        assertEquals(304, getWith(path, command, Map.of("If-None-Match", identityTag)).statusCode());
        assertEquals(200, getWith(path, command, Map.of("If-None-Match", gzipTag)).statusCode());
        // a client that refuses gzip by q=0 gets identity
        assertEquals(identityTag, header(getWith(path, command, Map.of("Accept-Encoding", "gzip;q=0, br")), "ETag"));
    }
}
