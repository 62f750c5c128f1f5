package cn.haizhu.grid.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.server.instances.Api;
import cn.haizhu.grid.server.instances.EventStreamClient;
import cn.haizhu.grid.server.instances.Fixtures;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./gridctl cluster upgrade} for real, with this build on both sides (the pieces: the one
 * migration step, each instance stopped by SIGTERM and started again on its port, awaited on {@code
 * /health/ready}, the other serving meanwhile): while a retrying client reports cases through nginx
 * and a wall's event stream follows them (reconnecting with {@code Last-Event-ID}), both instances are
 * replaced one at a time. Every acknowledged case is kept once and heard on the stream; the failed
 * attempts the client had to retry are counted and printed. Its own ports above the test cluster's
 * ({@code portAbove(1190..1192)} for nginx and the instances, {@code 1194..1196} for PostgreSQL) and
 * folder {@code var/test-cluster-upgrade}; down stops everything, whatever happened.
 */
class ClusterUpgradeIT {
    private static final int PORT_BASE = TestDatabases.portAbove(1190);
    private static final int DB_PORT_BASE = TestDatabases.portAbove(1194);

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theInstancesAreReplacedOneAtATimeWhileCasesArrive() throws Exception {
        Cluster cluster = ClusterIT.fresh("test-cluster-upgrade", DB_PORT_BASE);
        Cluster.Plan plan = new Cluster.Plan(TestDatabases.projectDir(), PORT_BASE, DB_PORT_BASE, "440105", true, 0.01, 20240105L,
                cn.haizhu.grid.server.TestServer.PASSWORD, List.of("-Xmx384m"));
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        try {
            cluster.up(plan);
            String entry = cluster.url();
            String token = Api.token(entry, "dispatcher");
            EmbeddedPostgres primary = cluster.node(cluster.primary());
            Map<String, ProcessHandle> before = cluster.running();
            double[] place;
            try (Database db = Database.asIs(primary.jdbcUrl(Cluster.DATABASE), EmbeddedPostgres.SUPERUSER, primary.password(), "440105")) {
                place = Fixtures.placesInGrids(db, 1).get(0);
            }

            Map<UUID, Boolean> acknowledged = new ConcurrentHashMap<>();
            Map<String, Integer> retried = new ConcurrentHashMap<>();
            Set<String> heard = ConcurrentHashMap.newKeySet();
            AtomicInteger reconnects = new AtomicInteger();
            threads.add(started(() -> follow(entry, token, heard, reconnects, stop)));
            threads.add(started(() -> report(entry, token, place, acknowledged, retried, stop)));
            Thread.sleep(2_000);

            long t0 = System.nanoTime();
            List<RollingUpgrade.Step> steps = cluster.upgrade(plan);
            System.out.printf("upgrade: %d instances replaced in %.1f s, away %s; %d cases acknowledged so far, attempts retried: %s,"
                            + " %d stream reconnects%n", steps.size(), (System.nanoTime() - t0) / 1e9,
                    steps.stream().map(s -> s.away().toMillis() / 1e3 + " s").toList(), acknowledged.size(), retried, reconnects.get());
            Thread.sleep(2_000);
            stop.set(true);
            threads.get(1).join(10_000);

            assertEquals(2, steps.size());
            Map<String, ProcessHandle> after = cluster.running();
            for (String part : List.of("instance.1", "instance.2")) {
                assertNotEquals(before.get(part).pid(), after.get(part).pid(), part + " is a new process");
            }
            List<UUID> ids = List.copyOf(acknowledged.keySet());
            assertTrue(ids.size() > 20, "cases kept arriving: " + ids.size());
            assertEquals(ids.size(), cases(primary, ids), "every acknowledged case is kept, once");
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!heard.containsAll(ids.stream().map(UUID::toString).toList()) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            List<UUID> missed = ids.stream().filter(id -> !heard.contains(id.toString())).toList();
            assertEquals(List.of(), missed, "the wall heard every case across the upgrade");
        } finally {
            stop.set(true);
            cluster.down();
            assertTrue(cluster.running().isEmpty());
            for (Thread t : threads) {
                t.join(5_000);
            }
        }
    }

    /** A retrying client: each case id until it is acknowledged (201 or 200), then the next; failed attempts counted by what failed. */
    private static void report(String entry, String token, double[] place, Map<UUID, Boolean> acknowledged, Map<String, Integer> retried,
                               AtomicBoolean stop) {
        UUID id = UUID.randomUUID();
        while (!stop.get()) {
            try {
                HttpResponse<String> r = Api.send(entry, "POST", "/api/v1/cases", token, Fixtures.caseBody(id, place, "升级中的受理"), null);
                if (r.statusCode() == 201 || r.statusCode() == 200) {
                    acknowledged.put(id, true);
                    id = UUID.randomUUID();
                } else {
                    retried.merge(Integer.toString(r.statusCode()), 1, Integer::sum);
                }
            } catch (IOException e) {
                retried.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A wall's event stream through nginx: reopened with Last-Event-ID whenever its instance goes away. */
    private static void follow(String entry, String token, Set<String> heard, AtomicInteger reconnects, AtomicBoolean stop) {
        String lastId = null;
        while (!stop.get()) {
            try (EventStreamClient stream = EventStreamClient.open(entry, token, "case.", lastId)) {
                while (true) {
                    EventStreamClient.Event e = stream.next(Duration.ofMillis(200));
                    if (e == null) {
                        if (stream.ended().isDone() || stop.get()) {
                            break;
                        }
                        continue;
                    }
                    if ("case.created".equals(e.type())) {
                        heard.add(e.data().getString("id"));
                    }
                }
                lastId = stream.lastId();
            } catch (Exception e) {
                // nginx found no instance for a moment: open again
            }
            if (!stop.get()) {
                reconnects.incrementAndGet();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static long cases(EmbeddedPostgres node, List<UUID> ids) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(node.jdbcUrl(Cluster.DATABASE), EmbeddedPostgres.SUPERUSER, node.password());
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM civic_case WHERE gid = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Thread started(Runnable work) {
        Thread t = new Thread(work, "cluster-upgrade-it");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
