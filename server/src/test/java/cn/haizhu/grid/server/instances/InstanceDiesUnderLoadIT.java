package cn.haizhu.grid.server.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The drill "An instance dies under load" (issue 18; docs/CLUSTER.md, "Stateless instances"): two
 * server processes on one database, on ports 18482 and 18483. Clients report cases at about {@link
 * #RATE} a second, each with its idempotency key (the case's id, as the desk and the tablet send it),
 * half of them to each instance, and on a broken connection send the same report to the other
 * instance, as the desk and the tablet retry behind the proxy. A wall's event stream is open on the
 * first instance. {@link #KILL_AFTER} into the load that instance is killed with SIGKILL.
 *
 * <p>Afterwards: every report was acknowledged, every acknowledged key is exactly one case in the
 * database and there is no other case of the drill (none lost, none made twice); the wall, which
 * reconnects as EventSource does (after the stream's {@code retry}, with {@code Last-Event-ID}) to the
 * instance left, is back within {@link #WALLS_BACK_WITHIN} and has heard every case event of the
 * event log since it opened, each once, in order, and the creation of every case of the drill.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class InstanceDiesUnderLoadIT {
    static final int RATE = 200;
    static final Duration LOAD = Duration.ofSeconds(20);
    static final Duration KILL_AFTER = Duration.ofSeconds(8);
    /** What EventSource waits before it reconnects: the {@code retry:} the server asks for. */
    static final Duration WALL_RETRY = Duration.ofMillis(3_000);
    static final Duration WALLS_BACK_WITHIN = Duration.ofSeconds(5);

    @Test
    void noCaseIsLostOrMadeTwiceAndTheWallMissesNoEvent() throws Exception {
        InstancesDatabase data = InstancesDatabase.get();
        List<double[]> places = Fixtures.placesInGrids(data.db, 100);
        String run = "演练-" + Long.toString(System.currentTimeMillis(), 36);
        try (ServerProcess a = ServerProcess.start("instance-a", 18482, data);
             ServerProcess b = ServerProcess.start("instance-b", 18483, data)) {
            a.awaitHealthy();
            b.awaitHealthy();
            String dispatcher = Api.token(b.url, "dispatcher");
            Wall wall = new Wall(List.of(a.url, b.url), Api.token(a.url, "command"));
            Thread wallThread = new Thread(wall, "wall");
            wallThread.start();
            wall.awaitOpen();

            Load load = new Load(List.of(a.url, b.url), dispatcher, places, run);
            long t0 = System.nanoTime();
            load.start();
            Thread.sleep(KILL_AFTER.toMillis());
            long killedAt = System.nanoTime();
            a.kill();
            System.out.printf("drill: SIGKILL to instance A after %d reports%n", load.sent.get());
            Thread.sleep(Math.max(0, LOAD.toMillis() - (System.nanoTime() - t0) / 1_000_000));
            double seconds = (System.nanoTime() - t0) / 1e9;
            load.finish();

            // every report acknowledged, each key one case, no other case of the drill
            assertEquals(List.of(), load.problems, "reports that were refused or given up");
            assertEquals(load.sent.get(), load.acknowledged.size(), "every report acknowledged");
            List<String> keys = new ArrayList<>(load.acknowledged.keySet());
            try (Connection c = data.db.connection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM civic_case WHERE gid = ANY (?::uuid[])")) {
                ps.setArray(1, c.createArrayOf("text", keys.toArray()));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(keys.size(), rs.getLong(1), "every acknowledged key is a case: none lost");
                }
            }
            assertEquals(keys.size(), data.count("SELECT count(*) FROM civic_case WHERE title LIKE ?", run + " %"),
                    "and there is no other case of the drill: none made twice");
            System.out.printf("drill: %d reports sent in %.1f s (%.0f a second), %d sent again to the other instance after"
                            + " a refused or broken connection (%d of them found the case the dead instance had made),"
                            + " none lost, none twice%n",
                    keys.size(), seconds, keys.size() / seconds, load.retried.get(), load.foundAfterRetry.get());

            // the wall: back within 5 s, every case event since it opened, each once, in order
            long lastLogged = Fixtures.lastLoggedCaseEvent(data.db);
            wall.awaitHeard(lastLogged, Duration.ofSeconds(20));
            wall.stop();
            wallThread.join(10_000);
            assertTrue(wall.reconnectedAt > killedAt, "the wall's stream was cut by the kill and opened again");
            double back = (wall.reconnectedAt - killedAt) / 1e9;
            System.out.printf("drill: the wall was back on instance B %.1f s after the kill (retry %.1f s), %d events heard%n",
                    back, WALL_RETRY.toMillis() / 1e3, wall.events.size());
            assertTrue(back <= WALLS_BACK_WITHIN.toSeconds(), "the wall back within " + WALLS_BACK_WITHIN.toSeconds() + " s: " + back);
            List<Long> heard = wall.events.stream().map(EventStreamClient.Event::id).toList();
            assertFalse(heard.isEmpty());
            assertEquals(Fixtures.loggedCaseEvents(data.db, heard.get(0) - 1, lastLogged), heard,
                    "every case event of the log since the wall opened, each once, in order");
            Map<String, Integer> created = new HashMap<>();
            for (EventStreamClient.Event e : wall.events) {
                if ("case.created".equals(e.type())) {
                    created.merge(e.data().getString("id"), 1, Integer::sum);
                }
            }
            for (String key : keys) {
                assertEquals(1, created.getOrDefault(key, 0), "the wall heard the case " + key + " made once");
            }
        }
    }

    /**
     * The reporting clients: one report every 1/{@link #RATE} s, each sent by a thread of its own to one
     * instance or the other in turn, and on a broken connection (or a 5xx) sent again, the same body and
     * key, to the other instance until it is acknowledged (201 made, 200 found) or 60 s have passed.
     */
    private static final class Load {
        private final List<String> urls;
        private final String token;
        private final List<double[]> places;
        private final String run;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        private final ExecutorService clients = Executors.newFixedThreadPool(64);
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger retried = new AtomicInteger();
        final AtomicInteger foundAfterRetry = new AtomicInteger();
        final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());

        Load(List<String> urls, String token, List<double[]> places, String run) {
            this.urls = urls;
            this.token = token;
            this.places = places;
            this.run = run;
        }

        void start() {
            ticker.scheduleAtFixedRate(() -> {
                int i = sent.getAndIncrement();
                clients.submit(() -> report(i));
            }, 0, 1_000_000 / RATE, TimeUnit.MICROSECONDS);
        }

        /** Stops sending and waits for every report sent to be answered. */
        void finish() throws InterruptedException {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            clients.shutdown();
            assertTrue(clients.awaitTermination(90, TimeUnit.SECONDS), "the clients finish");
        }

        private void report(int i) {
            UUID key = UUID.randomUUID();
            JsonObject body = Fixtures.caseBody(key, places.get(i % places.size()), run + " " + i);
            HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
            int target = i % 2;
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int attempt = 0; System.nanoTime() < giveUp; attempt++) {
                try {
                    HttpResponse<String> r = http.send(request.uri(URI.create(urls.get(target) + "/api/v1/cases")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 201 || r.statusCode() == 200) {
                        acknowledged.put(key.toString(), r.statusCode());
                        if (attempt > 0) {
                            retried.incrementAndGet();
                            if (r.statusCode() == 200) {
                                foundAfterRetry.incrementAndGet();
                            }
                        }
                        return;
                    }
                    if (r.statusCode() < 500) {
                        problems.add(key + ": " + r.statusCode() + " " + r.body());
                        return;
                    }
                } catch (IOException e) {
                    // the instance is gone, or the connection broke mid-request: the other one, as the proxy would
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    problems.add(key + ": interrupted");
                    return;
                }
                target = 1 - target;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            problems.add(key + ": not acknowledged within 60 s");
        }
    }

    /**
     * A map wall's event stream (case events, the whole district), reconnecting as EventSource does: when
     * the stream ends it waits the server's {@code retry} and opens it again with {@code Last-Event-ID},
     * at the other instance (the proxy sends it to the one that answers).
     */
    private static final class Wall implements Runnable {
        private final List<String> urls;
        private final String token;
        final List<EventStreamClient.Event> events = Collections.synchronizedList(new ArrayList<>());
        private final java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
        private volatile boolean stopped;
        private volatile long lastHeard;
        volatile long reconnectedAt;

        Wall(List<String> urls, String token) {
            this.urls = urls;
            this.token = token;
        }

        @Override
        public void run() {
            String lastId = null;
            int at = 0;
            boolean first = true;
            while (!stopped) {
                try (EventStreamClient stream = EventStreamClient.open(urls.get(at), token, "case.", lastId)) {
                    if (first) {
                        open.countDown();
                        first = false;
                    } else {
                        reconnectedAt = System.nanoTime();
                    }
                    while (!stopped) {
                        EventStreamClient.Event e = stream.next(Duration.ofMillis(100));
                        if (e != null) {
                            events.add(e);
                            if (e.id() != null) {
                                lastHeard = e.id();
                            }
                        } else if (stream.ended().isDone()) {
                            break;
                        }
                    }
                    lastId = stream.lastId();
                } catch (Exception e) {
                    // refused: that instance is not there; try again after the retry
                }
                if (stopped) {
                    return;
                }
                try {
                    Thread.sleep(WALL_RETRY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                at = 1 - at;
            }
        }

        void awaitOpen() throws InterruptedException {
            assertTrue(open.await(20, TimeUnit.SECONDS), "the wall's stream opens");
        }

        /** Waits until the wall has heard the event {@code id}. */
        void awaitHeard(long id, Duration within) throws InterruptedException {
            long until = System.nanoTime() + within.toNanos();
            while (lastHeard < id && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertTrue(lastHeard >= id, "the wall heard up to " + lastHeard + ", the log has " + id);
        }

        void stop() {
            stopped = true;
        }
    }
}
