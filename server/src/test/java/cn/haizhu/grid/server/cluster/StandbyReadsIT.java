package cn.haizhu.grid.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.importers.demo.DemoDataset;
import cn.haizhu.grid.importers.demo.DemoUsers;
import cn.haizhu.grid.server.CommandCenter;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reads from the standby (docs/CLUSTER.md): a primary and a hot standby of its own (PostgreSQL
 * 55502/55503, var/test-standby-reads), the 1% demo, one server with {@code db.standby.url}. Tiles,
 * search, stats and OGC reads are served by the standby (the metric counts them there); with the
 * standby's replay paused, a change on the primary is seen by the reads once the lag passes the
 * bound, because they move to the primary; resumed, they come back; with the standby stopped they
 * still answer, from the primary.
 */
class StandbyReadsIT {
    private static final int PRIMARY_PORT = TestDatabases.portAbove(1172);
    private static final int STANDBY_PORT = TestDatabases.portAbove(1173);
    private static final String PASSWORD = "standby-Passw0rd";
    private static final String REPLICATION_PASSWORD = "replication-Passw0rd";
    private static final Pattern SERVED = Pattern.compile("gridctl_db_reads_total\\{pool=\"(standby|primary)\",?\\} ([0-9.E]+)");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void readsUseTheStandbyWhileItIsCloseBehind() throws Exception {
        Path folder = TestDatabases.projectDir().resolve("var/test-standby-reads");
        EmbeddedPostgres primary = new EmbeddedPostgres(folder.resolve("primary"), PRIMARY_PORT);
        EmbeddedPostgres standby = new EmbeddedPostgres(folder.resolve("standby"), STANDBY_PORT);
        primary.stop(true);   // a run killed earlier
        standby.stop(true);
        Cluster.deleteTree(folder);
        try {
            primary.start("postgres");
            if (Replication.configurePrimary(primary, REPLICATION_PASSWORD)) {
                primary.stop(true);
                primary.start("postgres");
            }
            primary.start("gridctl");
            Replication.ensureSlot(primary);
            GridConfig config = GridConfig.load(TestDatabases.projectDir(), Map.of(
                    "GRIDCTL_CONFIG", "/nonexistent",
                    "GRIDCTL_DATA_DIR", folder.resolve("data").toString(),
                    "GRIDCTL_DEMO_SCALE", "0.01",
                    "GRIDCTL_DEMO_PASSWORD", PASSWORD,
                    "GRIDCTL_DB_STANDBY_URL", standby.jdbcUrl("gridctl"))).withHttpPort(0);
            try (Database db = Database.at(primary.jdbcUrl("gridctl"), EmbeddedPostgres.SUPERUSER, primary.password(), "440105")) {
                PersonalDataCipher cipher = PersonalDataKey.cipher(config);
                new DemoDataset(config.demoScale(), config.demoSeed(), config.dataDir()).ensureLoaded(db, cipher);
                try (var c = db.connection()) {
                    DemoUsers.ensure(c, PASSWORD, config.dataDir());
                }
                standby.baseBackupOf(primary, Replication.ROLE, REPLICATION_PASSWORD, Replication.SLOT);
                standby.start("postgres");
                try (CommandCenter center = CommandCenter.start(config, db, cipher)) {
                    String base = "http://127.0.0.1:" + center.port();
                    String token = token(base);
                    await("reads go to the standby", Duration.ofSeconds(20), () -> center.standbyReads().onStandby());

                    double before = served(center, "standby");
                    long grids = grids(base, token);
                    for (String path : List.of("/tiles/grids/12/3337/1777.mvt", "/api/v1/search?q=" + URLEncoder.encode("街", StandardCharsets.UTF_8),
                            "/collections/houses/items?limit=3")) {
                        assertEquals(200, get(base, path, token).statusCode(), path);
                    }
                    assertTrue(served(center, "standby") >= before + 4, "stats, tile, search and items read on the standby: "
                            + before + " -> " + served(center, "standby"));
                    assertTrue(sessionsOnStandby(standby) > 0, "the read pool holds connections on the standby");

                    // the standby stops replaying; a change on the primary reaches the reads once the lag passes 1 s
                    sql(standby, "SELECT pg_wal_replay_pause()");
                    sql(primary, "INSERT INTO grid (code, name, community_code, street_code, geom) SELECT (code::numeric + 1)::text, "
                            + "name || ' 二', community_code, street_code, geom FROM grid ORDER BY code DESC LIMIT 1");
                    long written = System.nanoTime();
                    await("reads see the change, from the primary", Duration.ofSeconds(10),
                            () -> grids(base, token) == grids + 1);
                    long seenAfterMs = (System.nanoTime() - written) / 1_000_000;
                    assertFalse(center.standbyReads().onStandby(), "the paused standby is beyond the bound");
                    assertTrue(center.metrics().scrape().matches("(?s).*gridctl_db_standby_lag_seconds [1-9].*"),
                            "the lag gauge shows more than a second");
                    System.out.println("standby reads: the change was seen after " + seenAfterMs + " ms with the replay paused");

                    // resumed, it catches up and serves again, with the change
                    sql(standby, "SELECT pg_wal_replay_resume()");
                    await("reads go to the standby again", Duration.ofSeconds(10), () -> center.standbyReads().onStandby());
                    double again = served(center, "standby");
                    assertEquals(grids + 1, grids(base, token));
                    assertTrue(served(center, "standby") > again, "served by the standby again");

                    // the standby stops: the reads still answer, from the primary
                    standby.stop(true);
                    await("reads go to the primary", Duration.ofSeconds(5), () -> !center.standbyReads().onStandby());
                    double primaryBefore = served(center, "primary");
                    assertEquals(grids + 1, grids(base, token));
                    assertEquals(200, get(base, "/tiles/grids/12/3337/1777.mvt", token).statusCode());
                    assertEquals(200, get(base, "/collections/houses/items?limit=3", token).statusCode());
                    assertTrue(served(center, "primary") > primaryBefore, "served by the primary");
                }
            }
        } finally {
            standby.stop(true);
            primary.stop(true);
        }
    }

    /** The grids the stats count (straight from the grid table; its per-grid counts are folded later). */
    private long grids(String base, String token) {
        HttpResponse<String> r = get(base, "/api/v1/stats/district", token);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body()).getJsonObject("totals").getLong("grids");
    }

    private static double served(CommandCenter center, String pool) {
        Matcher m = SERVED.matcher(center.metrics().scrape());
        while (m.find()) {
            if (m.group(1).equals(pool)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no gridctl_db_reads_total for " + pool);
    }

    private static long sessionsOnStandby(EmbeddedPostgres standby) throws Exception {
        try (Connection c = DriverManager.getConnection(standby.jdbcUrl("postgres"), EmbeddedPostgres.SUPERUSER, standby.password());
             Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'gridctl-standby-reads'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(EmbeddedPostgres node, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(node.jdbcUrl("gridctl"), EmbeddedPostgres.SUPERUSER, node.password());
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private String token(String base) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", "command").put("password", PASSWORD).encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body()).getString("token");
    }

    private HttpResponse<String> get(String base, String path, String token) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path + ": " + e.getMessage(), e);
        }
    }

    private static void await(String what, Duration within, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + within.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
