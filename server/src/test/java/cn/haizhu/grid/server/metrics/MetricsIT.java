package cn.haizhu.grid.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GET /metrics of the running server after real requests, read as Prometheus reads it: the names, the
 * labels (route templates, never a raw path), counters that move, the database's counts, who may read.
 */
class MetricsIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String HTTP = "gridctl_http_requests_seconds_count";

    static HttpResponse<String> metrics(String token, String forwardedFor) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/metrics")).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return Http.send(b.build());
    }

    /** A scrape from this machine, as a Prometheus beside the server makes it. */
    static Scrape scrape() {
        HttpResponse<String> r = metrics(null, null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        return Scrape.parse(r.body());
    }

    @Test
    void requestsAreCountedUnderTheirRouteTemplates() throws Exception {
        String dispatcher = Http.token("dispatcher");
        double[] at = housePoint();
        Scrape before = scrape();
        HttpResponse<String> created = Http.post("/api/v1/cases", "application/json",
                cn.haizhu.grid.server.cases.CasesIT.intakeBody(at).put("title", "指标 受理").encode(), dispatcher);
        assertEquals(201, created.statusCode(), created.body());
        String id = Http.json(created).getString("id");
        assertEquals(200, Http.get("/api/v1/cases/" + id, dispatcher).statusCode());
        assertEquals(200, Http.get("/api/v1/cases/" + id, dispatcher).statusCode());
        assertEquals(404, Http.get("/api/v1/cases/" + UUID.randomUUID(), dispatcher).statusCode());
        assertEquals(401, Http.get("/api/v1/cases/" + id, null).statusCode());
        assertEquals(404, Http.get("/no/such/" + id, dispatcher).statusCode());
        Scrape after = scrape();

        String route = "/api/v1/cases/{id}";
        assertEquals(2, after.sum(HTTP, "route", route, "method", "GET", "status", "200") - before.sum(HTTP, "route", route, "method", "GET", "status", "200"),
                () -> after.find(HTTP).toString());
        // answered by the failure handler (404 of the route, 401 before it): still counted under the route's template
        assertEquals(1, after.sum(HTTP, "route", route, "status", "404") - before.sum(HTTP, "route", route, "status", "404"));
        assertEquals(1, after.sum(HTTP, "route", route, "status", "401") - before.sum(HTTP, "route", route, "status", "401"));
        assertEquals(1, after.sum(HTTP, "route", "/api/v1/cases", "method", "POST", "status", "201")
                - before.sum(HTTP, "route", "/api/v1/cases", "method", "POST", "status", "201"));
        assertEquals(1, after.sum("gridctl_cases_intake_total") - before.sum("gridctl_cases_intake_total"));
        assertEquals("histogram", after.types().get("gridctl_http_requests_seconds"));
        assertTrue(after.sum("gridctl_http_requests_seconds_bucket", "route", route, "status", "200", "le", "+Inf") >= 2);

        // bounded: no label anywhere holds a path as asked (the case id, the unknown path)
        Set<String> routes = new TreeSet<>();
        for (Scrape.Sample s : after.samples()) {
            for (String v : s.labels().values()) {
                assertFalse(v.contains(id), "a raw path in a label: " + s);
            }
            if (s.name().equals(HTTP)) {
                routes.add(s.labels().get("route"));
            }
        }
        assertTrue(routes.stream().allMatch(r -> r.equals("unmatched") || r.startsWith("/")), routes.toString());
        assertTrue(routes.contains("/metrics") || routes.contains("/*"), routes.toString());
    }

    @Test
    void tilesCountHitsAndMissesPerLayerAndTheCacheItsBytes() throws Exception {
        String command = Http.token("command");
        double[] at = housePoint();
        int[] t = cn.haizhu.grid.server.tiles.TilesIT.tileAt(at[0], at[1], 12);
        String path = "/tiles/grids/" + t[0] + "/" + t[1] + "/" + t[2] + ".mvt";
        Scrape before = scrape();
        HttpResponse<String> first = Http.get(path, command);
        HttpResponse<String> second = Http.get(path, command);
        assertTrue(Set.of(200, 204).contains(second.statusCode()), second.body());
        assertEquals("hit", second.headers().firstValue("X-Tile-Cache").orElse(""));
        Scrape after = scrape();
        String tiles = "gridctl_tiles_cache_requests_total";
        double hits = after.sum(tiles, "layer", "grids", "result", "hit") - before.sum(tiles, "layer", "grids", "result", "hit");
        double misses = after.sum(tiles, "layer", "grids", "result", "miss") - before.sum(tiles, "layer", "grids", "result", "miss");
        assertEquals(2, hits + misses);
        assertEquals(first.headers().firstValue("X-Tile-Cache").orElse("").equals("miss") ? 1 : 2, hits);
        assertEquals(2, after.sum(HTTP, "route", "/tiles/{layer}/{z}/{x}/{y}.mvt", "method", "GET")
                - before.sum(HTTP, "route", "/tiles/{layer}/{z}/{x}/{y}.mvt", "method", "GET"));
        assertTrue(after.sum("gridctl_tiles_cache_bytes") > 0);
        assertTrue(after.sum("gridctl_tiles_cache_tiles") >= 1);
    }

    @Test
    void theDatabaseThePoolsAndTheJvmAreThere() throws Exception {
        TestServer server = TestServer.get();
        String dispatcher = Http.token("dispatcher");
        HttpResponse<String> created = Http.post("/api/v1/cases", "application/json",
                cn.haizhu.grid.server.cases.CasesIT.intakeBody(housePoint()).put("title", "指标 超期").encode(), dispatcher);
        assertEquals(201, created.statusCode(), created.body());
        JsonObject c = Http.json(created);
        String street = c.getString("streetCode");
        server.center.databaseGauges().refresh().await();
        Scrape before = scrape();
        // the case's deadline passes (as the clock would make it): one more overdue case in its street
        try (Connection db = server.db.connection();
             PreparedStatement ps = db.prepareStatement("UPDATE civic_case SET deadline = now() - interval '1 hour' WHERE gid = ?::uuid")) {
            ps.setString(1, c.getString("id"));
            assertEquals(1, ps.executeUpdate());
        }
        server.center.databaseGauges().refresh().await();
        Scrape after = scrape();
        assertEquals(1, after.sum("gridctl_cases_overdue", "street", street) - before.sum("gridctl_cases_overdue", "street", street));
        assertTrue(after.sum("gridctl_cases_open", "street", street) >= 1);
        assertFalse(after.find("gridctl_cases_overdue", "street", street).get(0).labels().get("name").isEmpty());

        assertEquals(16, after.sum("gridctl_db_pool_max", "pool", "gridctl-requests"));
        assertEquals(1, after.find("gridctl_db_pool_in_use", "pool", "gridctl-requests").size());
        assertEquals(1, after.find("gridctl_db_pool_waiting", "pool", "gridctl-requests").size());
        for (String jvm : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds", "process_cpu_usage",
                "jvm_classes_loaded_classes"}) {
            assertTrue(after.has(jvm), jvm);
        }
        // the demo's load recorded its import jobs: jobs by dataset and state, and their rows
        assertTrue(after.sum("gridctl_imports_jobs") >= 1);
        assertTrue(after.sum("gridctl_imports_rows_total", "outcome", "inserted") > 0);
    }

    @Test
    void openEventStreamsAreCounted() throws Exception {
        String command = Http.token("command");
        double before = scrape().sum("gridctl_events_streams_open");
        HttpResponse<java.io.InputStream> stream = CLIENT.send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/api/v1/events"))
                .header("Authorization", "Bearer " + command).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        try {
            assertEquals(before + 1, scrape().sum("gridctl_events_streams_open"));
        } finally {
            stream.body().close();
        }
    }

    @Test
    void everySeriesTheDashboardReadsIsExported() throws Exception {
        Set<String> wanted = DashboardMetricsTest.namesIn(new JsonObject(Files.readString(DashboardMetricsTest.dashboard())));
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(DashboardMetricsTest.exported(metrics(null, null).body()));
        assertEquals(Set.of(), missing);
    }

    @Test
    void onlyTheOpsRoleAdministratorsAndThisMachineMayRead() throws Exception {
        assertEquals(200, metrics(null, null).statusCode());
        // through a proxy (its X-Forwarded-For): an account with metrics.read, or nothing
        String remote = "203.0.113.7";
        assertEquals(401, metrics(null, remote).statusCode());
        HttpResponse<String> command = metrics(Http.token("command"), remote);
        assertEquals(403, command.statusCode());
        assertTrue(new JsonObject(command.body()).getJsonObject("error").getString("message").contains("metrics.read"));
        assertEquals(403, metrics(Http.token("officer"), remote).statusCode());
        assertEquals(200, metrics(Http.token("admin"), remote).statusCode());
        HttpResponse<String> ops = metrics(opsToken(), remote);
        assertEquals(200, ops.statusCode(), ops.body());
        assertTrue(Scrape.parse(ops.body()).has(HTTP));
        // and the ops role reads nothing else
        assertEquals(403, Http.get("/api/v1/stats/district", opsToken()).statusCode());
    }

    /** Where a house of the demo stands: inside a grid, a community, a street. */
    static double[] housePoint() {
        try {
            String[] p = TestServer.get().firstRow("SELECT ST_X(geom), ST_Y(geom) FROM house ORDER BY code LIMIT 1");
            return new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])};
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sign-in of an account of the role ops (made here: the demo has none). */
    static String opsToken() throws Exception {
        try (Connection c = TestServer.get().db.connection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO app_user (username, display_name, password_hash, role, scope_kind, scope_code)
                SELECT 'metrics-ops', '运维', password_hash, 'ops', 'district', '440105' FROM app_user WHERE username = 'command'
                ON CONFLICT (username) DO NOTHING""")) {
            ps.executeUpdate();
        }
        return Http.token("metrics-ops");
    }
}
