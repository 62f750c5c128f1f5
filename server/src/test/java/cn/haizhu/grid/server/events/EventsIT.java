package cn.haizhu.grid.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** NOTIFY in the database → SSE in the browser, within a second, and only within the caller's scope. */
class EventsIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** An open event stream: the JSON of each {@code data:} line, in order. */
    private record Stream(BlockingQueue<String> lines, CompletableFuture<?> response,
                          java.util.concurrent.atomic.AtomicReference<java.util.stream.Stream<String>> body) {
        static Stream open(String token, String query) throws Exception {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            var body = new java.util.concurrent.atomic.AtomicReference<java.util.stream.Stream<String>>();
            CompletableFuture<?> response = CLIENT.sendAsync(request(token, query), HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(r -> {
                        lines.add("status: " + r.statusCode() + " " + r.headers().firstValue("content-type").orElse(""));
                        body.set(r.body());
                        r.body().forEach(lines::add);
                    });
            Stream s = new Stream(lines, response, body);
            String status = s.lines.poll(10, TimeUnit.SECONDS);
            assertNotNull(status, "the stream answers");
            assertTrue(status.startsWith("status: 200 text/event-stream"), status);
            assertEquals("retry: 3000", s.lines.poll(5, TimeUnit.SECONDS), "the server greets (and has subscribed)");
            return s;
        }

        /** The next event's data, or null if none comes within the time. */
        JsonObject next(long millis) throws InterruptedException {
            long until = System.currentTimeMillis() + millis;
            String line;
            while ((line = lines.poll(Math.max(1, until - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) != null) {
                if (line.startsWith("data: ")) {
                    return new JsonObject(line.substring(6));
                }
            }
            return null;
        }

        /** Closes the connection (closing the body stream cancels it; cancelling the future alone would not). */
        void close() {
            java.util.stream.Stream<String> b = body.get();
            if (b != null) {
                b.close();
            }
            response.cancel(true);
        }
    }

    private static HttpRequest request(String token, String query) {
        return HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/api/v1/events" + query))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
    }

    @Test
    void aStreamEndsSoonAfterItsTokenIsRevoked() throws Exception {
        long before = EventStreamResource.recheckMillis;
        EventStreamResource.recheckMillis = 500;
        try {
            String token = Http.token("command");
            Stream stream = Stream.open(token, "");
            HttpResponse<String> revoked = Http.send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/api/v1/auth/token"))
                    .header("Authorization", "Bearer " + token).DELETE().build());
            assertEquals(204, revoked.statusCode());
            stream.response().get(10, TimeUnit.SECONDS);   // the server ended it
            notify(new JsonObject().put("type", "case.created").put("id", "after").put("street_code", "440105001")
                    .put("grid_code", "44010500101001"));
            assertNull(stream.next(500), "nothing after the end");
        } finally {
            EventStreamResource.recheckMillis = before;
        }
    }

    @Test
    void aRoleWithoutCasesReadHearsNoCase() throws Exception {
        Stream officer = Stream.open(Http.token("officer"), "");
        try {
            notify(new JsonObject().put("type", "case.created").put("id", "o").put("title", "个人信息")
                    .put("street_code", "440105001").put("grid_code", "44010500101001"));
            assertNull(officer.next(1000), "the officer may not read cases, nor hear of them");
        } finally {
            officer.close();
        }
    }

    @Test
    void streamsAreCappedPerUserAndFreedWhenClosed() throws Exception {
        String token = Http.token("peer");
        java.util.List<Stream> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < EventStreamResource.MAX_PER_USER; i++) {
                open.add(Stream.open(token, ""));
            }
            HttpResponse<String> over = CLIENT.send(request(token, ""), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, over.statusCode());
            assertTrue(over.headers().firstValue("Retry-After").isPresent());
            open.remove(0).close();
            long until = System.currentTimeMillis() + 5000;
            int status = 429;
            while (status == 429 && System.currentTimeMillis() < until) {
                Thread.sleep(100);
                try {
                    HttpResponse<java.util.stream.Stream<String>> r = CLIENT.send(request(token, ""), HttpResponse.BodyHandlers.ofLines());
                    status = r.statusCode();
                    r.body().close();
                } catch (java.io.IOException e) {
                    status = -1;
                }
            }
            assertEquals(200, status, "a closed stream frees its place");
        } finally {
            open.forEach(Stream::close);
        }
    }

    /**
     * A stream the server ends (here: its token is revoked) gives its place back at once, although the
     * client keeps the connection alive for its next request: before, the place was held until the
     * connection closed, and a user whose streams ended so ran out of them.
     */
    @Test
    void aStreamTheServerEndsFreesItsPlaceWhileTheConnectionLives() throws Exception {
        long before = EventStreamResource.recheckMillis;
        EventStreamResource.recheckMillis = 500;
        try {
            String user = "dispatcher";
            HttpClient keepAlive = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < EventStreamResource.MAX_PER_USER + 2; i++) {
                String token = Http.token(user);
                HttpResponse<java.util.stream.Stream<String>> r = keepAlive.send(request(token, ""), HttpResponse.BodyHandlers.ofLines());
                assertEquals(200, r.statusCode(), "stream " + (i + 1) + " of a user whose earlier streams all ended");
                java.util.Iterator<String> lines = r.body().iterator();
                assertEquals("retry: 3000", lines.next());
                HttpResponse<String> revoked = Http.send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/api/v1/auth/token"))
                        .header("Authorization", "Bearer " + token).DELETE().build());
                assertEquals(204, revoked.statusCode());
                while (lines.hasNext()) {
                    lines.next();   // to the end the server gives it; the connection goes back to the client's pool
                }
            }
        } finally {
            EventStreamResource.recheckMillis = before;
        }
    }

    /**
     * A client that stops reading (a page too busy, a stalled network) does not make the server queue
     * its events without end: past its queue's limit the stream writes nothing until the client reads
     * again, and then takes what it skipped from the event log (these notifications are not in the log:
     * they are simply not sent). Before, all 12 MB were queued for it.
     */
    @Test
    void aClientThatStopsReadingIsNotQueuedWithoutEnd() throws Exception {
        URI base = URI.create(TestServer.get().baseUrl());
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.setReceiveBufferSize(4096);   // set before connecting: a small window, filled at once
            socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.getOutputStream().write(("GET /api/v1/events HTTP/1.1\r\nHost: " + base.getAuthority()
                    + "\r\nAuthorization: Bearer " + Http.token("command") + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Thread.sleep(500);   // subscribed
            String filler = "满".repeat(2_000);   // 6 KB an event: 2,000 of them, 12 MB, past every buffer on the way
            try (Connection c = TestServer.get().db.connection();
                 PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + DatabaseEvents.CHANNEL + "', ?)")) {
                for (int i = 0; i < 2_000; i++) {
                    ps.setString(1, new JsonObject().put("type", "case.changed").put("id", "slow-" + i).put("title", filler)
                            .put("street_code", "440105001").put("grid_code", "44010500101001").encode());
                    ps.execute();
                }
            }
            Thread.sleep(1_000);   // every notification heard
            socket.setSoTimeout(3_000);
            java.io.InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65_536];
            long read = 0;
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read += n;
                }
            } catch (java.net.SocketTimeoutException quiet) {
                // all that was queued has come
            }
            assertTrue(read > 0 && read < 2_000L * 6_000 / 2, "what was queued for the client that did not read: " + read + " bytes");
        }
    }

    private static void notify(JsonObject event) throws Exception {
        try (Connection c = TestServer.get().db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + DatabaseEvents.CHANNEL + "', ?)")) {
            ps.setString(1, event.encode());
            ps.execute();
        }
    }

    @Test
    void aNotificationReachesTheOpenStreamsWithinASecondAndOnlyInScope() throws Exception {
        Stream district = Stream.open(Http.token("command"), "");
        Stream street = Stream.open(Http.token("command-440105001"), "");
        try {
            long t0 = System.nanoTime();
            notify(new JsonObject().put("type", "case.created").put("id", "a").put("street_code", "440105002")
                    .put("grid_code", "44010500201001"));
            notify(new JsonObject().put("type", "case.created").put("id", "b").put("street_code", "440105001")
                    .put("grid_code", "44010500101001"));
            JsonObject first = district.next(1000);
            assertNotNull(first, "the district sees the event within a second");
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
            assertEquals("a", first.getString("id"));
            assertEquals("b", district.next(1000).getString("id"));
            JsonObject own = street.next(1000);
            assertNotNull(own);
            assertEquals("b", own.getString("id"), "the street user sees its own street's event, not the other street's");
            assertNull(street.next(300));
        } finally {
            district.close();
            street.close();
        }
    }

    @Test
    void typesFilterAndDistrictWideEventsGoToEveryone() throws Exception {
        Stream tiles = Stream.open(Http.token("command-440105001"), "?types=tiles.");
        try {
            notify(new JsonObject().put("type", "case.created").put("id", "c").put("street_code", "440105001"));
            notify(new JsonObject().put("type", "tiles.changed").put("layer", "houses"));
            JsonObject e = tiles.next(1000);
            assertNotNull(e);
            assertEquals("tiles.changed", e.getString("type"), "only the asked-for types, and place-less events reach every scope");
        } finally {
            tiles.close();
        }
    }

    @Test
    void aCaseCreatedThroughTheApiReachesTheWallWithinASecond() throws Exception {
        double[] at = aHouseInChigang();
        Stream wall = Stream.open(Http.token("command"), "?types=case.");
        Stream otherStreet = Stream.open(Http.token("command-440105001"), "?types=case.");
        try {
            long t0 = System.nanoTime();
            var created = Http.post("/api/v1/cases", "application/json", new JsonObject().put("source", "hotline_12345")
                    .put("category", "SJ0107").put("title", "占道经营").put("location", new JsonObject()
                            .put("lon", at[0]).put("lat", at[1])).encode(), Http.token("dispatcher"));
            assertEquals(201, created.statusCode(), created.body());
            String id = Http.json(created).getString("id");
            JsonObject e = wall.next(1000);
            assertNotNull(e, "the wall hears of the new case");
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L + 500_000_000L, "within a second of the answer");
            assertEquals("case.created", e.getString("type"));
            assertEquals(id, e.getString("id"));
            assertEquals("440105001", e.getString("street_code"));
            assertEquals(at[0], e.getDouble("lon"), 1e-9);
            assertEquals(id, otherStreet.next(1000).getString("id"), "the case's own street sees it too");
        } finally {
            wall.close();
            otherStreet.close();
        }
    }

    @Test
    void theWorkerACaseIsTakenFromHearsOfIt() throws Exception {
        double[] at = aHouseInChigang();
        var created = Http.post("/api/v1/cases", "application/json", new JsonObject().put("source", "hotline_12345")
                .put("category", "SJ0107").put("title", "改派测试").put("location", new JsonObject()
                        .put("lon", at[0]).put("lat", at[1])).encode(), Http.token("dispatcher"));
        assertEquals(201, created.statusCode(), created.body());
        String id = Http.json(created).getString("id");
        long before = Http.json(created).getJsonObject("assignee").getLong("id");
        Stream wall = Stream.open(Http.token("command"), "?types=case.");
        try (Connection c = TestServer.get().db.connection(); var s = c.createStatement()) {
            long after;
            try (var rs = s.executeQuery("SELECT min(id) FROM grid_worker WHERE id <> " + before)) {
                rs.next();
                after = rs.getLong(1);
            }
            s.executeUpdate("UPDATE civic_case SET assignee_id = " + after + " WHERE gid = '" + id + "'");
            JsonObject moved = wall.next(1000);
            assertNotNull(moved);
            assertEquals("case.changed", moved.getString("type"));
            assertEquals(after, moved.getLong("assignee_id"));
            assertEquals(before, moved.getLong("previous_assignee_id"), "the worker it was taken from");
            s.executeUpdate("UPDATE civic_case SET title = '改派测试 2' WHERE gid = '" + id + "'");
            JsonObject retitled = wall.next(1000);
            assertNotNull(retitled);
            assertNull(retitled.getValue("previous_assignee_id"), "no one lost it: " + retitled);
        } finally {
            wall.close();
        }
    }

    /** Where the first house of 赤岗街道 (440105001) stands. */
    private static double[] aHouseInChigang() throws Exception {
        try (Connection c = TestServer.get().db.connection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT ST_X(geom), ST_Y(geom) FROM house WHERE street_code = '440105001' ORDER BY code LIMIT 1")) {
            rs.next();
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }

    @Test
    void withoutSignInTheStreamIsRefused() {
        var r = Http.get("/api/v1/events", null);
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("\"error\""));
    }
}
