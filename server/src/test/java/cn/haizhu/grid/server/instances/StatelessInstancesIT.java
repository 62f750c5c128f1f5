package cn.haizhu.grid.server.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.users.UserAccounts;
import cn.haizhu.grid.server.CommandCenter;
import cn.haizhu.grid.server.TestServer;
import cn.haizhu.grid.server.cases.KpiFold;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Two server instances on one database behave as one (docs/CLUSTER.md, "Stateless instances"): two
 * command centers in this JVM, on ports 18480 and 18481, over one database (it_instances, the 1%
 * demo). A token issued by one works on the other, and a revocation on either is heard by both at
 * once; wrong passwords spread over both count once; a change evicts the cached tiles of both; a
 * retried intake sent to the other instance finds its case; one KPI fold at a time; and an event
 * stream that reconnects to the other instance with Last-Event-ID gets exactly what it missed, under
 * the same ids both instances send.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StatelessInstancesIT {
    static final int PORT_A = 18480;
    static final int PORT_B = 18481;
    /** The throttle's free allowances, as the database counts them (R__auth_functions.sql, auth/SignInThrottle). */
    static final int ADDRESS_FREE = 20;
    static final int ACCOUNT_FREE = 5;
    /** Well under the caller cache's 5 s: what is heard within this was told, not timed out. */
    static final Duration AT_ONCE = Duration.ofMillis(2_000);
    static InstancesDatabase data;
    static CommandCenter a;
    static CommandCenter b;
    static String urlA;
    static String urlB;
    static List<double[]> places;

    @BeforeAll
    static void start() throws Exception {
        data = InstancesDatabase.get();
        a = CommandCenter.start(data.config.withHttpPort(PORT_A), data.db, data.cipher);
        b = CommandCenter.start(data.config.withHttpPort(PORT_B), data.db, data.cipher);
        urlA = "http://127.0.0.1:" + PORT_A;
        urlB = "http://127.0.0.1:" + PORT_B;
        places = Fixtures.placesInGrids(data.db, 20);
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void aTokenFromOneInstanceWorksOnTheOtherAndBothForgetItAtOnceWhenRevoked() throws Exception {
        String token = Api.token(urlA, "dispatcher");
        assertEquals(200, Api.call(urlB, "GET", "/api/v1/me", token, null).statusCode(), "issued by A, accepted by B");
        assertEquals(200, Api.call(urlA, "GET", "/api/v1/me", token, null).statusCode());
        // both now hold the caller in their cache; A revokes it
        assertEquals(204, Api.call(urlA, "DELETE", "/api/v1/auth/token", token, null).statusCode());
        long t0 = System.nanoTime();
        awaitStatus(urlB, token, 401);
        System.out.printf("revocation at A heard by B in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertEquals(401, Api.call(urlA, "GET", "/api/v1/me", token, null).statusCode());

        // disabled at the command line, on neither instance: both forget the user's sessions at once
        String officer = Api.token(urlB, "officer");
        assertEquals(200, Api.call(urlA, "GET", "/api/v1/me", officer, null).statusCode());
        assertEquals(200, Api.call(urlB, "GET", "/api/v1/me", officer, null).statusCode());
        try (Connection c = data.db.connection()) {
            new UserAccounts(c).setDisabled("officer", true);
            awaitStatus(urlA, officer, 401);
            awaitStatus(urlB, officer, 401);
        } finally {
            try (Connection c = data.db.connection()) {
                new UserAccounts(c).setDisabled("officer", false);
            }
        }
    }

    /** Polls /api/v1/me until it answers {@code status}, failing after {@link #AT_ONCE}. */
    private static void awaitStatus(String url, String token, int status) throws InterruptedException {
        long until = System.nanoTime() + AT_ONCE.toNanos();
        int last;
        while ((last = Api.call(url, "GET", "/api/v1/me", token, null).statusCode()) != status) {
            assertTrue(System.nanoTime() < until, url + " still answers " + last + " after " + AT_ONCE.toMillis() + " ms");
            Thread.sleep(20);
        }
    }

    @Test
    void wrongPasswordsSpreadOverBothInstancesCountOnce() {
        // one address guessing many accounts, alternating instances: per process it would get twice the allowance
        String attacker = "203.0.113.61";
        int checked = 0;
        int refused = 0;
        int attempts = ADDRESS_FREE + 4;
        List<Integer> lastOnEach = new ArrayList<>(List.of(0, 0));
        for (int i = 0; i < attempts; i++) {
            HttpResponse<String> r = Api.signIn(i % 2 == 0 ? urlA : urlB, "user" + i, "wrong-password-" + i, attacker);
            if (r.statusCode() == 401) {
                checked++;
            } else {
                assertEquals(429, r.statusCode(), r.body());
                assertTrue(r.headers().firstValue("Retry-After").isPresent());
                refused++;
            }
            lastOnEach.set(i % 2, r.statusCode());
        }
        System.out.printf("one address over two instances: %d passwords checked, %d refused%n", checked, refused);
        // the allowance, plus the failure that starts the first wait (and one more if a wait of 1 s ran out meanwhile)
        assertTrue(checked >= ADDRESS_FREE + 1 && checked <= ADDRESS_FREE + 2, checked + " checked");
        assertEquals(List.of(429, 429), lastOnEach, "both instances make the address wait");
        assertEquals(429, Api.signIn(urlA, "command", TestServer.PASSWORD, attacker).statusCode(), "even the right password waits");
        assertEquals(429, Api.signIn(urlB, "command", TestServer.PASSWORD, attacker).statusCode());

        // many addresses guessing one account, alternating instances: the account's allowance is shared too
        for (int i = 0; i <= ACCOUNT_FREE; i++) {
            assertEquals(401, Api.signIn(i % 2 == 0 ? urlA : urlB, "peer", "guess-" + i, "203.0.113." + (120 + i)).statusCode());
        }
        assertEquals(429, Api.signIn(urlA, "peer", TestServer.PASSWORD, "203.0.113.140").statusCode(), "a new address waits on A");
        assertEquals(429, Api.signIn(urlB, "peer", TestServer.PASSWORD, "203.0.113.141").statusCode(), "and on B");
        assertEquals(201, Api.signIn(urlB, "command", TestServer.PASSWORD, "198.51.100.61").statusCode(), "others sign in");
    }

    @Test
    void aChangeEvictsTheCachedTilesOfBothInstances() throws Exception {
        String token = Api.token(urlA, "command");
        String grid;
        double lon;
        double lat;
        try (Connection c = data.db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT code, ST_X(p), ST_Y(p) FROM (SELECT code, ST_PointOnSurface(geom) p FROM grid"
                     + " ORDER BY code LIMIT 1) g")) {
            assertTrue(rs.next());
            grid = rs.getString(1);
            lon = rs.getDouble(2);
            lat = rs.getDouble(3);
        }
        String path = Fixtures.tilePath("grids", 15, lon, lat);
        String before = etag(urlA, path, token);
        assertEquals(before, etag(urlB, path, token), "the same tile on both");
        assertEquals(before, etag(urlB, path, token), "cached");
        try (Connection listener = data.db.connection(); Statement s = listener.createStatement()) {
            s.execute("LISTEN gridctl_tiles");
            data.execute("UPDATE grid SET name = name || '（改）' WHERE code = ?", grid);
            try {
                PGNotification[] heard = listener.unwrap(PGConnection.class).getNotifications(2_000);
                assertNotNull(heard, "the change notifies gridctl_tiles");
                long t0 = System.nanoTime();
                for (String url : List.of(urlA, urlB)) {
                    long until = System.nanoTime() + AT_ONCE.toNanos();
                    while (etag(url, path, token).equals(before)) {
                        assertTrue(System.nanoTime() < until, url + " still serves the tile from before the change");
                        Thread.sleep(20);
                    }
                }
                System.out.printf("a grid renamed: both instances serve the new tile within %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            } finally {
                data.execute("UPDATE grid SET name = replace(name, '（改）', '') WHERE code = ?", grid);
            }
        }
    }

    private static String etag(String url, String path, String token) {
        HttpResponse<String> r = Api.call(url, "GET", path, token, null);
        assertEquals(200, r.statusCode(), path + " at " + url);
        return r.headers().firstValue("ETag").orElseThrow();
    }

    @Test
    void aRetriedIntakeSentToTheOtherInstanceFindsItsCaseNeverASecondOne() throws Exception {
        String tokenA = Api.token(urlA, "dispatcher");
        String tokenB = Api.token(urlB, "dispatcher");
        UUID id = UUID.randomUUID();
        JsonObject body = Fixtures.caseBody(id, places.get(0), "重试的受理");
        Fixtures.intakeAndRetry(urlA, tokenA, urlB, tokenB, body);
        HttpResponse<String> reused = Api.call(urlB, "POST", "/api/v1/cases", tokenB, body.copy().put("title", "另一件事"));
        assertEquals(409, reused.statusCode(), "the same id for other content");

        // the same intake sent to both at the same moment, twenty times: one case each time
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 20; i++) {
                JsonObject racing = Fixtures.caseBody(UUID.randomUUID(), places.get(i % places.size()), "同时重试 " + i);
                List<Future<HttpResponse<String>>> answers = two.invokeAll(List.<Callable<HttpResponse<String>>>of(
                        () -> Api.call(urlA, "POST", "/api/v1/cases", tokenA, racing),
                        () -> Api.call(urlB, "POST", "/api/v1/cases", tokenB, racing)));
                List<Integer> statuses = new ArrayList<>();
                Set<String> numbers = new HashSet<>();
                for (Future<HttpResponse<String>> f : answers) {
                    statuses.add(f.get().statusCode());
                    numbers.add(new JsonObject(f.get().body()).getString("number"));
                }
                statuses.sort(null);
                assertEquals(List.of(200, 201), statuses, "one made it, the other found it");
                assertEquals(1, numbers.size(), "both answer the same case");
                assertEquals(1, data.count("SELECT count(*) FROM civic_case WHERE gid = ?::uuid", racing.getString("id")));
            }
        } finally {
            two.shutdownNow();
        }
    }

    @Test
    void theKpiFoldRunsOnOneInstanceAtATime() throws Exception {
        String token = Api.token(urlA, "dispatcher");
        assertEquals(201, Api.call(urlA, "POST", "/api/v1/cases", token,
                Fixtures.caseBody(UUID.randomUUID(), places.get(1), "折叠前的受理")).statusCode());
        try (Connection holder = data.db.connection(); Statement s = holder.createStatement()) {
            // another instance is folding: it holds the lock
            s.execute("SELECT pg_advisory_lock(hashtext('gridctl_case_kpi_compact'))");
            long waiting = data.count("SELECT count(*) FROM case_kpi_delta");
            assertTrue(waiting > 0, "the intake appended KPI counts");
            for (CommandCenter instance : List.of(a, b)) {
                KpiFold.Outcome skipped = instance.kpiFold().runOnce().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertFalse(skipped.folded(), "an instance skips while another folds");
            }
            assertEquals(waiting, data.count("SELECT count(*) FROM case_kpi_delta"), "nothing folded twice, nothing lost");
            s.execute("SELECT pg_advisory_unlock(hashtext('gridctl_case_kpi_compact'))");
        }
        KpiFold.Outcome folded = a.kpiFold().runOnce().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(folded.folded() && folded.moved() > 0, "folded once the lock is free: " + folded);
        assertEquals(0, data.count("SELECT count(*) FROM case_kpi_delta"));
        // and every case is counted once, whichever instance folded: the kept counts and the cases agree
        assertEquals(data.count("SELECT count(*) FROM civic_case"),
                data.count("SELECT coalesce(sum(cases), 0) FROM case_kpi WHERE basis = 'created' AND dimension = 'category'"));
    }

    @Test
    void bothInstancesSendTheSameIdsAndAStreamResumesOnTheOtherWithNoGapAndNoRepeat() throws Exception {
        String command = Api.token(urlA, "command");
        String dispatcher = Api.token(urlB, "dispatcher");
        try (EventStreamClient onA = EventStreamClient.open(urlA, command, "case.", null);
             EventStreamClient onB = EventStreamClient.open(urlB, command, "case.", null)) {
            List<String> made = report(dispatcher, 3, "三件");
            List<EventStreamClient.Event> heardA = Fixtures.created(onA, made);
            List<EventStreamClient.Event> heardB = Fixtures.created(onB, made);
            assertEquals(ids(heardA), ids(heardB), "the same ids on both instances");
            assertEquals(made, heardA.stream().map(e -> e.data().getString("id")).toList(), "in commit order");
            String last = onA.lastId();
            assertTrue(Long.parseLong(last) >= heardA.get(2).id(), "the stream's last id: " + last);
            onA.close();

            // while the page is away: five more, through both instances
            List<String> missed = report(dispatcher, 5, "离线时");
            List<EventStreamClient.Event> liveOnB = Fixtures.created(onB, missed);
            try (EventStreamClient resumed = EventStreamClient.open(urlB, command, "case.", last)) {
                List<EventStreamClient.Event> replayed = Fixtures.until(resumed, missed);
                long upTo = replayed.get(replayed.size() - 1).id();
                assertEquals(Fixtures.loggedCaseEvents(data.db, Long.parseLong(last), upTo), ids(replayed),
                        "every case event after the last it saw, each once, in order");
                assertEquals(ids(liveOnB), ids(Fixtures.createdAmong(replayed, missed)), "under the ids B sent live");
                List<String> after = report(dispatcher, 1, "回来后");
                List<EventStreamClient.Event> then = Fixtures.until(resumed, after);
                assertEquals(Fixtures.loggedCaseEvents(data.db, upTo, then.get(then.size() - 1).id()), ids(then),
                        "then live, going on from there");
                assertNull(resumed.next(Duration.ofMillis(500)), "nothing twice");
            }
        }
    }

    @Test
    void aStreamTooFarBehindOrFromElsewhereIsToldToReload() throws Exception {
        String command = Api.token(urlB, "command");
        String dispatcher = Api.token(urlB, "dispatcher");
        report(dispatcher, 3, "修剪前");
        long last = Fixtures.lastEventId(data.db);
        try (EventStreamClient stream = EventStreamClient.open(urlA, command, "case.", "999999999")) {
            assertReset(stream, last, "an id this database never gave");
        }
        // the window passed: the log keeps only the last transaction's events
        assertTrue(data.count("SELECT gridctl_events_prune(interval '0 seconds', 1000000)") > 0);
        try (EventStreamClient stream = EventStreamClient.open(urlA, command, "case.", Long.toString(last - 2))) {
            assertReset(stream, last, "events pruned since");
        }
        try (EventStreamClient stream = EventStreamClient.open(urlB, command, "case.", Long.toString(last))) {
            List<String> after = report(dispatcher, 1, "修剪后");
            assertEquals(last + 1, Fixtures.created(stream, after).get(0).id(), "a stream that missed nothing goes on as if never away");
        }
    }

    private static void assertReset(EventStreamClient stream, long last, String why) throws InterruptedException {
        EventStreamClient.Event reset = stream.next(Duration.ofSeconds(5));
        assertNotNull(reset, why);
        assertEquals("stream.reset", reset.type(), why);
        assertEquals(last, reset.id(), why + ": it goes on from the log's last id");
    }

    @Test
    void aStreamMissesNothingWhileItsInstanceListensAgainAfterLosingTheDatabase() throws Exception {
        String command = Api.token(urlA, "command");
        String dispatcher = Api.token(urlA, "dispatcher");
        try (EventStreamClient stream = EventStreamClient.open(urlA, command, "case.", null)) {
            List<String> before = report(dispatcher, 1, "断开前");
            long first = Fixtures.created(stream, before).get(0).id();
            // every instance's LISTEN connection is cut; cases keep coming meanwhile
            long cut = data.count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND application_name = 'gridctl-events'");
            assertEquals(2, cut, "the LISTEN connections of both instances");
            List<String> meanwhile = report(dispatcher, 4, "监听断开时");
            List<EventStreamClient.Event> heard = Fixtures.created(stream, meanwhile);
            assertNotEquals(0, heard.size());
            long previous = first;
            for (EventStreamClient.Event e : heard) {
                assertTrue(e.id() > previous, "in order, each once");
                previous = e.id();
            }
        }
    }

    /** Reports {@code n} cases, alternating between the instances; their ids in the order they were made. */
    private static List<String> report(String token, int n, String title) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            HttpResponse<String> r = Api.call(i % 2 == 0 ? urlA : urlB, "POST", "/api/v1/cases", token,
                    Fixtures.caseBody(id, places.get(i % places.size()), title + " " + i));
            assertEquals(201, r.statusCode(), r.body());
            ids.add(id.toString());
        }
        return ids;
    }

    private static List<Long> ids(List<EventStreamClient.Event> events) {
        return events.stream().map(EventStreamClient.Event::id).toList();
    }
}
