package cn.haizhu.grid.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ./gridctl cluster for real, on the 1% demo the other ITs use, on ports of its own, above the test
 * cluster's (by default nginx 18400, the instances 18401-18402, PostgreSQL 21141-21143) and in var/test-cluster: requests through nginx
 * reach both instances and a token from one works on the other; an event reaches a stream opened
 * through nginx; a case written through nginx is on the standby. The drill: the primary crashes
 * (immediate stop) while a retrying client writes cases, failover promotes the standby, and writes
 * through nginx work again: the RTO, from the crash to the first case written after it, is printed
 * and bounded, and every case acknowledged before the crash is on the new primary. Rejoin makes the
 * old primary the new standby, replaying. Down leaves no process running, whatever happened.
 */
class ClusterIT {
    private static final int PORT_BASE = 18400 + TestDatabases.port() - 54330;
    private static final int DB_PORT_BASE = TestDatabases.portAbove(1141);
    private static final String PASSWORD = "cluster-Passw0rd";
    private static final Duration RTO_BOUND = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void upFailoverRejoinDown() throws Exception {
        Cluster cluster = fresh("test-cluster", DB_PORT_BASE);
        Path folder = cluster.folder();
        Cluster.Plan plan = new Cluster.Plan(TestDatabases.projectDir(), PORT_BASE, DB_PORT_BASE, "440105", true, 0.01, 20240105L,
                PASSWORD, List.of("-Xmx512m"));
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            List<Cluster.Instance> instances = cluster.up(plan);
            System.out.printf("cluster: up in %.1f s (1%% demo, first start)%n", (System.nanoTime() - t0) / 1e9);
            String entry = cluster.url();
            assertEquals("http://127.0.0.1:" + PORT_BASE, entry);
            assertEquals(Set.of("instance.1", "instance.2", "nginx"), cluster.running().keySet());

            // both instances behind the one entry, and a token issued through one works on each
            Set<String> upstreams = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> health = get(entry + "/health", null);
                assertEquals(200, health.statusCode());
                health.headers().firstValue("X-Upstream").ifPresent(upstreams::add);
            }
            assertEquals(Set.of("127.0.0.1:" + (PORT_BASE + 1), "127.0.0.1:" + (PORT_BASE + 2)), upstreams, "nginx spreads requests");
            String token = token(entry, "dispatcher");
            for (Cluster.Instance instance : instances) {
                HttpResponse<String> me = get(instance.url() + "/api/v1/me", token);
                assertEquals(200, me.statusCode(), "a token works on instance " + instance.number() + ": " + me.body());
            }
            JsonObject tileJson = new JsonObject(get(entry + "/tiles/grids.json", token).body());
            assertTrue(tileJson.getJsonArray("tiles").getString(0).startsWith(entry + "/tiles/grids/"),
                    "URLs name the entry, as nginx's forwarded headers say: " + tileJson.getJsonArray("tiles"));

            // an event stream through nginx, and a case written through nginx that reaches it and the standby
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            threads.add(started(() -> stream(entry + "/api/v1/events?types=case.", token, events, stop)));
            assertTrue(awaitLine(events, l -> l.startsWith("retry:"), Duration.ofSeconds(10)), "the stream opened");
            double[] point = pointInDistrict(cluster);
            UUID first = UUID.randomUUID();
            assertEquals(201, intake(entry, token, first, point).statusCode());
            assertTrue(awaitLine(events, l -> l.equals("event: case.created"), Duration.ofSeconds(10)),
                    "the event left nginx at once (buffering off)");
            EmbeddedPostgres standby = cluster.node(cluster.standby());
            assertTrue(eventually(Duration.ofSeconds(10), () -> cases(standby, List.of(first)) == 1), "the case is on the standby");
            List<String> status = cluster.status();
            System.out.println("cluster: status\n" + String.join("\n", status));
            assertTrue(status.stream().anyMatch(l -> l.contains("streams to " + cluster.standby() + ": streaming")), String.join("\n", status));

            // the drill: a retrying client writes cases (each id until it is acknowledged); the primary crashes
            Map<UUID, Long> acknowledged = new ConcurrentHashMap<>();
            threads.add(started(() -> writeCases(entry, token, point, acknowledged, stop)));
            Thread.sleep(2_000);
            String oldPrimary = cluster.primary();
            long crash = System.nanoTime();
            cluster.node(oldPrimary).stopImmediately();
            long stopped = System.nanoTime();
            Cluster.Failover failover = cluster.failover();
            assertEquals(standby.port(), cluster.node(cluster.primary()).port());
            assertTrue(eventually(RTO_BOUND, () -> acknowledged.values().stream().anyMatch(t -> t > stopped)),
                    "no case written through nginx within " + RTO_BOUND.toSeconds() + " s of the crash");
            long firstAfter = acknowledged.values().stream().filter(t -> t > stopped).min(Long::compare).orElseThrow();
            System.out.printf("cluster: RTO %.2f s (primary crashed → first case written through nginx); failover command %.2f s;"
                            + " crash (immediate stop) %.2f s%n", (firstAfter - crash) / 1e9, failover.took().toMillis() / 1e3,
                    (stopped - crash) / 1e9);
            Thread.sleep(1_000);
            stop.set(true);
            threads.get(1).join(10_000);
            List<UUID> before = acknowledged.entrySet().stream().filter(e -> e.getValue() < crash).map(Map.Entry::getKey).toList();
            List<UUID> all = List.copyOf(acknowledged.keySet());
            EmbeddedPostgres newPrimary = cluster.node(cluster.primary());
            System.out.printf("cluster: %d cases acknowledged before the crash, %d in all; on the new primary: %d of them%n",
                    before.size(), all.size(), cases(newPrimary, all));
            assertEquals(before.size(), cases(newPrimary, before), "RPO: a case acknowledged before the crash is on the new primary");
            assertEquals(all.size(), cases(newPrimary, all), "every acknowledged case is kept");

            // rejoin: the old primary is the new standby, replaying what the new primary writes
            String how = cluster.rejoin();
            System.out.println("cluster: " + oldPrimary + " rejoined by " + how);
            assertEquals(oldPrimary, cluster.standby());
            EmbeddedPostgres rejoined = cluster.node(oldPrimary);
            assertEquals(Boolean.TRUE, Replication.role(rejoined.jdbcUrl("postgres"), rejoined.password()).map(Replication.Role::standby)
                    .orElse(null), "the old primary runs as a standby");
            UUID afterRejoin = UUID.randomUUID();
            assertEquals(201, intake(entry, token, afterRejoin, point).statusCode());
            assertTrue(eventually(Duration.ofSeconds(15), () -> cases(rejoined, List.of(afterRejoin)) == 1),
                    "a case written after the rejoin is replayed on the old primary");
            assertEquals(all.size(), cases(rejoined, all), "the rejoined standby holds every acknowledged case");
            List<String> statusAfter = cluster.status();
            System.out.println("cluster: status after rejoin\n" + String.join("\n", statusAfter));
            assertTrue(statusAfter.stream().noneMatch(l -> l.matches(".*\\s-\\d+ (B|KiB|MiB|GiB).*")),
                    "no negative byte count (a receiver just started reports where streaming began): " + statusAfter);
        } finally {
            stop.set(true);
            List<ProcessHandle> started = new ArrayList<>(cluster.running().values());
            cluster.down();
            for (ProcessHandle p : started) {
                assertTrue(p.onExit().get(30, TimeUnit.SECONDS) != null && !p.isAlive(), "process " + p.pid() + " is gone");
            }
            assertTrue(cluster.running().isEmpty());
            if (Files.exists(folder.resolve("cluster.properties"))) {
                for (String node : Cluster.NODES) {
                    assertFalse(cluster.node(node).isRunning(), node + " is stopped");
                }
            }
            for (Thread t : threads) {
                t.join(5_000);
            }
        }
    }

    /** A retrying client: each case id is sent until it is acknowledged (201), then the next; acknowledgements by the time they came. */
    private void writeCases(String entry, String token, double[] point, Map<UUID, Long> acknowledged, AtomicBoolean stop) {
        UUID id = UUID.randomUUID();
        while (!stop.get()) {
            try {
                HttpResponse<String> r = intake(entry, token, id, point);
                if (r.statusCode() == 201 || r.statusCode() == 200) {
                    acknowledged.put(id, System.nanoTime());
                    id = UUID.randomUUID();
                }
            } catch (Exception e) {
                // the entry or an instance refused: try the same id again
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private HttpResponse<String> intake(String entry, String token, UUID id, double[] point) throws Exception {
        JsonObject body = new JsonObject().put("id", id.toString()).put("source", "hotline_12345").put("category", "SJ0107")
                .put("urgency", "normal").put("title", "墙面乱涂乱画").put("description", "市民来电：围墙被乱涂乱画（集群测试）")
                .put("address", "海珠区测试路1号").put("location", new JsonObject().put("lon", point[0]).put("lat", point[1]));
        return http.send(HttpRequest.newBuilder(URI.create(entry + "/api/v1/cases")).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Thread started(Runnable work) {
        Thread t = new Thread(work, "cluster-it");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Reads an event stream line by line into {@code lines} until told to stop. */
    private void stream(String url, String token, BlockingQueue<String> lines, AtomicBoolean stop) {
        try {
            HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            try (var body = r.body()) {
                var it = body.iterator();
                while (!stop.get() && it.hasNext()) {
                    lines.add(it.next());
                }
            }
        } catch (Exception e) {
            lines.add("error: " + e);
        }
    }

    private static boolean awaitLine(BlockingQueue<String> lines, java.util.function.Predicate<String> wanted, Duration within)
            throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && wanted.test(line)) {
                return true;
            }
        }
        return false;
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(String entry, String username) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(entry + "/api/v1/auth/token"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", username).put("password", PASSWORD).encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body()).getString("token");
    }

    /** A point deep inside the first grid of the demo, from the primary. */
    private static double[] pointInDistrict(Cluster cluster) throws SQLException {
        try (Connection c = connect(cluster.node(cluster.primary()));
             ResultSet rs = c.createStatement().executeQuery("""
                     SELECT ST_X(p), ST_Y(p) FROM (SELECT (ST_MaximumInscribedCircle(geom)).center AS p FROM grid ORDER BY code LIMIT 1) g""")) {
            assertTrue(rs.next(), "the demo has grids");
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }

    /** How many of these cases a node holds. */
    private static long cases(EmbeddedPostgres node, List<UUID> ids) throws SQLException {
        try (Connection c = connect(node); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM civic_case WHERE gid = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Connection connect(EmbeddedPostgres node) throws SQLException {
        return DriverManager.getConnection(node.jdbcUrl(Cluster.DATABASE), EmbeddedPostgres.SUPERUSER, node.password());
    }

    private static boolean eventually(Duration within, java.util.concurrent.Callable<Boolean> done) throws Exception {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            try {
                if (Boolean.TRUE.equals(done.call())) {
                    return true;
                }
            } catch (SQLException e) {
                // a node between states: ask again
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** The cluster in {@code var/<name>}, whatever an earlier run (killed, failed) left there stopped and removed. */
    static Cluster fresh(String name, int dbPortBase) throws Exception {
        Path folder = TestDatabases.projectDir().resolve("var/" + name);
        Cluster cluster = new Cluster(folder);
        cluster.down();
        forget(folder, dbPortBase);
        return cluster;
    }

    /**
     * Removes an earlier run's cluster: its folder, and the folders the nodes and nginx moved to when
     * their users could not enter it (as root, a project under /root), which a fresh folder would
     * otherwise find again.
     */
    private static void forget(Path folder, int dbPortBase) throws java.io.IOException {
        for (int i = 0; i < Cluster.NODES.size(); i++) {
            Path dir = new EmbeddedPostgres(folder.resolve(Cluster.NODES.get(i)), dbPortBase + i).clusterDir();
            if (!dir.startsWith(folder)) {
                deleteTree(dir);
                Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".password"));
            }
        }
        Path nginx = Nginx.forCluster(folder.resolve("nginx")).dir();
        if (!nginx.startsWith(folder)) {
            deleteTree(nginx);
        }
        deleteTree(folder);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
