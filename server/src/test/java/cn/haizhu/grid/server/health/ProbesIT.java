package cn.haizhu.grid.server.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.NodeServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The probes and the JSON logs on a server of their own (a street node with JSON logs on, on a database
 * of its own: the tests take that database away and put migrations out of it, which no other test
 * should meet).
 */
class ProbesIT {
    private static NodeServer node;

    @BeforeAll
    static void start() {
        node = NodeServer.start("440105001", "probes", c -> c.withOps(new GridConfig.Ops(true, true)));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return Http.send(b.build());
    }

    @Test
    void liveAndReadyWhileAllIsWell() {
        HttpResponse<String> live = get("/health/live", null);
        assertEquals(200, live.statusCode());
        assertEquals("up", new JsonObject(live.body()).getString("status"));
        HttpResponse<String> ready = get("/health/ready", null);
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("ready", new JsonObject(ready.body()).getString("status"));
        assertEquals(200, get("/health", null).statusCode());
    }

    @Test
    void notReadyWhileAMigrationIsMissing() throws Exception {
        try (Connection c = node.db.connection(); Statement s = c.createStatement()) {
            String latest;
            try (ResultSet rs = s.executeQuery("SELECT max(version::int)::text FROM flyway_schema_history WHERE version ~ '^\\d+$'")) {
                rs.next();
                latest = rs.getString(1);
            }
            s.execute("CREATE TEMP TABLE kept AS SELECT * FROM flyway_schema_history WHERE version = '" + latest + "'");
            s.execute("DELETE FROM flyway_schema_history WHERE version = '" + latest + "'");
            try {
                HttpResponse<String> ready = get("/health/ready", null);
                assertEquals(503, ready.statusCode(), ready.body());
                JsonObject body = new JsonObject(ready.body());
                assertEquals("migrations_missing", body.getJsonObject("error").getString("code"));
                assertTrue(body.getJsonObject("error").getJsonObject("details").getJsonArray("missing").contains(latest), ready.body());
                assertEquals(200, get("/health/live", null).statusCode());
            } finally {
                s.execute("INSERT INTO flyway_schema_history SELECT * FROM kept");
            }
            assertEquals(200, get("/health/ready", null).statusCode());
        }
    }

    @Test
    void notReadyWhileTheDatabaseIsAway() throws Exception {
        String url = node.db.url();
        String database = url.substring(url.lastIndexOf('/') + 1);
        // from the cluster's maintenance database: the server's connections to the node's database are cut (the
        // tests' own JDBC pool keeps its), and no new one is let in
        try (Connection c = java.sql.DriverManager.getConnection(url.substring(0, url.lastIndexOf('/') + 1) + "postgres",
                node.db.user(), node.db.password()); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
            try {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "' AND application_name IN ('gridctl-server', 'gridctl-system', 'gridctl-events')");
                HttpResponse<String> ready = get("/health/ready", null);
                assertEquals(503, ready.statusCode(), ready.body());
                assertEquals("database_unavailable", new JsonObject(ready.body()).getJsonObject("error").getString("code"));
                assertEquals("down", new JsonObject(ready.body()).getString("database"));
                assertEquals(200, get("/health/live", null).statusCode(), "the server itself is alive");
            } finally {
                s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
            }
        }
        int status = 0;
        for (int i = 0; i < 50 && status != 200; i++) {
            status = get("/health/ready", null).statusCode();
            if (status != 200) {
                Thread.sleep(200);
            }
        }
        assertEquals(200, status, "ready again once the database is back");
    }

    @Test
    void jsonLogsWriteOneLinePerRequestWithoutPersonalData() throws Exception {
        String token = node.token("officer");
        String idNumber = "44010519900307123X";
        String query = "/api/v1/persons/lookup?id_number=" + idNumber + "&purpose=" + URLEncoder.encode("日志测试", StandardCharsets.UTF_8);
        List<JsonObject> lines = capture(() -> {
            get(query, token);
            get("/api/v1/houses/4401050010010001", token);
            get("/health/live", null);
        });
        List<JsonObject> access = lines.stream().filter(l -> "gridctl.access".equals(l.getString("logger"))).toList();
        assertEquals(3, access.size(), lines.toString());
        JsonObject lookup = access.get(0);
        assertEquals("/api/v1/persons/lookup", lookup.getString("route"));
        assertEquals("GET", lookup.getString("method"));
        assertNotNull(lookup.getInteger("status"));
        assertTrue(lookup.getDouble("durationMs") >= 0);
        assertTrue(lookup.getLong("userId") > 0);
        assertEquals("officer", lookup.getString("role"));
        assertEquals("INFO", lookup.getString("level"));
        assertNotNull(lookup.getString("time"));
        assertEquals("/api/v1/houses/{code}", access.get(1).getString("route"));
        assertEquals("/health/live", access.get(2).getString("route"));
        assertFalse(access.get(2).containsKey("userId"), "a public probe has no user");
        for (JsonObject l : lines) {
            String text = l.encode();
            assertFalse(text.contains(idNumber) || text.contains("19900307") || text.contains("4401050010010001") || text.contains("purpose"),
                    "personal data or a raw path in the log: " + text);
        }
    }

    /**
     * The JSON lines written to standard error while {@code requests} run (each must parse). Lines that do
     * not start as JSON are left out: the JVM's own warnings (a JIT notice) are no log lines of ours.
     */
    private static List<JsonObject> capture(Runnable requests) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            requests.run();
            Thread.sleep(300);   // the last request's line is written when its answer has ended
        } finally {
            System.setErr(original);
        }
        List<JsonObject> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{")) {
                lines.add(new JsonObject(line));   // not JSON: fails here
            }
        }
        return lines;
    }
}
