package cn.haizhu.grid.server.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.server.cluster.NginxInFront;
import cn.haizhu.grid.server.web.Browser;
import cn.haizhu.grid.server.web.Browsers;
import cn.haizhu.grid.server.web.LiveStreamRecorder;
import cn.haizhu.grid.server.web.WallPage;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The drill "An instance dies under load" (issue 18; docs/CLUSTER.md, "Stateless instances"): two
 * server processes on one database, on ports above the test cluster's ({@link #PORT_A}, {@link
 * #PORT_B}). Clients report cases at about {@link #RATE} a second, each with its idempotency key (the
 * case's id, as the desk and the tablet send it), and on a broken connection (or a 5xx) send the same
 * report again until it is acknowledged. {@link #KILL_AFTER} into the load one instance is killed with
 * SIGKILL. Afterwards every report was acknowledged, every acknowledged key is exactly one case in the
 * database and there is no other case of the drill (none lost, none made twice).
 *
 * <p>Twice: once with the clients and a wall's stream talking to the instances straight (a Java
 * client that reconnects as EventSource does, {@link Wall}), and once as in production: nginx in
 * front (the configuration {@code ./gridctl cluster up} writes), the clients reporting through it, and
 * the real map wall in headless Chromium, whose own EventSource reconnects through nginx with {@code
 * Last-Event-ID}; the instance killed is the one holding the wall's stream. Either way the wall is
 * back within {@link #WALLS_BACK_WITHIN} of the kill and has received every case event of the event
 * log since it opened, each once, in order, and the creation of every case of the drill.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class InstanceDiesUnderLoadIT {
    static final int RATE = 200;
    static final Duration LOAD = Duration.ofSeconds(20);
    static final Duration KILL_AFTER = Duration.ofSeconds(8);
    /** What EventSource waits before it reconnects: the {@code retry:} the server asks for. */
    static final Duration WALL_RETRY = Duration.ofMillis(3_000);
    static final Duration WALLS_BACK_WITHIN = Duration.ofSeconds(5);
    static final int PORT_A = TestDatabases.portAbove(1181);
    static final int PORT_B = TestDatabases.portAbove(1182);
    static final int NGINX_PORT = TestDatabases.portAbove(1183);
    /** nginx's database entry (its configuration has one; the instances here do not use it). */
    static final int NGINX_DB_ENTRY = TestDatabases.portAbove(1184);

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void noCaseIsLostOrMadeTwiceAndTheWallMissesNoEvent() throws Exception {
        InstancesDatabase data = InstancesDatabase.get();
        List<double[]> places = Fixtures.placesInGrids(data.db, 100);
        String run = "演练-" + Long.toString(System.currentTimeMillis(), 36);
        try (ServerProcess a = ServerProcess.start("instance-a", PORT_A, data);
             ServerProcess b = ServerProcess.start("instance-b", PORT_B, data)) {
            a.awaitHealthy();
            b.awaitHealthy();
            String dispatcher = Api.token(b.url, "dispatcher");
            Wall wall = new Wall(List.of(a.url, b.url), Api.token(a.url, "command"));
            Thread wallThread = new Thread(wall, "wall");
            wallThread.start();
            wall.awaitOpen();

            // half of the reports to each instance, and on a broken connection to the other one
            Load load = new Load(List.of(a.url, b.url), dispatcher, places, run);
            long t0 = System.nanoTime();
            load.start();
            Thread.sleep(KILL_AFTER.toMillis());
            long killedAt = System.nanoTime();
            a.kill();
            System.out.printf("drill: SIGKILL to instance A after %d reports%n", load.sent.get());
            double seconds = load.finishAfter(t0);
            List<String> keys = noneLostOrTwice(data, load, run, seconds);

            long lastLogged = Fixtures.lastLoggedCaseEvent(data.db);
            wall.awaitHeard(lastLogged, Duration.ofSeconds(20));
            wall.stop();
            wallThread.join(10_000);
            assertTrue(wall.reconnectedAt > killedAt, "the wall's stream was cut by the kill and opened again");
            double back = (wall.reconnectedAt - killedAt) / 1e9;
            System.out.printf("drill: the wall was back on instance B %.1f s after the kill (retry %.1f s), %d events heard%n",
                    back, WALL_RETRY.toMillis() / 1e3, wall.events.size());
            assertTrue(back <= WALLS_BACK_WITHIN.toSeconds(), "the wall back within " + WALLS_BACK_WITHIN.toSeconds() + " s: " + back);
            List<String> createdHeard = new ArrayList<>();
            for (EventStreamClient.Event e : wall.events) {
                if ("case.created".equals(e.type())) {
                    createdHeard.add(e.data().getString("id"));
                }
            }
            missedNoEvent(data, wall.events.stream().map(EventStreamClient.Event::id).toList(), lastLogged, createdHeard, keys);
        }
    }

    @Test
    void theWallPageBehindNginxIsBackWithinFiveSecondsAndMissesNoEvent() throws Exception {
        InstancesDatabase data = InstancesDatabase.get();
        List<double[]> places = Fixtures.placesInGrids(data.db, 100);
        String run = "演练-" + Long.toString(System.currentTimeMillis(), 36);
        Path nginxDir = TestDatabases.projectDir().resolve("server/target/instances/nginx");
        try (ServerProcess a = ServerProcess.start("instance-a", PORT_A, data);
             ServerProcess b = ServerProcess.start("instance-b", PORT_B, data);
             NginxInFront nginx = NginxInFront.start(nginxDir, NGINX_PORT, PORT_A, PORT_B, NGINX_DB_ENTRY, TestDatabases.port())) {
            a.awaitHealthy();
            b.awaitHealthy();
            Browser browser = browsers.start(nginx.url);
            LiveStreamRecorder recorder = LiveStreamRecorder.install(browser);
            WallPage.openLive(browser, "command", recorder);
            ServerProcess holder = streamHolder(List.of(a, b), Duration.ofSeconds(15));
            ServerProcess survivor = holder == a ? b : a;
            System.out.printf("drill: the wall's stream is on %s%n", holder.name);

            // screenshots only while the wall is calm: under the load a screenshot waits for a frame that is late
            browser.screenshot("wall-drill-1-live");

            // every report through nginx, and sent again to nginx on a broken connection or a 502
            Load load = new Load(List.of(nginx.url), Api.token(nginx.url, "dispatcher"), places, run);
            long t0 = System.nanoTime();
            load.start();
            Thread.sleep(KILL_AFTER.toMillis());
            long killedAt = System.currentTimeMillis();
            holder.kill();
            System.out.printf("drill: SIGKILL to %s after %d reports%n", holder.name, load.sent.get());
            double seconds = load.finishAfter(t0);
            List<String> keys = noneLostOrTwice(data, load, run, seconds);

            long lastLogged = Fixtures.lastLoggedCaseEvent(data.db);
            recorder.awaitId(lastLogged, Duration.ofSeconds(30));
            browser.waitPresent("#live-state[data-state=open]", "the wall says it is live again");
            browser.screenshot("wall-drill-2-back");
            LiveStreamRecorder.Record seen = recorder.read();

            assertTrue(seen.errors().stream().anyMatch(t -> t >= killedAt), "the wall's stream was cut by the kill");
            long reopened = seen.firstOpenAfter(killedAt);
            assertTrue(reopened > 0, "the wall's EventSource opened again");
            long firstEvent = seen.messages().stream().mapToLong(LiveStreamRecorder.Message::at).filter(t -> t >= reopened)
                    .min().orElse(-1);
            long shownLive = seen.changes().stream().filter(c -> c.at() >= killedAt && "open".equals(c.state()))
                    .mapToLong(LiveStreamRecorder.Change::at).min().orElse(-1);
            assertTrue(seen.changes().stream().anyMatch(c -> c.at() >= killedAt && "connecting".equals(c.state())),
                    "the wall said it was reconnecting: " + seen.changes());
            assertTrue(shownLive >= reopened, "the wall said it was live again: " + seen.changes());
            assertEquals("实时", browser.find(By.id("live-state")).getText(), "the wall shows it is live");
            assertTrue(streamsOpen(survivor) >= 1, "the wall's stream is on " + survivor.name + " now");
            long back = reopened - killedAt;
            List<Long> heard = seen.messages().stream().filter(m -> m.type().startsWith("case.")).map(LiveStreamRecorder.Message::id)
                    .toList();
            System.out.printf("drill: the wall page was back through nginx %d ms after the kill (retry %.1f s): stream open"
                            + " after %d ms, first event after %d ms, '实时' shown after %d ms; %d case events received, %d resets%n",
                    back, WALL_RETRY.toMillis() / 1e3, back, firstEvent < 0 ? -1 : firstEvent - killedAt, shownLive - killedAt,
                    heard.size(), seen.messages().stream().filter(m -> "stream.reset".equals(m.type())).count());
            assertTrue(back <= WALLS_BACK_WITHIN.toMillis(), "the wall back within " + WALLS_BACK_WITHIN.toSeconds() + " s: " + back + " ms");
            assertEquals(List.of(), seen.messages().stream().filter(m -> !m.type().startsWith("case.")).toList(),
                    "nothing but case events: no reset, the log had all the wall missed");
            missedNoEvent(data, heard, lastLogged, seen.messages().stream().filter(m -> "case.created".equals(m.type()))
                    .map(LiveStreamRecorder.Message::caseId).toList(), keys);
            // closed before nginx, which would otherwise wait for the open stream to end
            browser.close();
        }
    }

    /** Every report acknowledged, each acknowledged key one case, no other case of the drill: the keys. */
    private static List<String> noneLostOrTwice(InstancesDatabase data, Load load, String run, double seconds) throws Exception {
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
        System.out.printf("drill: %d reports sent in %.1f s (%.0f a second), %d sent again after a refused or broken"
                        + " connection or a 5xx (%d of them found the case the dead instance had made), none lost, none twice%n",
                keys.size(), seconds, keys.size() / seconds, load.retried.get(), load.foundAfterRetry.get());
        return keys;
    }

    /**
     * The wall received every case event of the log since it opened ({@code heard}: the ids, in the
     * order received), each once, in order, up to {@code lastLogged}; and the creation of every case of
     * {@code keys} once ({@code created}: the case ids of the case.created events received).
     */
    private static void missedNoEvent(InstancesDatabase data, List<Long> heard, long lastLogged, List<String> created,
            List<String> keys) throws Exception {
        assertFalse(heard.isEmpty());
        assertEquals(Fixtures.loggedCaseEvents(data.db, heard.get(0) - 1, lastLogged), heard,
                "every case event of the log since the wall opened, each once, in order");
        Map<String, Integer> times = new HashMap<>();
        created.forEach(id -> times.merge(id, 1, Integer::sum));
        for (String key : keys) {
            assertEquals(1, times.getOrDefault(key, 0), "the wall heard the case " + key + " made once");
        }
    }

    /** The instance whose /metrics counts the one open event stream (the wall's). */
    private static ServerProcess streamHolder(List<ServerProcess> instances, Duration within) throws Exception {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            List<ServerProcess> holding = new ArrayList<>();
            int open = 0;
            for (ServerProcess p : instances) {
                int n = streamsOpen(p);
                open += n;
                if (n > 0) {
                    holding.add(p);
                }
            }
            if (open == 1) {
                return holding.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not one event stream open on the instances");
    }

    /** The instance's gauge of open event streams ({@code /metrics}, open to the machine itself). */
    private static int streamsOpen(ServerProcess p) {
        String metrics = Api.call(p.url, "GET", "/metrics", null, null).body();
        return metrics.lines().filter(l -> l.startsWith("gridctl_events_streams_open"))
                .mapToInt(l -> (int) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * The reporting clients: one report every 1/{@link #RATE} s, each sent by a thread of its own to the
     * addresses in turn (the two instances, or nginx alone), and on a broken connection (or a 5xx) sent
     * again, the same body and key, to the next address until it is acknowledged (201 made, 200 found)
     * or 60 s have passed.
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

        /** Sends until {@link #LOAD} after {@code t0} (nanoTime), then {@link #finish}es: the seconds it sent for. */
        double finishAfter(long t0) throws InterruptedException {
            Thread.sleep(Math.max(0, LOAD.toMillis() - (System.nanoTime() - t0) / 1_000_000));
            double seconds = (System.nanoTime() - t0) / 1e9;
            finish();
            return seconds;
        }

        /** Stops sending and waits for every report sent to be answered. */
        void finish() throws InterruptedException {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            clients.shutdown();
            long stopped = System.nanoTime();
            // on a machine shared with other work the instances may fall behind the rate: the reports wait
            assertTrue(clients.awaitTermination(180, TimeUnit.SECONDS), "the clients finish");
            System.out.printf("drill: the last reports were answered %.1f s after the load stopped%n",
                    (System.nanoTime() - stopped) / 1e9);
        }

        private void report(int i) {
            UUID key = UUID.randomUUID();
            JsonObject body = Fixtures.caseBody(key, places.get(i % places.size()), run + " " + i);
            HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
            int target = i % urls.size();
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
                    // the instance is gone, or the connection broke mid-request: the next address, as the proxy would
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    problems.add(key + ": interrupted");
                    return;
                }
                target = (target + 1) % urls.size();
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
