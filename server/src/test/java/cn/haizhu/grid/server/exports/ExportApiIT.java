package cn.haizhu.grid.server.exports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /api/v1/exports/{collection} over real HTTP: the file, its headers, the caller's scope, CQL2
 * filters, persons masked and unmasked, the audit entry, and the refusals.
 */
class ExportApiIT {
    static TestServer server;
    static String officer;
    static String streetCommand;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = TestServer.get();
        officer = Http.token("officer");
        streetCommand = Http.token("command-440105001");
    }

    static HttpResponse<byte[]> download(String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    static long count(String sql) throws Exception {
        return Long.parseLong(server.firstRow(sql)[0]);
    }

    @Test
    void csvOfHousesComesAsAnAttachmentWithItsChineseName() throws Exception {
        HttpResponse<byte[]> r = download("/api/v1/exports/houses?format=csv", officer);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("text/csv; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        String disposition = r.headers().firstValue("Content-Disposition").orElse("");
        assertTrue(disposition.startsWith("attachment; filename=\"houses.csv\"; filename*=UTF-8''%E6%88%BF%E5%B1%8B.csv"), disposition);
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(r.body(), 3));
        long lines = new String(r.body(), StandardCharsets.UTF_8).lines().count();
        assertEquals(count("SELECT count(*) FROM house") + 1, lines);
    }

    @Test
    void aStreetUserExportsTheirStreetOnlyAndIsRefusedAnother() throws Exception {
        HttpResponse<byte[]> r = download("/api/v1/exports/houses?format=csv", streetCommand);
        assertEquals(200, r.statusCode());
        assertEquals(count("SELECT count(*) FROM house WHERE street_code = '440105001'") + 1,
                new String(r.body(), StandardCharsets.UTF_8).lines().count(), "row-level security: their street's houses");
        HttpResponse<String> other = Http.get("/api/v1/exports/houses?format=csv&street=440105002", streetCommand);
        assertEquals(403, other.statusCode(), other.body());
        assertTrue(Http.json(other).getJsonObject("error").getString("message").contains("440105002"));
    }

    @Test
    void shapefileZipInUtf8ReadsInGdal() throws Exception {
        Gdal.assumeInstalled();
        HttpResponse<byte[]> r = download("/api/v1/exports/enterprises?format=shp&encoding=UTF-8&street=440105001", officer);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/zip", r.headers().firstValue("Content-Type").orElse(""));
        Path zip = Files.write(dir.resolve("e.zip"), r.body());
        String summary = Gdal.ogrinfo("-so", "-al", "/vsizip/" + zip + "/enterprises.shp");
        assertEquals(count("SELECT count(*) FROM enterprise WHERE street_code = '440105001'"), Gdal.featureCount(summary), summary);
        String name = server.firstRow("SELECT name FROM enterprise WHERE street_code = '440105001' ORDER BY credit_code LIMIT 1")[0];
        String all = Gdal.ogrinfo("-al", "-q", "/vsizip/" + zip + "/enterprises.shp");
        assertTrue(all.contains("name (String) = " + name), "Chinese name intact");
    }

    @Test
    void geoPackageOfCommunitiesDownloads() throws Exception {
        Gdal.assumeInstalled();
        HttpResponse<byte[]> r = download("/api/v1/exports/communities", officer);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/geopackage+sqlite3", r.headers().firstValue("Content-Type").orElse(""));
        Path gpkg = Files.write(dir.resolve("c.gpkg"), r.body());
        assertEquals(count("SELECT count(*) FROM admin_area WHERE level = 'community'"),
                Gdal.featureCount(Gdal.ogrinfo("-so", "-al", gpkg.toString())));
    }

    @Test
    void refusalsAreTheOneErrorFormat() throws Exception {
        // an officer has no cases.read
        HttpResponse<String> cases = Http.get("/api/v1/exports/cases?format=csv", officer);
        assertEquals(403, cases.statusCode(), cases.body());
        assertTrue(Http.json(cases).getJsonObject("error").getString("message").contains("cases.read"));
        HttpResponse<String> format = Http.get("/api/v1/exports/houses?format=pdf", officer);
        assertEquals(400, format.statusCode(), format.body());
        assertEquals("format", Http.json(format).getJsonObject("error").getJsonObject("details").getString("parameter"));
        HttpResponse<String> street = Http.get("/api/v1/exports/houses?street=12", officer);
        assertEquals(400, street.statusCode(), street.body());
        HttpResponse<String> unknown = Http.get("/api/v1/exports/people", officer);
        assertEquals(404, unknown.statusCode(), unknown.body());
        JsonObject error = Http.json(unknown).getJsonObject("error");
        assertTrue(error.containsKey("code") && error.containsKey("message"), unknown.body());
    }

    @Test
    void casesExportForACommander() throws Exception {
        String command = Http.token("command");
        HttpResponse<byte[]> r = download("/api/v1/exports/cases?format=xlsx", command);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        try (var book = new org.apache.poi.xssf.usermodel.XSSFWorkbook(new java.io.ByteArrayInputStream(r.body()))) {
            assertEquals("case_number", book.getSheetAt(0).getRow(0).getCell(0).getStringCellValue());
            assertEquals(count("SELECT count(*) FROM civic_case"), book.getSheetAt(0).getLastRowNum());
        }
    }

    static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static List<String> lines(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8).lines().toList();
    }

    /** The newest audit entry: username, role, action, subject, row_count, purpose, masked, client_ip, request_path. */
    static String[] lastAudit() throws Exception {
        return server.firstRow("SELECT username, role, action, subject, row_count, purpose, masked::text, client_ip, request_path "
                + "FROM pii_audit ORDER BY id DESC LIMIT 1");
    }

    @Test
    void aComparisonFilterSelectsItsHousesAndTheExportIsAudited() throws Exception {
        String street = server.firstRow("SELECT street_code FROM house GROUP BY street_code ORDER BY count(*) DESC LIMIT 1")[0];
        String filter = "street_code = '" + street + "' AND floor BETWEEN 2 AND 5";
        HttpResponse<byte[]> r = download("/api/v1/exports/houses?format=csv&filter=" + q(filter), officer);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        long expected = server.count("SELECT count(*) FROM house WHERE street_code = ? AND floor BETWEEN 2 AND 5", street);
        assertTrue(expected > 0 && expected < count("SELECT count(*) FROM house"), "some houses, not all: " + expected);
        assertEquals(expected + 1, lines(r).size());
        String[] a = lastAudit();
        assertEquals(List.of("officer", "officer", "export", "export houses csv filter=" + filter),
                List.of(a[0], a[1], a[2], a[3]));
        assertEquals(null, a[4], "the entry is written before the first row: no count");
        assertEquals("true", a[6]);
        assertTrue(a[7] != null && !a[7].isEmpty(), "the client's address");
        assertEquals("/api/v1/exports/houses", a[8]);
    }

    @Test
    void aPolygonFilterSelectsTheHousesInIt() throws Exception {
        String[] e = server.firstRow("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry e FROM house) x");
        double w = Double.parseDouble(e[0]), s = Double.parseDouble(e[1]), east = Double.parseDouble(e[2]), n = Double.parseDouble(e[3]);
        double x0 = w + (east - w) * 0.3, y0 = s + (n - s) * 0.3, x1 = w + (east - w) * 0.6, y1 = s + (n - s) * 0.7;
        // a triangle, so that no box would do
        String polygon = "POLYGON((" + x0 + " " + y0 + ", " + x1 + " " + y0 + ", " + x0 + " " + y1 + ", " + x0 + " " + y0 + "))";
        HttpResponse<byte[]> r = download("/api/v1/exports/houses?format=geojson&filter=" + q("S_INTERSECTS(geometry, " + polygon + ")"), officer);
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        long expected = server.count("SELECT count(*) FROM house WHERE ST_Intersects(geom, ST_GeomFromText(?, 4326))", polygon);
        assertTrue(expected > 0, "houses in the triangle");
        JsonObject fc = new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(expected, fc.getJsonArray("features").size());
        // the same triangle with latitude first, as EPSG:4326 writes it
        String latLon = "POLYGON((" + y0 + " " + x0 + ", " + y0 + " " + x1 + ", " + y1 + " " + x0 + ", " + y0 + " " + x0 + "))";
        HttpResponse<byte[]> swapped = download("/api/v1/exports/houses?format=csv&filter=" + q("S_WITHIN(geometry, " + latLon + ")")
                + "&filter-crs=" + q("http://www.opengis.net/def/crs/EPSG/0/4326"), officer);
        assertEquals(200, swapped.statusCode(), new String(swapped.body(), StandardCharsets.UTF_8));
        assertEquals(server.count("SELECT count(*) FROM house WHERE ST_Within(geom, ST_GeomFromText(?, 4326))", polygon) + 1,
                lines(swapped).size());
    }

    @Test
    void ogcItemsAsAFileAreAnExportOfTheirWholeSelection() throws Exception {
        // OGC API items?f=csv|gpkg|…: the filter, bbox and datetime select; limit and paging do not apply to a file
        String street = server.firstRow("SELECT street_code FROM house GROUP BY street_code ORDER BY count(*) LIMIT 1")[0];
        String[] e = server.firstRow("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry e"
                + " FROM house WHERE street_code = '" + street + "') x");
        double w = Double.parseDouble(e[0]), s = Double.parseDouble(e[1]), east = Double.parseDouble(e[2]), n = Double.parseDouble(e[3]);
        double xm = (w + east) / 2;
        String bbox = w + "," + s + "," + xm + "," + n;
        long expected = server.count("SELECT count(*) FROM house WHERE street_code = ? AND ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 4326))",
                street, w, s, xm, n);
        assertTrue(expected > 10, "houses in the west half of the street: " + expected);
        HttpResponse<byte[]> csv = download("/collections/houses/items?f=csv&limit=10&filter=" + q("street_code = '" + street + "'")
                + "&bbox=" + bbox, officer);
        assertEquals(200, csv.statusCode(), new String(csv.body(), StandardCharsets.UTF_8));
        assertEquals("text/csv; charset=utf-8", csv.headers().firstValue("Content-Type").orElse(""));
        assertEquals(expected + 1, lines(csv).size(), "the whole selection, not a page of 10");
        String[] a = lastAudit();
        assertEquals("export houses csv filter=street_code = '" + street + "' AND S_INTERSECTS(geometry, BBOX(" + w + ", " + s + ", "
                + xm + ", " + n + "))", a[3]);
        HttpResponse<byte[]> gpkg = download("/collections/grids/items?f=gpkg", officer);
        assertEquals(200, gpkg.statusCode());
        assertEquals("SQLite format 3", new String(Arrays.copyOf(gpkg.body(), 15), StandardCharsets.US_ASCII));
        // cases by reporting time
        cn.haizhu.grid.server.features.FeaturesIT.caseTitled("按时间导出");
        cn.haizhu.grid.server.features.FeaturesIT.caseTitled("按时间导出二");
        String[] mid = server.firstRow("SELECT to_char((SELECT created_at FROM civic_case ORDER BY created_at OFFSET (SELECT count(*) / 2"
                + " FROM civic_case) LIMIT 1) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
        HttpResponse<byte[]> cases = download("/collections/cases/items?f=geojson&datetime=../" + mid[0], Http.token("dispatcher"));
        assertEquals(200, cases.statusCode(), new String(cases.body(), StandardCharsets.UTF_8));
        assertEquals(server.count("SELECT count(*) FROM civic_case WHERE created_at <= ?::timestamptz", mid[0]),
                new JsonObject(new String(cases.body(), StandardCharsets.UTF_8)).getJsonArray("features").size());
        // what a file cannot be: a projected CRS, a bad filter; a page format still pages
        assertEquals(400, download("/collections/houses/items?f=csv&crs=" + q("http://www.opengis.net/def/crs/EPSG/0/3857"), officer).statusCode());
        assertEquals(400, download("/collections/houses/items?f=csv&filter=" + q("nope ="), officer).statusCode());
        assertEquals(400, download("/collections/houses/items?f=pdf", officer).statusCode());
    }

    @Test
    void aFilterThatCannotRunIsA400AndNothingIsExported() throws Exception {
        long before = count("SELECT count(*) FROM pii_audit");
        for (String[] bad : List.of(
                new String[] {"houses", "floor >>> 3"},
                new String[] {"houses", "house_code = '1'"},                   // the queryable is code
                new String[] {"cases", "description LIKE '%x%'"},              // free text is no queryable
                new String[] {"enterprises", "legal_person = '张三'"},          // personal data is no queryable
                new String[] {"persons", "id_number = '440105199001011234'"},  // nor a person's ID number
                new String[] {"persons", "name LIKE '王%'"})) {
            String token = bad[0].equals("cases") ? Http.token("command") : officer;
            HttpResponse<String> r = Http.get("/api/v1/exports/" + bad[0] + "?format=csv&filter=" + q(bad[1]), token);
            assertEquals(400, r.statusCode(), bad[1] + ": " + r.body());
            JsonObject error = Http.json(r).getJsonObject("error");
            assertEquals("invalid_filter", error.getString("code"), r.body());
            assertTrue(error.getJsonObject("details").getInteger("position") > 0, r.body());
        }
        HttpResponse<String> crs = Http.get("/api/v1/exports/houses?filter=" + q("floor = 1") + "&filter-crs=EPSG:9999", officer);
        assertEquals(400, crs.statusCode(), crs.body());
        assertEquals("invalid_filter", Http.json(crs).getJsonObject("error").getString("code"));
        assertEquals(before, count("SELECT count(*) FROM pii_audit"), "nothing ran, so nothing was audited");
        // a filter that parses but that PostGIS cannot apply (a point outside its projection's domain) is refused too
        HttpResponse<String> domain = Http.get("/api/v1/exports/houses?format=csv&filter=" + q("S_INTERSECTS(geometry, POINT(5e11 -1e12))")
                + "&filter-crs=" + q("http://www.opengis.net/def/crs/EPSG/0/4547"), officer);
        assertEquals(400, domain.statusCode(), domain.body());
        assertEquals("invalid_filter", Http.json(domain).getJsonObject("error").getString("code"), domain.body());
    }

    @Test
    void personsLeaveMaskedUnlessAPiiReaderAsksWithAPurpose() throws Exception {
        String grid = server.firstRow("SELECT grid_code FROM person WHERE street_code = '440105001' ORDER BY grid_code LIMIT 1")[0];
        long persons = server.count("SELECT count(*) FROM person WHERE grid_code = ?", grid);
        String path = "/api/v1/exports/persons?format=csv&filter=" + q("grid_code = '" + grid + "'");
        // a street commander: the masked view of their street's persons, audited
        HttpResponse<byte[]> masked = download(path, streetCommand);
        assertEquals(200, masked.statusCode(), new String(masked.body(), StandardCharsets.UTF_8));
        List<String> rows = lines(masked);
        assertEquals(persons + 1, rows.size());
        String[] first = rows.get(1).split(",", -1);
        assertTrue(first[5].matches("\\d{6}\\*{8}\\d{3}[\\dX]"), first[5]);
        assertEquals("", first[7], "no birth date in the masked view");
        String[] a = lastAudit();
        assertEquals("command-440105001", a[0]);
        assertEquals("true", a[6]);
        // unmasking needs pii.read, then a purpose
        HttpResponse<String> denied = Http.get(path + "&unmask=true&purpose=" + q("核查"), streetCommand);
        assertEquals(403, denied.statusCode(), denied.body());
        HttpResponse<String> noPurpose = Http.get(path + "&unmask=true", officer);
        assertEquals(400, noPurpose.statusCode(), noPurpose.body());
        assertEquals("missing_purpose", Http.json(noPurpose).getJsonObject("error").getString("code"));
        HttpResponse<String> houses = Http.get("/api/v1/exports/houses?unmask=true&purpose=" + q("核查"), officer);
        assertEquals(400, houses.statusCode(), "only persons have an unmasked view: " + houses.body());
        // an officer (pii.read) with a purpose: in full, and the audit says so
        HttpResponse<byte[]> unmasked = download(path + "&unmask=true&purpose=" + q("流动人口信息核对"), officer);
        assertEquals(200, unmasked.statusCode(), new String(unmasked.body(), StandardCharsets.UTF_8));
        String[] full = lines(unmasked).get(1).split(",", -1);
        assertTrue(cn.haizhu.grid.data.codes.IdNumber.problem(full[5]).isEmpty(), "a valid ID number in full");
        assertTrue(full[7].matches("\\d{4}-\\d{2}-\\d{2}"), full[7]);
        a = lastAudit();
        assertEquals(List.of("officer", "export persons csv filter=grid_code = '" + grid + "'", "流动人口信息核对", "false"),
                List.of(a[0], a[3], a[5], a[6]));
    }

    @Test
    void personsAreNoFeatureCollectionSoHaveNoQueryablesDocument() {
        assertEquals(404, Http.get("/collections/persons/queryables", officer).statusCode());
        assertEquals(200, Http.get("/collections/houses/queryables", officer).statusCode());
    }

    @Test
    void aStreamedExportSendsItsHeadersAndFirstLineAtOnce() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/exports/houses?format=csv"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + officer).GET().build();
        HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertTrue(in.readLine().startsWith("\uFEFFhouse_code,"));
            assertEquals(count("SELECT count(*) FROM house"), in.lines().count());
        }
    }
}
