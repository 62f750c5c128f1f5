package cn.haizhu.grid.server.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * OGC API – Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) and Part 2 (CRS by reference),
 * following their abstract test suites class by class, over real HTTP against the demo in PostGIS.
 * The test names cite the abstract tests ({@code /conf/core/…}, {@code /conf/crs/…}).
 */
public class FeaturesIT {
    private static String admin;
    private static String street;

    @BeforeAll
    static void tokens() {
        TestServer.get();
        admin = Http.token("admin");
        street = Http.token("command-440105001");
    }

    static HttpResponse<String> get(String path, String token, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        return Http.send(b.build());
    }

    static JsonObject json(String path, String token) {
        HttpResponse<String> r = get(path, token, Map.of("Accept", "application/json"));
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return new JsonObject(r.body());
    }

    static JsonObject link(JsonObject doc, String rel, String type) {
        for (Object o : doc.getJsonArray("links")) {
            JsonObject l = (JsonObject) o;
            if (rel.equals(l.getString("rel")) && (type == null || type.equals(l.getString("type")))) {
                return l;
            }
        }
        return null;
    }

    /** The path and query of a link the server made (its origin is the test server's). */
    static String pathOf(JsonObject link) {
        URI u = URI.create(link.getString("href"));
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    /** A case reported by a dispatcher with this title, near the middle of the district: its number. */
    public static String caseTitled(String title) {
        HttpResponse<String> created = Http.post("/api/v1/cases", "application/json",
                cn.haizhu.grid.server.cases.CasesIT.intakeBody(new double[] {113.3, 23.1}).put("title", title).encode(),
                Http.token("dispatcher"));
        assertEquals(201, created.statusCode(), created.body());
        return new JsonObject(created.body()).getString("number");
    }

    static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    /** Abstract test suite of Part 1, conformance class Core: /conf/core/… */
    @Nested
    class Core {
        @Test
        void landingPageAnswersJsonWithTheRequiredLinks() {   // /conf/core/landingpage-op, -success
            JsonObject landing = json("/", admin);
            assertNotNull(link(landing, "self", null));
            assertNotNull(link(landing, "service-desc", FeatureResource.OPENAPI));
            assertNotNull(link(landing, "conformance", "application/json"));
            assertNotNull(link(landing, "data", "application/json"));
            assertTrue(link(landing, "data", null).getString("href").startsWith(TestServer.get().baseUrl()), "absolute links");
        }

        @Test
        void aBrowserAtTheRootStillGetsTheWall() {
            HttpResponse<String> r = get("/", admin, Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"));
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("<script"), "the wall page, not the landing page");
            HttpResponse<String> html = get("/?f=html", admin, Map.of("Accept", "text/html"));
            assertTrue(html.body().contains("/conformance") && !html.body().contains("<script"), "the landing page as HTML");
        }

        @Test
        void apiDefinitionIsOpenApi30() {   // /conf/core/api-definition-op, -success
            HttpResponse<String> r = get("/api", null, Map.of());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.oai.openapi+json"));
            JsonObject doc = new JsonObject(r.body());
            assertTrue(doc.getString("openapi").startsWith("3.0"));
            for (String path : List.of("/", "/conformance", "/collections", "/collections/{collectionId}",
                    "/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}")) {
                assertNotNull(doc.getJsonObject("paths").getJsonObject(path), path);
            }
        }

        @Test
        void conformanceDeclaresTheClassesThisTestProves() {   // /conf/core/conformance-op, -success
            JsonArray classes = json("/conformance", admin).getJsonArray("conformsTo");
            assertEquals(Set.copyOf(FeatureResource.CONFORMANCE), new HashSet<>(classes.getList()));
        }

        @Test
        void collectionsListEverySixWithExtentCrsAndItemType() {   // /conf/core/fc-md-op, -success, -links, -items, -extent
            JsonObject doc = json("/collections", admin);
            assertNotNull(link(doc, "self", null));
            List<String> ids = new ArrayList<>();
            for (Object o : doc.getJsonArray("collections")) {
                JsonObject c = (JsonObject) o;
                ids.add(c.getString("id"));
                assertNotNull(link(c, "items", FeatureResource.GEOJSON), c.getString("id"));
                assertEquals("feature", c.getString("itemType"));
                JsonArray bbox = c.getJsonObject("extent").getJsonObject("spatial").getJsonArray("bbox").getJsonArray(0);
                assertTrue(bbox.getDouble(0) > 113 && bbox.getDouble(2) < 114 && bbox.getDouble(1) > 22.9 && bbox.getDouble(3) < 23.2,
                        "Haizhu in CRS84: " + bbox);
                assertTrue(c.getJsonArray("crs").contains(Crs.CGCS2000_GK_114E.uri()));
                assertEquals(Crs.CRS84.uri(), c.getString("storageCrs"));
            }
            assertEquals(List.of("streets", "communities", "grids", "houses", "enterprises", "cases"), ids);
            JsonObject cases = json("/collections/cases", admin);
            assertNotNull(cases.getJsonObject("extent").getJsonObject("temporal").getJsonArray("interval").getJsonArray(0).getString(0));
        }

        @Test
        void aStreetUsersExtentIsTheirStreet() {
            JsonArray all = json("/collections/grids", admin).getJsonObject("extent").getJsonObject("spatial").getJsonArray("bbox").getJsonArray(0);
            JsonArray own = json("/collections/grids", street).getJsonObject("extent").getJsonObject("spatial").getJsonArray("bbox").getJsonArray(0);
            assertNotEquals(all, own);
            assertTrue(own.getDouble(0) >= all.getDouble(0) && own.getDouble(2) <= all.getDouble(2));
        }

        @Test
        void anUnknownCollectionIs404AndARoleWithoutItsPermission403() {   // /conf/core/sfc-md-op (unknown id)
            assertEquals(404, get("/collections/persons", admin, Map.of()).statusCode());
            assertEquals(404, get("/collections/persons/items", admin, Map.of()).statusCode());
            String officer = Http.token("officer");   // no cases.read
            assertFalse(json("/collections", officer).getJsonArray("collections").stream()
                    .anyMatch(c -> ((JsonObject) c).getString("id").equals("cases")));
            HttpResponse<String> r = get("/collections/cases/items", officer, Map.of());
            assertEquals(403, r.statusCode());
            assertTrue(new JsonObject(r.body()).getJsonObject("error").getString("message").contains("cases.read"));
        }

        @Test
        void anUnknownQueryParameterIs400() {   // /req/core/query-param-unknown
            for (String path : List.of("/conformance?x=1", "/collections?f=json&colour=red", "/collections/houses/items?limt=5",
                    "/?f=json&x=1")) {
                HttpResponse<String> r = get(path, admin, Map.of("Accept", "application/json"));
                assertEquals(400, r.statusCode(), path);
                assertEquals("unknown_parameter", new JsonObject(r.body()).getJsonObject("error").getString("code"), path);
            }
        }

        @Test
        void itemsAreAFeatureCollectionWithLimitAndNumberReturned() {   // /conf/core/fc-op, fc-response, fc-limit-*
            JsonObject page = json("/collections/houses/items", admin);
            assertEquals("FeatureCollection", page.getString("type"));
            assertEquals(10, page.getJsonArray("features").size(), "default limit");
            assertEquals(10, page.getInteger("numberReturned"));
            assertNotNull(page.getString("timeStamp"));
            JsonObject f = page.getJsonArray("features").getJsonObject(0);
            assertEquals("Feature", f.getString("type"));
            assertEquals("Point", f.getJsonObject("geometry").getString("type"));
            assertNotNull(f.getJsonObject("properties").getString("address"));
            assertEquals(3, json("/collections/houses/items?limit=3", admin).getJsonArray("features").size());
            for (String bad : List.of("0", "10001", "x")) {
                HttpResponse<String> r = get("/collections/houses/items?limit=" + bad, admin, Map.of());
                assertEquals(400, r.statusCode(), bad);
                assertEquals("limit", new JsonObject(r.body()).getJsonObject("error").getJsonObject("details").getString("parameter"));
            }
        }

        @Test
        void nextLinksWalkEveryFeatureOnceByKeyAndPrevComesBack() throws Exception {   // /conf/core/fc-links, fc-next
            long total = TestServer.get().count("SELECT count(*) FROM grid");
            long limit = total / 3 + 1;   // three pages, the last one short
            String first = "/collections/grids/items?limit=" + limit;
            Set<String> seen = new HashSet<>();
            String path = first;
            JsonObject page = null;
            JsonObject second = null;
            int pages = 0;
            while (path != null) {
                page = json(path, admin);
                pages++;
                if (pages == 2) {
                    second = page;
                }
                for (Object o : page.getJsonArray("features")) {
                    assertTrue(seen.add(((JsonObject) o).getString("id")), "each feature once");
                }
                JsonObject next = link(page, "next", FeatureResource.GEOJSON);
                path = next == null ? null : pathOf(next);
            }
            assertEquals(total, seen.size());
            assertEquals(3, pages);
            JsonObject back = json(pathOf(link(second, "prev", FeatureResource.GEOJSON)), admin);
            assertEquals(json(first, admin).getJsonArray("features"), back.getJsonArray("features"));
            assertNull(link(json(first, admin), "prev", null), "the first page has no prev");
            assertNull(link(page, "next", null), "the last page has no next");
        }

        @Test
        void bboxSelectsTheFeaturesInTheBox() throws Exception {   // /conf/core/fc-bbox-definition, -response
            String[] p = TestServer.get().firstRow("SELECT ST_X(geom), ST_Y(geom) FROM house ORDER BY code LIMIT 1");
            double lon = Double.parseDouble(p[0]);
            double lat = Double.parseDouble(p[1]);
            String box = (lon - 0.002) + "," + (lat - 0.002) + "," + (lon + 0.002) + "," + (lat + 0.002);
            long expected = TestServer.get().count("SELECT count(*) FROM house WHERE geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)",
                    lon - 0.002, lat - 0.002, lon + 0.002, lat + 0.002);
            JsonObject page = json("/collections/houses/items?limit=10000&bbox=" + box, admin);
            assertEquals(expected, page.getJsonArray("features").size());
            assertTrue(expected > 0 && expected < TestServer.get().count("SELECT count(*) FROM house"));
            for (Object o : page.getJsonArray("features")) {
                JsonArray c = ((JsonObject) o).getJsonObject("geometry").getJsonArray("coordinates");
                assertTrue(Math.abs(c.getDouble(0) - lon) <= 0.0021 && Math.abs(c.getDouble(1) - lat) <= 0.0021);
            }
            assertNotNull(link(page, "self", null).getString("href").contains("bbox="));
            for (String bad : List.of("1,2,3", "a,b,c,d", "114,23,113,22", "NaN,1,2,3")) {
                HttpResponse<String> r = get("/collections/houses/items?bbox=" + enc(bad), admin, Map.of());
                assertEquals(400, r.statusCode(), bad);
            }
        }

        @Test
        void datetimeSelectsCasesByTheirReportingTime() throws Exception {   // /conf/core/fc-time-definition, -response
            long all = TestServer.get().count("SELECT count(*) FROM civic_case");
            assertTrue(all > 0, "the demo has cases");
            String[] mid = TestServer.get().firstRow("SELECT to_char((SELECT created_at FROM civic_case ORDER BY created_at"
                    + " OFFSET (SELECT count(*) / 2 FROM civic_case) LIMIT 1) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
            long before = TestServer.get().count("SELECT count(*) FROM civic_case WHERE created_at <= ?::timestamptz", mid[0]);
            JsonObject page = json("/collections/cases/items?limit=10000&datetime=../" + mid[0], admin);
            assertEquals(before, page.getJsonArray("features").size());
            JsonObject after = json("/collections/cases/items?limit=10000&datetime=" + mid[0] + "/..", admin);
            long fromMid = TestServer.get().count("SELECT count(*) FROM civic_case WHERE created_at >= ?::timestamptz", mid[0]);
            assertEquals(fromMid, after.getJsonArray("features").size());
            assertTrue(before + fromMid > all, "both ends are inclusive");
            for (String bad : List.of("yesterday", "2024-13-01", "2025-01-02/2024-01-01", "a/b/c")) {
                assertEquals(400, get("/collections/cases/items?datetime=" + enc(bad), admin, Map.of()).statusCode(), bad);
            }
        }

        @Test
        void oneFeatureByItsIdAnd404ForOneOutsideTheScope() throws Exception {   // /conf/core/f-op, f-success
            String own = TestServer.get().firstRow("SELECT code FROM house WHERE street_code = '440105001' ORDER BY code LIMIT 1")[0];
            String other = TestServer.get().firstRow("SELECT code FROM house WHERE street_code = '440105002' ORDER BY code LIMIT 1")[0];
            JsonObject f = json("/collections/houses/items/" + own, street);
            assertEquals(own, f.getString("id"));
            assertNotNull(link(f, "collection", null));
            assertEquals(404, get("/collections/houses/items/" + other, street, Map.of()).statusCode());
            assertEquals(200, get("/collections/houses/items/" + other, admin, Map.of()).statusCode());
            assertEquals(400, get("/collections/houses/items/abc", admin, Map.of()).statusCode());
        }

        @Test
        void aStreetUserPagesOnlyTheirStreet() throws Exception {
            long own = TestServer.get().count("SELECT count(*) FROM grid WHERE street_code = '440105001'");
            JsonObject page = json("/collections/grids/items?limit=10000", street);
            assertEquals(own, page.getJsonArray("features").size());
            page.getJsonArray("features").forEach(o -> assertEquals("440105001",
                    ((JsonObject) o).getJsonObject("properties").getString("streetCode")));
        }

        @Test
        void answersRevalidateByETag() {
            HttpResponse<String> first = get("/collections/houses/items?limit=50", admin, Map.of());
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertEquals(304, get("/collections/houses/items?limit=50", admin, Map.of("If-None-Match", etag)).statusCode());
            assertEquals(200, get("/collections/houses/items?limit=51", admin, Map.of("If-None-Match", etag)).statusCode());
            assertNotEquals(get("/collections/grids", admin, Map.of()).headers().firstValue("ETag").orElseThrow(),
                    get("/collections/grids", street, Map.of()).headers().firstValue("ETag").orElseThrow(), "another scope, another answer");
            String collections = get("/collections", admin, Map.of()).headers().firstValue("ETag").orElseThrow();
            assertEquals(304, get("/collections", admin, Map.of("If-None-Match", collections)).statusCode());
        }
    }

    /** Conformance class GeoJSON: /conf/geojson/… */
    @Nested
    class GeoJson {
        @Test
        void itemsAndFeaturesAreGeoJsonByMediaType() {   // /conf/geojson/content, definition
            for (String path : List.of("/collections/streets/items", "/collections/enterprises/items?limit=2")) {
                HttpResponse<String> r = get(path, admin, Map.of("Accept", "application/geo+json"));
                assertEquals(200, r.statusCode());
                assertEquals(FeatureResource.GEOJSON, r.headers().firstValue("Content-Type").orElse(""));
                JsonObject f = new JsonObject(r.body()).getJsonArray("features").getJsonObject(0);
                assertTrue(Set.of("MultiPolygon", "Point").contains(f.getJsonObject("geometry").getString("type")));
            }
        }
    }

    /** Conformance class HTML: /conf/html/… */
    @Nested
    class Html {
        @Test
        void everyResourceHasAnHtmlViewWithItsTextEscaped() throws Exception {   // /conf/html/definition, content
            for (String path : List.of("/?f=html", "/conformance?f=html", "/collections?f=html", "/collections/houses?f=html",
                    "/collections/houses/items?f=html&limit=5")) {
                HttpResponse<String> r = get(path, admin, Map.of());
                assertEquals(200, r.statusCode(), path);
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
                assertTrue(r.body().startsWith("<!DOCTYPE html>") && !r.body().contains("<script"), path);
            }
            // a case whose title is markup reads as text
            String title = "<img src=x onerror=alert(1)> 井盖缺失";
            String number = caseTitled(title);
            HttpResponse<String> page = get("/collections/cases/items/" + number + "?f=html", admin, Map.of("Accept", "text/html"));
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains("&lt;img src=x onerror=alert(1)&gt; 井盖缺失"));
            assertFalse(page.body().contains("<img"));
            HttpResponse<String> browser = get("/collections/cases/items/" + number, admin, Map.of("Accept", "text/html"));
            assertTrue(browser.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), "Accept decides without f");
        }
    }

    /** Abstract test suite of Part 2, conformance class CRS by reference: /conf/crs/… */
    @Nested
    class CrsByReference {
        private static final String SQL_POINT = "SELECT ST_X(g), ST_Y(g) FROM (SELECT ST_Transform(geom, %d) g FROM house WHERE code = '%s') x";

        @Test
        void everyCrsOfTheListAnswersWithItsAxisOrderAndContentCrs() throws Exception {   // /conf/crs/crs-parameter, -valid, content-crs
            String code = TestServer.get().firstRow("SELECT code FROM house ORDER BY code LIMIT 1")[0];
            for (Crs crs : Crs.ALL) {
                HttpResponse<String> r = get("/collections/houses/items/" + code + "?crs=" + enc(crs.uri()), admin, Map.of());
                assertEquals(200, r.statusCode(), crs.uri() + ": " + r.body());
                assertEquals("<" + crs.uri() + ">", r.headers().firstValue("Content-Crs").orElse(""));
                String[] xy = TestServer.get().firstRow(String.format(SQL_POINT, crs.srid(), code));
                double x = Double.parseDouble(xy[0]);
                double y = Double.parseDouble(xy[1]);
                JsonArray c = new JsonObject(r.body()).getJsonObject("geometry").getJsonArray("coordinates");
                double tolerance = crs.decimals() > 2 ? 1e-6 : 0.01;
                assertEquals(crs.swapAxes() ? y : x, c.getDouble(0), tolerance, crs.uri() + " first axis");
                assertEquals(crs.swapAxes() ? x : y, c.getDouble(1), tolerance, crs.uri() + " second axis");
            }
            // EPSG:4326 is latitude first: Haizhu's latitude 23.x comes first
            JsonArray c = json("/collections/houses/items/" + code + "?crs=" + enc(Crs.WGS84.uri()), admin)
                    .getJsonObject("geometry").getJsonArray("coordinates");
            assertTrue(c.getDouble(0) < 24 && c.getDouble(1) > 113);
            // EPSG:4547 is northing first: about 2,555 km north, 500 km (+ zone 38) east … in metres
            JsonArray gk = json("/collections/houses/items/" + code + "?crs=" + enc(Crs.CGCS2000_GK_114E.uri()), admin)
                    .getJsonObject("geometry").getJsonArray("coordinates");
            assertTrue(gk.getDouble(0) > 2_500_000 && gk.getDouble(1) < 1_000_000, gk.encode());
            assertEquals("<" + Crs.CRS84.uri() + ">", get("/collections/houses/items", admin, Map.of()).headers()
                    .firstValue("Content-Crs").orElse(""));
        }

        @Test
        void anUnknownCrsIs400() {   // /conf/crs/crs-parameter-invalid, bbox-crs-parameter-invalid
            for (String q : List.of("crs=" + enc("http://www.opengis.net/def/crs/EPSG/0/2000"), "crs=EPSG:4326",
                    "bbox=1,2,3,4&bbox-crs=" + enc("http://www.opengis.net/def/crs/EPSG/0/32650"))) {
                HttpResponse<String> r = get("/collections/houses/items?" + q, admin, Map.of());
                assertEquals(400, r.statusCode(), q);
                assertNotNull(new JsonObject(r.body()).getJsonObject("error").getString("code"));
            }
        }

        @Test
        void bboxCrsTakesTheBoxInThatCrsAndAxisOrder() throws Exception {   // /conf/crs/bbox-crs-parameter, -valid
            String code = TestServer.get().firstRow("SELECT code FROM house ORDER BY code LIMIT 1")[0];
            String[] gk = TestServer.get().firstRow(String.format(SQL_POINT, 4547, code));
            double e = Double.parseDouble(gk[0]);
            double n = Double.parseDouble(gk[1]);
            double d = 150;
            // northing first, as EPSG:4547 defines it
            String box = (n - d) + "," + (e - d) + "," + (n + d) + "," + (e + d);
            long expected = TestServer.get().count("SELECT count(*) FROM house WHERE ST_Intersects(geom,"
                    + " ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 4547), 4326))", e - d, n - d, e + d, n + d);
            JsonObject page = json("/collections/houses/items?limit=10000&bbox=" + box + "&bbox-crs="
                    + enc(Crs.CGCS2000_GK_114E.uri()), admin);
            assertEquals(expected, page.getJsonArray("features").size());
            assertTrue(page.getJsonArray("features").stream().anyMatch(o -> ((JsonObject) o).getString("id").equals(code)));
            String[] p = TestServer.get().firstRow("SELECT ST_X(geom), ST_Y(geom) FROM house WHERE code = '" + code + "'");
            double lon = Double.parseDouble(p[0]);
            double lat = Double.parseDouble(p[1]);
            String latFirst = (lat - 0.001) + "," + (lon - 0.001) + "," + (lat + 0.001) + "," + (lon + 0.001);
            JsonObject wgs = json("/collections/houses/items?limit=10000&bbox=" + latFirst + "&bbox-crs=" + enc(Crs.WGS84.uri()), admin);
            assertTrue(wgs.getJsonArray("features").stream().anyMatch(o -> ((JsonObject) o).getString("id").equals(code)));
            JsonObject next = link(json("/collections/houses/items?limit=1&bbox=" + latFirst + "&bbox-crs=" + enc(Crs.WGS84.uri()), admin),
                    "next", null);
            if (next != null) {
                assertTrue(next.getString("href").contains("bbox-crs="), "the next page keeps the box's CRS");
            }
        }
    }

    /** Part 3, Filtering with CQL2 text: /conf/filter/…, /conf/features-filter/…, and the links to the tiles beside. */
    @Nested
    class Filtering {
        @Test
        void aFilterSelectsWhatTheSameSqlSelectsAndTheNextLinkKeepsIt() throws Exception {   // /conf/features-filter/filter-param
            String streetCode = TestServer.get().firstRow("SELECT street_code FROM grid GROUP BY street_code ORDER BY count(*) LIMIT 1")[0];
            long expected = TestServer.get().count("SELECT count(*) FROM grid WHERE street_code = ? AND area_m2 > 10000", streetCode);
            assertTrue(expected > 1, "the street has grids over 1 ha");
            String filter = "street_code = '" + streetCode + "' AND area_m2 > 10000";
            Set<String> seen = new HashSet<>();
            String path = "/collections/grids/items?limit=" + (expected / 2 + 1) + "&filter=" + enc(filter);
            while (path != null) {
                JsonObject page = json(path, admin);
                for (Object o : page.getJsonArray("features")) {
                    JsonObject f = (JsonObject) o;
                    assertEquals(streetCode, f.getJsonObject("properties").getString("streetCode"));
                    assertTrue(seen.add(f.getString("id")));
                }
                JsonObject next = link(page, "next", FeatureResource.GEOJSON);
                path = next == null ? null : pathOf(next);
                if (path != null) {
                    assertTrue(path.contains("filter="), "the next page keeps the filter: " + path);
                }
            }
            assertEquals(expected, seen.size());
        }

        @Test
        void sIntersectsAndSWithinTakeAPolygonInTheFilterCrs() throws Exception {   // /conf/cql2/basic-spatial-functions
            String[] p = TestServer.get().firstRow("SELECT ST_X(geom), ST_Y(geom) FROM house ORDER BY code LIMIT 1 OFFSET 500");
            double lon = Double.parseDouble(p[0]);
            double lat = Double.parseDouble(p[1]);
            double d = 0.001;
            String polygon = String.format("POLYGON((%s %s, %s %s, %s %s, %s %s, %s %s))", lon - d, lat - d, lon + d, lat - d,
                    lon + d, lat + d, lon - d, lat + d, lon - d, lat - d);
            long expected = TestServer.get().count("SELECT count(*) FROM house WHERE ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 4326))",
                    lon - d, lat - d, lon + d, lat + d);
            assertTrue(expected > 0);
            JsonObject page = json("/collections/houses/items?limit=10000&filter=" + enc("S_INTERSECTS(geometry, " + polygon + ")"), admin);
            assertEquals(expected, page.getJsonArray("features").size());
            // the same box, latitude first, as EPSG:4326 says
            String latFirst = String.format("POLYGON((%s %s, %s %s, %s %s, %s %s, %s %s))", lat - d, lon - d, lat - d, lon + d,
                    lat + d, lon + d, lat + d, lon - d, lat - d, lon - d);
            JsonObject flipped = json("/collections/houses/items?limit=10000&filter-crs=" + enc(Crs.WGS84.uri()) + "&filter="
                    + enc("S_WITHIN(geometry, " + latFirst + ")"), admin);
            assertEquals(expected, flipped.getJsonArray("features").size());
        }

        @Test
        void aStreetUsersFilterStaysInTheirStreet() {
            JsonObject page = json("/collections/houses/items?limit=10000&filter=" + enc("street_code <> '440105001'"), street);
            assertEquals(0, page.getJsonArray("features").size(), "another street's houses do not exist for them");
        }

        @Test
        void aBadFilterIs400SayingWhereAndNothingElse() {   // /conf/filter/filter-param (invalid)
            for (String bad : List.of("street_code = ", "no_such_column = 1", "legal_person = 'x'", "area_m2 > 'big'",
                    "street_code = '1'; DROP TABLE grid")) {
                HttpResponse<String> r = get("/collections/grids/items?filter=" + enc(bad), admin, Map.of());
                assertEquals(400, r.statusCode(), bad + ": " + r.body());
                JsonObject error = new JsonObject(r.body()).getJsonObject("error");
                assertEquals("invalid_filter", error.getString("code"), bad);
                assertTrue(error.getJsonObject("details").containsKey("position"), bad);
            }
            HttpResponse<String> lang = get("/collections/grids/items?filter-lang=cql2-json&filter=" + enc("true"), admin, Map.of());
            assertEquals(400, lang.statusCode());
        }

        @Test
        void theLandingPageAndTheCollectionsLinkToTheTilesAndTheQueryables() {
            JsonObject landing = json("/", admin);
            JsonObject schemes = link(landing, "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", null);
            assertNotNull(schemes, landing.encode());
            assertEquals(200, get(pathOf(schemes), admin, Map.of()).statusCode());
            JsonObject grids = json("/collections/grids", admin);
            JsonObject tilesets = link(grids, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", null);
            assertNotNull(tilesets, grids.encode());
            assertEquals(200, get(pathOf(tilesets), admin, Map.of()).statusCode());
            JsonObject queryables = link(grids, "http://www.opengis.net/def/rel/ogc/1.0/queryables", null);
            assertEquals(200, get(pathOf(queryables), admin, Map.of()).statusCode());
            assertNull(link(json("/collections/cases", admin), "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", null),
                    "cases are no tile layer");
            List<Object> classes = json("/conformance", admin).getJsonArray("conformsTo").getList();
            assertTrue(classes.contains("http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter"));
            assertTrue(classes.contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core"));
        }
    }
}
