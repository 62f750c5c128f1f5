package cn.haizhu.grid.server.upgrades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.importers.demo.DemoDataset;
import cn.haizhu.grid.importers.demo.DemoUsers;
import cn.haizhu.grid.server.TestServer;
import cn.haizhu.grid.server.instances.Api;
import cn.haizhu.grid.server.instances.EventStreamClient;
import cn.haizhu.grid.server.instances.Fixtures;
import cn.haizhu.grid.server.instances.ServerProcess;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The previous release's server (its jar built from {@link PreviousRelease}) and this one's, on one
 * database, as a rolling upgrade has them (docs/UPGRADES.md): the previous release makes its schema and
 * serves; the schema is migrated by this release (the expand step) while it serves; this release starts
 * beside it; then a user meets both at once, and neither breaks what the other writes. Finally the
 * previous release restarts on the new schema, as a crashed instance restarted by its supervisor does
 * in the middle of an upgrade: the functions of the new schema must survive it. 178a29e does not start
 * there (its Flyway refuses an applied repeatable migration it does not carry); a release with the
 * schema window (V48 on) starts without migrating.
 *
 * <p>The database is {@code it_upgrades} in the test cluster; the demo (1%, the {@link TestServer}'s
 * data folder and logins) is loaded by this build's loader into the previous release's schema. The two
 * servers run as processes of their own on {@code portAbove(1185..1186)}; each is stopped (SIGTERM, then
 * SIGKILL) whatever happens. A first run builds the previous release's jar (about a minute); later runs
 * take it from the cache.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class PreviousReleaseIT {
    private static final String DATABASE = "it_upgrades";
    private static final int OLD_PORT = TestDatabases.portAbove(1185);
    private static final int NEW_PORT = TestDatabases.portAbove(1186);
    /** Functions this release changed or added, that the previous release's R__ files also define or call. */
    private static final String FUNCTIONS = """
            SELECT string_agg(p.proname || ':' || md5(pg_get_functiondef(p.oid)), ',' ORDER BY p.proname, p.oid)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' AND p.proname IN ('civic_case_notify', 'security_alert_notify', 'gridctl_sign_in',
                'gridctl_sign_in_attempt', 'gridctl_token_caller', 'gridctl_revoke_token', 'tile_dirty_capture', 'gridctl_events_seal')
            """;

    @Test
    void thePreviousReleaseServesBesideThisOneOnTheMigratedSchema() throws Exception {
        long t0 = System.nanoTime();
        Path jar = PreviousRelease.jar();
        System.out.printf("upgrades: the previous release's jar in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, jar);
        EmbeddedPostgres pg = TestDatabases.cluster();
        pg.dropDatabase(DATABASE);
        pg.start(DATABASE);
        String url = pg.jdbcUrl(DATABASE);
        GridConfig config = GridConfig.load(TestDatabases.projectDir(), Map.of("GRIDCTL_CONFIG", "/nonexistent",
                "GRIDCTL_DATA_DIR", TestDatabases.projectDir().resolve("var/test-data").toString(), "GRIDCTL_HTTP_PORT", "1",
                "GRIDCTL_DEMO_SCALE", Double.toString(TestServer.SCALE), "GRIDCTL_DEMO_PASSWORD", TestServer.PASSWORD));

        try (ServerProcess old = ServerProcess.start("previous-release", OLD_PORT, jar, url, pg.password(), config.dataDir(), Map.of())) {
            old.awaitHealthy();
            try (Database asIs = Database.asIs(url, EmbeddedPostgres.SUPERUSER, pg.password(), config.nodeCode())) {
                assertEquals(PreviousRelease.schema(), schemaVersion(asIs), "the previous release made its own schema");
                new DemoDataset(config.demoScale(), config.demoSeed(), config.dataDir()).ensureLoaded(asIs, PersonalDataKey.cipher(config));
                try (Connection c = asIs.connection()) {
                    DemoUsers.ensure(c, TestServer.PASSWORD, config.dataDir());
                }
            }
            // the expand step, once, while the previous release serves
            long m0 = System.nanoTime();
            try (Database db = Database.at(url, EmbeddedPostgres.SUPERUSER, pg.password(), config.nodeCode())) {
                System.out.printf("upgrades: migrated from V%d to V%d in %.1f s beside the running previous release%n",
                        PreviousRelease.schema(), schemaVersion(db), (System.nanoTime() - m0) / 1e9);
                assertTrue(old.alive(), "the previous release still runs");
                try (ServerProcess neu = ServerProcess.start("this-release", NEW_PORT, null, url, pg.password(), config.dataDir(), Map.of())) {
                    neu.awaitHealthy();
                    bothServe(db, old.url, neu.url);
                    String functions = text(db, FUNCTIONS);

                    // the previous release restarts on the new schema (a supervisor restarting a crashed instance mid-upgrade)
                    old.close();
                    try (ServerProcess again = ServerProcess.start("previous-release-again", OLD_PORT, jar, url, pg.password(),
                            config.dataDir(), Map.of())) {
                        Integer exit = again.awaitExit(Duration.ofSeconds(60));
                        String log = again.logText();
                        System.out.println("upgrades: the previous release restarted on the new schema: "
                                + (exit == null ? "it runs" : "it stopped with " + exit) + "; " + flywayLines(log));
                        assertEquals(functions, text(db, FUNCTIONS), "the new schema's functions survive the previous release's start");
                        if (exit == null) {
                            // a previous release that knows the window (this one, once it is the previous) serves without migrating
                            again.awaitHealthy();
                            assertEquals(200, Api.call(again.url, "GET", "/api/v1/me", Api.token(again.url, "dispatcher"), null).statusCode());
                        } else {
                            // 178a29e: its Flyway refuses to validate (the new R__events_functions.sql is not among its files)
                            // before it could re-apply its R__ files; it does not start. docs/UPGRADES.md "The hazard"
                            assertTrue(log.contains("FlywayValidateException"), log);
                        }
                        // what this release relies on still works: an intake at the new instance is heard with its id
                        String token = Api.token(neu.url, "dispatcher");
                        try (EventStreamClient stream = EventStreamClient.open(neu.url, token, "case.", null)) {
                            UUID id = UUID.randomUUID();
                            assertEquals(201, Api.call(neu.url, "POST", "/api/v1/cases", token,
                                    Fixtures.caseBody(id, Fixtures.placesInGrids(db, 1).get(0), "重启之后的受理")).statusCode());
                            assertNotNull(Fixtures.created(stream, List.of(id.toString())).get(0).id(), "heard with its id");
                        }
                    }
                }
            }
        }
    }

    /** What a user meets on either server while both serve, and what each makes of what the other wrote. */
    private static void bothServe(Database db, String oldUrl, String newUrl) throws Exception {
        List<double[]> places = Fixtures.placesInGrids(db, 2);
        // sign-in on both; a token issued by one works on the other (both releases keep tokens in auth_token)
        String fromOld = Api.token(oldUrl, "dispatcher");
        String fromNew = Api.token(newUrl, "dispatcher");
        for (String url : List.of(oldUrl, newUrl)) {
            for (String token : List.of(fromOld, fromNew)) {
                assertEquals(200, Api.call(url, "GET", "/api/v1/me", token, null).statusCode(), "a token at " + url);
            }
        }
        try (EventStreamClient oldStream = EventStreamClient.open(oldUrl, fromNew, "case.", null);
             EventStreamClient newStream = EventStreamClient.open(newUrl, fromOld, "case.", null)) {
            // intake with idempotency keys on both; each retry sent to the other server finds the case
            UUID atOld = UUID.randomUUID();
            UUID atNew = UUID.randomUUID();
            JsonObject bodyOld = Fixtures.caseBody(atOld, places.get(0), "旧版本受理");
            JsonObject bodyNew = Fixtures.caseBody(atNew, places.get(1), "新版本受理");
            Fixtures.intakeAndRetry(oldUrl, fromOld, newUrl, fromNew, bodyOld);
            Fixtures.intakeAndRetry(newUrl, fromNew, oldUrl, fromOld, bodyNew);
            assertEquals(2, count(db, "SELECT count(*) FROM civic_case WHERE gid IN ('" + atOld + "', '" + atNew + "')"), "one case each");

            // each stream hears both cases; the new server's gives every event its id, the old server's case too
            List<String> ids = List.of(atOld.toString(), atNew.toString());
            for (EventStreamClient.Event e : Fixtures.created(newStream, ids)) {
                assertNotNull(e.id(), "the new server's stream gives an id to " + e.data().encode());
            }
            assertEquals(2, Fixtures.created(oldStream, ids).size(), "the previous release's stream hears both");

            // reading a case, a house, a tile and a search on both
            String house = text(db, "SELECT code FROM house ORDER BY code LIMIT 1");
            for (String url : List.of(oldUrl, newUrl)) {
                String token = url.equals(oldUrl) ? fromOld : fromNew;
                for (UUID id : List.of(atOld, atNew)) {
                    HttpResponse<String> r = Api.call(url, "GET", "/api/v1/cases/" + id, token, null);
                    assertEquals(200, r.statusCode(), "case " + id + " at " + url + ": " + r.body());
                }
                assertEquals(200, Api.call(url, "GET", "/api/v1/houses/" + house, token, null).statusCode(), "a house at " + url);
                assertEquals(200, Api.call(url, "GET", Fixtures.tilePath("grids", 15, places.get(0)[0], places.get(0)[1]), token, null)
                        .statusCode(), "a tile at " + url);
                HttpResponse<String> found = Api.call(url, "GET", "/api/v1/search?q=" + URLEncoder.encode(house, StandardCharsets.UTF_8),
                        token, null);
                assertEquals(200, found.statusCode(), found.body());
                assertTrue(found.body().contains(house), "search at " + url + " finds the house: " + found.body());
            }
        }
    }

    private static int schemaVersion(Database db) throws Exception {
        return Integer.parseInt(text(db, "SELECT max(version::int)::text FROM flyway_schema_history WHERE version IS NOT NULL AND success"));
    }

    private static String text(Database db, String sql) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(Database db, String sql) throws Exception {
        return Long.parseLong(text(db, sql.replace("SELECT count(*)", "SELECT count(*)::text")));
    }

    /** Flyway's lines in a server's log: what its start did to the schema. */
    private static String flywayLines(String log) {
        return String.join(" | ", log.lines().filter(l -> l.contains("flyway") || l.contains("Flyway") || l.contains("schema")
                || l.contains("Migrat") || l.contains("Exception")).limit(12).toList());
    }
}
