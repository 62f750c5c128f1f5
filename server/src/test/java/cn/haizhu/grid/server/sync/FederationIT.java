package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.server.FreePorts;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ./gridctl federation up, status and down for real: four server processes on four consecutive free
 * ports over one embedded cluster at a 1% demo, each healthy and saying which node it is; the demo
 * loaded in the district only, and the peers wired, so that each street gets its street's records
 * and the city the district's by sync, over real HTTP between the processes, and every link is up;
 * a second up refused while it runs; down leaves no process and no database running, and nothing it
 * did not start is touched.
 */
class FederationIT {
    private static final String PASSWORD = "fed-Passw0rd";
    private static final String CITY = "440100";
    private static final String DISTRICT = "440105";
    private static final String STREET_1 = "440105001";
    private static final String STREET_2 = "440105002";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
    void fourNodesComeUpEachAtItsLevelAndGoDownLeavingNothing() throws Exception {
        Path folder = TestDatabases.projectDir().resolve("var/test-federation");
        Federation federation = new Federation(folder);
        federation.down();   // a run killed earlier
        int base = FreePorts.consecutive(4);
        int dbPort = FreePorts.consecutive(1);
        Federation.Plan plan = new Federation.Plan(TestDatabases.projectDir(), folder, base, dbPort, 0.01, 20240105L,
                PASSWORD, List.of("-Xmx768m"), List.of("-Xmx384m"));
        // a process that is not the federation's, on the pid file of a node: down must leave it alone
        Process bystander = new ProcessBuilder("sleep", "600").start();
        List<Federation.Node> wired = new ArrayList<>();
        PeerWiring peers = new PeerWiring(TestDatabases.projectDir());
        try {
            List<Federation.Node> nodes = federation.up(plan, four -> {
                assertTrue(federation.running().isEmpty(), "the wiring comes before any node starts");
                wired.addAll(four);
                peers.wire(four);
            });
            assertEquals(nodes, wired, "the wiring got the four nodes");
            assertEquals(List.of("440100", "440105", "440105001", "440105002"), nodes.stream().map(Federation.Node::code).toList());
            Map<String, String> levels = Map.of("440100", "city", "440105", "district", "440105001", "street", "440105002", "street");
            for (int i = 0; i < nodes.size(); i++) {
                Federation.Node node = nodes.get(i);
                assertEquals("http://127.0.0.1:" + (base + i), node.url(), "four consecutive ports");
                HttpResponse<String> health = get(node.url() + "/health", null);
                assertEquals(200, health.statusCode());
                assertEquals(node.code(), new JsonObject(health.body()).getString("node"));
                String token = token(node);
                JsonObject me = new JsonObject(get(node.url() + "/api/v1/me", token).body());
                assertEquals(levels.get(node.code()), me.getJsonObject("node").getString("level"), node.code());
                assertEquals(node.code(), me.getJsonObject("node").getString("code"));
                assertTrue(Files.exists(node.dataDir().resolve("secrets/pii.key")), "each node has its own personal-data key");
            }
            Map<String, Federation.Node> byCode = new java.util.HashMap<>();
            nodes.forEach(n -> byCode.put(n.code(), n));
            assertTrue(count(plan, DISTRICT, "SELECT count(*) FROM grid") > 250, "the district loaded the demo");
            for (String code : List.of(STREET_1, STREET_2, DISTRICT)) {
                Properties conf = Federation.readConfig(byCode.get(code).configFile());
                String upstream = code.equals(DISTRICT) ? CITY : DISTRICT;
                assertEquals(byCode.get(upstream).url(), conf.getProperty("sync.upstream.url"), code + " pulls " + upstream);
                assertTrue(conf.getProperty("sync.upstream.key").startsWith(SyncPeers.KEY_PREFIX));
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(byCode.get(code).configFile())),
                        "a configuration that holds a sync key is the owner's only");
            }
            assertFalse(Federation.readConfig(byCode.get(CITY).configFile()).containsKey("sync.upstream.url"), "the city has no upstream");

            // the first sync: each street its street, as many as the district holds there and nothing else; the city all of it
            long t0 = System.nanoTime();
            eventually(plan, Duration.ofSeconds(120), () -> {
                for (String street : List.of(STREET_1, STREET_2)) {
                    for (String table : List.of("house", "person", "enterprise", "grid")) {
                        if (count(plan, street, "SELECT count(*) FROM " + table) != count(plan, DISTRICT,
                                "SELECT count(*) FROM " + table + " WHERE street_code = ?", street)) {
                            return false;
                        }
                    }
                }
                for (String table : List.of("house", "person", "enterprise", "grid")) {
                    if (count(plan, CITY, "SELECT count(*) FROM " + table) != count(plan, DISTRICT, "SELECT count(*) FROM " + table)) {
                        return false;
                    }
                }
                return true;
            });
            System.out.printf("federation: first sync of both streets and the city in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            for (String street : List.of(STREET_1, STREET_2)) {
                assertTrue(count(plan, street, "SELECT count(*) FROM house") > 0, street + " got houses");
                for (String table : List.of("house", "person", "enterprise", "grid")) {
                    assertEquals(0L, count(plan, street, "SELECT count(*) FROM " + table + " WHERE street_code <> ?", street),
                            table + " outside " + street + " at " + street);
                }
            }
            for (String code : List.of(STREET_1, STREET_2, CITY)) {
                assertEquals(0L, count(plan, code, "SELECT count(*) FROM house WHERE origin <> ?", DISTRICT),
                        code + " loaded no records of its own: every house it holds was made at the district");
            }
            // the starting area trees are copies of the district's records, not requests: no conflict anywhere, and
            // the city holds the district's own outline
            eventually(plan, Duration.ofSeconds(60), () -> count(plan, CITY, "SELECT count(*) FROM admin_area WHERE code = ?"
                    + " AND version > 0", DISTRICT) == 1);
            for (String code : Federation.CODES) {
                assertEquals(0L, count(plan, code, "SELECT count(*) FROM sync_conflict"), "the first sync made a conflict at " + code);
            }
            // sync status, through the service behind it: every link of the network up
            eventually(plan, Duration.ofSeconds(60), () -> linksUp(peers, byCode.get(DISTRICT)).equals(Map.of(
                    CITY, true, STREET_1, true, STREET_2, true))
                    && linksUp(peers, byCode.get(CITY)).equals(Map.of(DISTRICT, true))
                    && linksUp(peers, byCode.get(STREET_1)).equals(Map.of(DISTRICT, true))
                    && linksUp(peers, byCode.get(STREET_2)).equals(Map.of(DISTRICT, true)));
            assertEquals(4, federation.running().size());
            assertTrue(federation.status().stream().filter(l -> l.contains("healthy")).count() == 4, String.join("\n", federation.status()));
            assertThrows(IllegalStateException.class, () -> federation.up(plan, FederationWiring.NONE), "one federation per folder");
        } finally {
            List<ProcessHandle> started = new ArrayList<>(federation.running().values());
            List<String> stopped = federation.down();
            assertEquals(started.size(), stopped.size());
            for (ProcessHandle p : started) {
                assertFalse(p.isAlive(), "node process " + p.pid() + " is gone");
            }
            assertTrue(federation.running().isEmpty());
            assertFalse(new EmbeddedPostgres(folder.resolve("pgdata"), dbPort).isRunning(), "the federation's database is stopped");
            assertTrue(bystander.isAlive(), "down stops what up started and nothing else");
            bystander.destroy();
        }
    }

    /** Per peer of a node, whether ./gridctl sync status shows its link up. */
    private static Map<String, Boolean> linksUp(PeerWiring peers, Federation.Node node) {
        return peers.withPeersOf(node, p -> {
            Map<String, Boolean> up = new java.util.HashMap<>();
            for (Object o : p.list().await()) {
                JsonObject peer = (JsonObject) o;
                up.put(peer.getString("code"), Boolean.TRUE.equals(peer.getBoolean("up")));
            }
            return up;
        });
    }

    /** A count in a node's database, straight from the federation's cluster. */
    private static long count(Federation.Plan plan, String code, String sql, Object... args) throws SQLException {
        try (NodeDatabase db = new NodeDatabase(plan, code)) {
            return db.count(sql, args);
        }
    }

    private static void eventually(Federation.Plan plan, Duration within, Callable<Boolean> done) throws Exception {
        long until = System.nanoTime() + within.toNanos();
        while (!Boolean.TRUE.equals(done.call())) {
            if (System.nanoTime() > until) {
                StringBuilder state = new StringBuilder();
                for (String code : Federation.CODES) {
                    state.append(String.format("%n  %s: %d houses, %d persons, %d grids", code,
                            count(plan, code, "SELECT count(*) FROM house"), count(plan, code, "SELECT count(*) FROM person"),
                            count(plan, code, "SELECT count(*) FROM grid")));
                }
                throw new AssertionError("not within " + within.toSeconds() + " s:" + state + "\n(node logs in " + plan.folder() + ")");
            }
            Thread.sleep(1000);
        }
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(Federation.Node node) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/v1/auth/token"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", "command").put("password", PASSWORD).encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), node.code() + ": " + r.body());
        return new JsonObject(r.body()).getString("token");
    }
}
