package cn.haizhu.grid.server.exports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/v1/exports/{collection} over real HTTP: the file, its headers, the caller's scope, and the refusals. */
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
        HttpResponse<String> unknown = Http.get("/api/v1/exports/persons", officer);
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
}
