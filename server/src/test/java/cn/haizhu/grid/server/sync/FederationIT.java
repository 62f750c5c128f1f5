package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ./gridctl federation up, status and down for real: four server processes on four consecutive free
 * ports over one embedded cluster at a 1% demo, each healthy and saying which node it is; the demo
 * in the district only; a second up refused while it runs; down leaves no process and no database
 * running, and nothing it did not start is touched.
 */
class FederationIT {
    private static final String PASSWORD = "fed-Passw0rd";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
    void fourNodesComeUpEachAtItsLevelAndGoDownLeavingNothing() throws Exception {
        Path folder = TestDatabases.projectDir().resolve("var/test-federation");
        Federation federation = new Federation(folder);
        federation.down();   // a run killed earlier
        int base = freePorts(4);
        int dbPort = freePorts(1);
        Federation.Plan plan = new Federation.Plan(TestDatabases.projectDir(), folder, base, dbPort, 0.01, 20240105L,
                PASSWORD, List.of("-Xmx768m"), List.of("-Xmx384m"));
        // a process that is not the federation's, on the pid file of a node: down must leave it alone
        Process bystander = new ProcessBuilder("sleep", "600").start();
        List<Federation.Node> wired = new ArrayList<>();
        try {
            List<Federation.Node> nodes = federation.up(plan, wired::addAll);
            assertEquals(nodes, wired, "the wiring hook got the four nodes once they were up");
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
                long grids = new JsonObject(get(node.url() + "/api/v1/stats/district", token).body())
                        .getJsonObject("totals").getLong("grids");
                if (node.code().equals("440105")) {
                    assertTrue(grids > 250, "the district loaded the demo: " + grids + " grids");
                } else {
                    assertEquals(0L, grids, node.code() + " gets its records by sync, not by a demo load");
                }
                assertTrue(Files.exists(node.dataDir().resolve("secrets/pii.key")), "each node has its own personal-data key");
            }
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

    /** The first of n consecutive ports free on loopback now. */
    private static int freePorts(int n) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket s = new ServerSocket(0)) {
                base = s.getLocalPort();
            }
            if (base + n > 65535) {
                continue;
            }
            boolean free = true;
            for (int p = base; p < base + n && free; p++) {
                try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (java.io.IOException busy) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no " + n + " consecutive free ports");
    }
}
