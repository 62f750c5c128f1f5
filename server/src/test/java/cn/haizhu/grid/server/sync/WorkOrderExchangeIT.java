package cn.haizhu.grid.server.sync;

import static cn.haizhu.grid.server.sync.SyncNodes.count;
import static cn.haizhu.grid.server.sync.SyncNodes.first;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.NodeServer;
import cn.haizhu.grid.server.attachments.ImageCheckTest;
import cn.haizhu.grid.server.cases.CasesIT;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work orders carried between two real levels over the real exchange (issue 15; docs/SYNC.md "Work
 * orders between levels"): the Guangzhou city node (440100) and the Haizhu district (440105), whose
 * upstream it is, each with its own database and port in this JVM, started as ./gridctl run starts
 * them (the district loads the demo, the city starts from its districts' outlines). Nothing is mocked
 * and no order is posted to a work-order route: the city files a 12345 case in Haizhu, and everything
 * after travels through the change feeds the two nodes pull from each other.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkOrderExchangeIT {
    static final String CITY = "440100";
    static final String DISTRICT = "440105";
    static final Duration SECONDS = Duration.ofSeconds(30);

    static NodeServer city;
    static NodeServer district;
    static String cityCommand;
    static String dispatcher;
    static String worker;
    static String command;
    /** A point in the demo worker's grid at the district. */
    static double[] inside;
    /** Where each node's log stood before the first order: the rows of the orders all come after. */
    static String cityLogBefore;
    static String districtLogBefore;
    /** The photo of the first order's reply, as the worker took it. */
    static String photoId;
    static byte[] photo;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startTheTwoLevels() throws Exception {
        int cityPort = SyncNodes.freePort();
        int districtPort = SyncNodes.freePort();
        city = NodeServer.start(CITY, "orders_city", c -> c.withHttpPort(cityPort));
        // the city issues the district its key, as ./gridctl sync peer add 440105 --url … does; the district names the city upstream
        String key = SyncNodes.issueKey(city.db, CITY, city.config.dataDir(), DISTRICT, "http://127.0.0.1:" + districtPort);
        district = NodeServer.start(DISTRICT, "orders_district",
                c -> c.withNode(DISTRICT, new GridConfig.Upstream(city.baseUrl(), key)).withHttpPort(districtPort));
        cityCommand = city.token("command");
        dispatcher = district.token("dispatcher");
        worker = district.token("worker");
        command = district.token("command");
        String[] grid = SyncNodes.row(district.db, """
                SELECT ST_X((ST_MaximumInscribedCircle(g.geom)).center), ST_Y((ST_MaximumInscribedCircle(g.geom)).center)
                FROM grid_worker w JOIN app_user u ON u.id = w.user_id AND u.username = 'worker'
                JOIN grid_worker_grid wg ON wg.worker_id = w.id JOIN grid g ON g.code = wg.grid_code""");
        inside = new double[] {Double.parseDouble(grid[0]), Double.parseDouble(grid[1])};
        // the district registers at the city and each pulls the other: the city gets the district's records first
        cityLogBefore = SyncNodes.logTail(city.db);
        districtLogBefore = SyncNodes.logTail(district.db);
        caughtUp(Duration.ofSeconds(240));
    }

    /** Waits until each node has pulled the other's feed past where its log stood when this was called. */
    private static void caughtUp(Duration within) throws Exception {
        String cityTail = SyncNodes.logTail(city.db);
        String districtTail = SyncNodes.logTail(district.db);
        eventually(within, "each node pulled the other's feed to its end", () ->
                past(first(city.db, "SELECT cursor FROM sync_checkpoint WHERE peer_code = ?", DISTRICT), districtTail)
                        && past(first(district.db, "SELECT cursor FROM sync_checkpoint WHERE peer_code = ?", CITY), cityTail));
    }

    @AfterAll
    static void stop() {
        for (NodeServer n : new NodeServer[] {district, city}) {
            if (n != null) {
                n.close();
            }
        }
    }

    // ── the order goes down, the handling comes up ──

    @Test
    @Order(1)
    void theCitysOrderReachesTheDistrictIsHandledThereAndEveryStepComesBackWithThePhoto() throws Exception {
        // 12345 at the city: a case in Haizhu is Haizhu's order, its clock running from now
        JsonObject filed = fileAtTheCity("市12345：墙面乱涂乱画");
        String cityCase = filed.getString("id");
        String number = filed.getString("number");
        assertTrue(number.startsWith(CITY + "-"), number);
        assertEquals(DISTRICT, filed.getJsonObject("handling").getString("node"));
        assertNull(filed.getJsonObject("handling").getString("caseNumber"), "not handled yet");
        assertNotNull(filed.getString("deadline"), "the city's deadline runs from 派单");
        assertEquals(List.of(), actions(filed), "the district handles it: nothing for the city's desk to do now");
        Instant cityDeadline = Instant.parse(filed.getString("deadline"));

        // it arrives at the district within seconds, with the city's number and deadline
        long t0 = System.nanoTime();
        String id = arrived(number);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("the city's order reached the district in %.1f s%n", seconds);
        assertTrue(seconds < 10, "within seconds: " + seconds);
        JsonObject received = get(district, dispatcher, "/api/v1/cases/" + id);
        assertTrue(received.getString("number").startsWith(DISTRICT + "-"), "the district's own number beside the city's");
        JsonObject origin = received.getJsonObject("origin");
        assertEquals(CITY, origin.getString("node"));
        assertEquals(number, origin.getString("orderNumber"));
        assertEquals(cityDeadline, Instant.parse(origin.getString("deadline")), "the city's deadline holds at the district");
        assertTrue(origin.getString("timeLimit").endsWith("个工作小时"), origin.getString("timeLimit"));
        assertEquals("reported", received.getString("state"));
        assertEquals(List.of("verify", "file", "reject", "return_up"), actions(received));

        // the district handles it: filed, dispatched to the grid's worker, who reports it done with a photo; checked, closed
        photo = Files.readAllBytes(ImageCheckTest.photo(dir, "wall.jpg", "jpg", 800, 600));
        photoId = UUID.randomUUID().toString();
        HttpResponse<String> uploaded = Http.multipart(district.baseUrl(), "/api/v1/attachments", worker, Map.of("id", photoId), "file",
                "现场.jpg", "image/jpeg", new ByteArrayInputStream(photo));
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        act(district, dispatcher, id, "file");
        JsonObject dispatched = act(district, dispatcher, id, "dispatch");
        assertFalse(Instant.parse(dispatched.getString("deadline")).isAfter(cityDeadline), "the running deadline never passes the city's");
        act(district, worker, id, "sign");
        act(district, worker, id, "start_handling");
        act(district, worker, id, new JsonObject().put("action", "feedback").put("comment", "已清理墙面")
                .put("attachments", new JsonArray().add(photoId)));
        act(district, dispatcher, id, "start_check");
        act(district, command, id, "close");

        // the city's case shows every step the district took, and the reply with its photo
        eventually(SECONDS, "the close at the city", () -> {
            JsonObject c = get(city, cityCommand, "/api/v1/cases/" + cityCase);
            return "closed".equals(c.getString("state")) && c.getJsonArray("history").stream()
                    .anyMatch(e -> "close".equals(((JsonObject) e).getString("action")));
        });
        JsonObject atCity = get(city, cityCommand, "/api/v1/cases/" + cityCase);
        assertEquals(received.getString("number"), atCity.getJsonObject("handling").getString("caseNumber"));
        JsonArray history = atCity.getJsonArray("history");
        List<String> districtSteps = history.stream().map(JsonObject.class::cast).filter(e -> DISTRICT.equals(e.getString("origin")))
                .map(e -> e.getString("action")).toList();
        assertEquals(List.of("report", "file", "dispatch", "sign", "start_handling", "feedback", "start_check", "close"), districtSteps);
        assertEquals(gids(district.db, "SELECT gid::text FROM case_event WHERE case_gid = ?::uuid", id),
                gids(city.db, "SELECT gid::text FROM case_event WHERE case_gid = ?::uuid AND origin = ?", cityCase, DISTRICT),
                "the same history rows at both levels");
        JsonObject feedback = history.stream().map(JsonObject.class::cast).filter(e -> "feedback".equals(e.getString("action")))
                .findFirst().orElseThrow();
        assertEquals("worker@" + DISTRICT, feedback.getJsonObject("actor").getString("username"), "a user of the district, not of the city");
        JsonObject reply = history.getJsonObject(history.size() - 1).getJsonObject("details").getJsonObject("reply");
        assertEquals(CITY, reply.getString("to"));
        assertEquals(number, reply.getString("orderNumber"));
        assertEquals("已清理墙面", reply.getString("comment"));
        assertEquals(new JsonArray().add(photoId), reply.getJsonArray("attachments"));
        assertArrayEquals(photo, bytes(city, cityCommand, "/api/v1/attachments/" + photoId), "the photo, byte for byte, at the city");
        assertEquals(200, bytesStatus(city, cityCommand, "/api/v1/attachments/" + photoId + "/thumbnail"));
        assertEquals(List.of("evaluate", "reopen"), actions(atCity), "回访 is the city's");

        // 回访: the citizen is not satisfied; the city reopens (重办), and the district's case reopens, the deadline unchanged
        JsonObject reopened = act(city, cityCommand, cityCase, new JsonObject().put("action", "reopen").put("comment", "回访不满意：仍有涂鸦"));
        assertEquals("reopened", reopened.getString("state"));
        eventually(SECONDS, "the reopen at the district", () -> "reopened".equals(get(district, dispatcher, "/api/v1/cases/" + id).getString("state")));
        JsonObject again = get(district, dispatcher, "/api/v1/cases/" + id);
        assertEquals(cityDeadline, Instant.parse(again.getJsonObject("origin").getString("deadline")), "the origin's deadline unchanged");
        JsonObject cityStep = again.getJsonArray("history").stream().map(JsonObject.class::cast)
                .filter(e -> "reopen".equals(e.getString("action"))).findFirst().orElseThrow();
        assertEquals(CITY, cityStep.getString("origin"), "the city's own step");
        assertEquals("回访不满意：仍有涂鸦", cityStep.getString("comment"));
        assertEquals(1, count(district.db, "SELECT count(*) FROM case_event WHERE case_gid = ?::uuid AND action = 'reopen'", id));
        assertEquals(first(city.db, "SELECT gid::text FROM case_event WHERE case_gid = ?::uuid AND action = 'reopen'", cityCase),
                first(district.db, "SELECT gid::text FROM case_event WHERE case_gid = ?::uuid AND action = 'reopen'", id),
                "one step, one record, at both levels");
        // the district dispatches it again: the city follows
        act(district, dispatcher, id, "dispatch");
        eventually(SECONDS, "the new dispatch at the city", () -> "dispatched".equals(get(city, cityCommand, "/api/v1/cases/" + cityCase)
                .getString("state")));
        assertEquals(cityDeadline, Instant.parse(get(city, cityCommand, "/api/v1/cases/" + cityCase).getString("deadline")),
                "the city's deadline is the order's, whatever the handling does");
    }

    @Test
    @Order(2)
    void anOrderTheDistrictReturnsUpAsNotItsJurisdictionComesBackWithItsReasonAndTheCityOverrules() throws Exception {
        JsonObject filed = fileAtTheCity("市12345：占道经营");
        String cityCase = filed.getString("id");
        String id = arrived(filed.getString("number"));
        JsonObject back = act(district, dispatcher, id, new JsonObject().put("action", "return_up").put("reason", "not_our_jurisdiction")
                .put("comment", "地址属天河区猎德街"));
        assertEquals("returned_up", back.getString("state"));

        eventually(SECONDS, "the return at the city", () -> "returned_up".equals(get(city, cityCommand, "/api/v1/cases/" + cityCase)
                .getString("state")));
        JsonObject atCity = get(city, cityCommand, "/api/v1/cases/" + cityCase);
        JsonObject returned = atCity.getJsonArray("history").stream().map(JsonObject.class::cast)
                .filter(e -> "return_up".equals(e.getString("action"))).findFirst().orElseThrow();
        assertEquals("not_our_jurisdiction", returned.getJsonObject("reason").getString("code"));
        assertEquals("非本辖区", returned.getJsonObject("reason").getString("zh"));
        assertEquals("地址属天河区猎德街", returned.getString("comment"));
        assertEquals(CITY, returned.getJsonObject("details").getString("returnedTo"));
        assertFalse(atCity.getBoolean("open"));
        assertEquals(List.of("redispatch"), actions(atCity), "the city takes the order back, or overrules the return");

        // 驳回退单: the city overrules; the district receives the order again
        assertEquals("reported", act(city, cityCommand, cityCase, new JsonObject().put("action", "redispatch")
                .put("comment", "经核实属海珠区")).getString("state"));
        eventually(SECONDS, "the order received again at the district", () -> "reported".equals(get(district, dispatcher,
                "/api/v1/cases/" + id).getString("state")));
    }

    // ── who sees what ──

    @Test
    @Order(3)
    void aPeerReadsThePhotosOfTheOrdersItIsPartyToAndAStreetReceivesNoCase() throws Exception {
        assertNotNull(photoId, "the first order's photo");
        // the key the city reads the district with (the district registered it at the city)
        String cityKey = new SyncPeers(null, null, CITY, city.config.dataDir()).keyFor(DISTRICT).orElseThrow();
        assertEquals(200, bytesStatus(district, cityKey, "/api/v1/attachments/" + photoId));
        // a photo of a case the district filed itself is no order of the city's
        String local = UUID.randomUUID().toString();
        assertEquals(201, Http.multipart(district.baseUrl(), "/api/v1/attachments", worker, Map.of("id", local), "file", "p.jpg",
                "image/jpeg", new ByteArrayInputStream(photo)).statusCode());
        ok(post(district, worker, "/api/v1/cases", CasesIT.intakeBody(inside).put("source", "patrol")
                .put("attachments", new JsonArray().add(local))), 201);
        assertEquals(200, bytesStatus(district, dispatcher, "/api/v1/attachments/" + local), "the district's desk sees it");
        assertEquals(404, bytesStatus(district, cityKey, "/api/v1/attachments/" + local), "the city does not");
        assertEquals(403, bytesStatus(district, cityKey, "/api/v1/attachments/" + photoId + "/thumbnail"),
                "a sync key opens the photo itself, nothing else");

        // a street of the district: its key reads no work order, no case at all, and not the order's photo
        String street = "440105001";
        String streetKey = SyncNodes.issueKey(district.db, DISTRICT, district.config.dataDir(), street, null);
        try {
            assertEquals(404, bytesStatus(district, streetKey, "/api/v1/attachments/" + photoId));
            String after = "0:0:0";
            boolean more = true;
            int cases = 0;
            while (more) {
                HttpResponse<String> r = SyncNodes.send(district.baseUrl(), "GET", "/api/v1/sync/changes?after=" + after + "&limit=1000",
                        streetKey, null);
                assertEquals(200, r.statusCode(), r.body());
                JsonObject batch = new JsonObject(r.body());
                for (Object o : batch.getJsonArray("changes")) {
                    String table = ((JsonObject) o).getString("table");
                    cases += table.equals("civic_case") || table.equals("case_event") ? 1 : 0;
                }
                after = batch.getString("next");
                more = batch.getBoolean("more");
            }
            assertEquals(0, cases, "a street is party to no work order: it receives no case");
        } finally {
            SyncNodes.update(district.db, "DELETE FROM sync_peer WHERE code = ?", street);
        }
    }

    @Test
    @Order(4)
    void caseNumbersNeverCollideAcrossTheLevels() throws Exception {
        Set<String> atCity = gids(city.db, "SELECT case_number FROM civic_case");
        Set<String> atDistrict = gids(district.db, "SELECT case_number FROM civic_case");
        assertFalse(atCity.isEmpty() || atDistrict.isEmpty());
        assertTrue(atCity.stream().allMatch(n -> n.startsWith(CITY + "-")), atCity.toString());
        Set<String> both = new HashSet<>(atCity);
        both.retainAll(atDistrict);
        assertEquals(Set.of(), both);
        // each order is known at both levels by both numbers
        assertEquals(count(city.db, "SELECT count(*) FROM civic_case WHERE handling_case_number IS NOT NULL"),
                count(district.db, "SELECT count(*) FROM civic_case WHERE origin_node = ?", CITY));
    }

    // ── nothing twice ──

    @Test
    @Order(5)
    void pullingAgainAndRestartingThePullersAppliesNothingTwice() throws Exception {
        quiet();
        String before = tally();
        // the batches that carried the orders, applied again as a puller that crashed before its commit would apply them
        String cityKey = new SyncPeers(null, null, CITY, city.config.dataDir()).keyFor(DISTRICT).orElseThrow();
        JsonObject up = batchCarrying(district, cityKey, districtLogBefore, "case_event");
        JsonObject down = batchCarrying(city, district.config.upstream().key(), cityLogBefore, "civic_case");
        OrderApply.Photos none = id -> {
            throw new AssertionError("photo " + id + " fetched again");
        };
        for (int round = 0; round < 2; round++) {
            try (Connection c = city.db.connection()) {
                up.put("next", first(city.db, "SELECT cursor FROM sync_checkpoint WHERE peer_code = ?", DISTRICT));
                assertEquals(0, new ChangeApply(CITY, city.center.keys(), new OrderApply(CITY, DISTRICT, none))
                        .apply(c, DISTRICT, up, 0, 0).applied(), "the handling held already applies nothing at the city");
            }
            try (Connection c = district.db.connection()) {
                down.put("next", first(district.db, "SELECT cursor FROM sync_checkpoint WHERE peer_code = ?", CITY));
                assertEquals(0, new ChangeApply(DISTRICT, district.center.keys(), new OrderApply(DISTRICT, CITY, none))
                        .apply(c, CITY, down, 0, 0).applied(), "orders and steps held already apply nothing at the district");
            }
        }
        assertEquals(before, tally());

        // both nodes stop; each pulls the other from the start again once restarted
        district.stop();
        city.stop();
        SyncNodes.update(city.db, "UPDATE sync_checkpoint SET cursor = '0:0:0'");
        SyncNodes.update(district.db, "UPDATE sync_checkpoint SET cursor = '0:0:0'");
        city = city.startAgain();
        district = district.startAgain();
        caughtUp(Duration.ofSeconds(240));
        quiet();
        assertEquals(before, tally(), "no history row, photo, case or order twice");
    }

    // ── helpers ──

    /** A 12345 case in Haizhu filed at the city's desk: the city's case, as the intake answers it. */
    private static JsonObject fileAtTheCity(String title) {
        return ok(post(city, cityCommand, "/api/v1/cases", CasesIT.intakeBody(inside).put("title", title)), 201);
    }

    /** The district's case of the city's order {@code number}, once it has arrived. */
    private static String arrived(String number) throws Exception {
        eventually(SECONDS, "order " + number + " at the district", () -> districtCase(number) != null);
        return districtCase(number);
    }

    /** The district's case of the city's order {@code number}, or null while it has not arrived. */
    private static String districtCase(String number) throws Exception {
        return first(district.db, "SELECT gid::text FROM civic_case WHERE origin_node = ? AND origin_order_number = ?", CITY, number);
    }

    /** What both levels hold of the orders: cases, history rows, photos (rows and files), the district's inbox. */
    private static String tally() throws Exception {
        return String.join(" ",
                first(city.db, "SELECT count(*) || '/' || sum(event_count) || '/' || sum(version) FROM civic_case"),
                first(city.db, "SELECT count(*) || '/' || count(DISTINCT gid) FROM case_event"),
                first(city.db, "SELECT count(*) FROM attachment"),
                first(district.db, "SELECT count(*) || '/' || sum(event_count) FROM civic_case WHERE origin_node IS NOT NULL"),
                first(district.db, "SELECT count(*) FROM case_event e JOIN civic_case k ON k.gid = e.case_gid WHERE k.origin_node IS NOT NULL"),
                first(district.db, "SELECT count(*) || '/' || count(*) FILTER (WHERE outcome = 'applied') FROM sync_order_inbox"),
                Long.toString(photoFiles()));
    }

    private static long photoFiles() throws Exception {
        Path store = city.config.dataDir().resolve("attachments");
        if (!Files.exists(store)) {
            return 0;
        }
        try (var files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** Waits until nothing is left for the district to hand on, and both links are up. */
    @Test
    @Order(6)
    void aSnapshotForAPeerWithOrdersAlreadyLeavesTheFeedToCarryThemAll() throws Exception {
        // work orders travel by the feed only: a snapshot's cursor must not pass the orders the caller is party to
        HttpResponse<String> r = SyncNodes.send(city.baseUrl(), "GET", "/api/v1/sync/snapshot", district.config.upstream().key(), null);
        assertEquals(200, r.statusCode(), r.body());
        long cursor = Long.parseLong(r.headers().firstValue("Sync-Cursor").orElseThrow().split(":")[0]);
        long firstOrder = Long.parseLong(first(city.db, """
                SELECT min(r.txid)::text FROM change_log_record r JOIN civic_case k ON k.gid = r.record_gid
                WHERE r.table_name = 'civic_case' AND k.handling_node = ?""", DISTRICT));
        assertTrue(cursor <= firstOrder, "the snapshot's cursor " + cursor + " skips the first order's change at " + firstOrder);
        // and it holds the district's areas only: not the city, not Guangzhou's other districts the city holds
        boolean areas = false;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("table ")) {
                areas = line.startsWith("table admin_area ");
            } else if (areas && !line.equals("\\.")) {
                assertTrue(line.startsWith(DISTRICT), "an area outside the district in its snapshot: " + line.substring(0, 40));
            }
        }
    }

    private static void quiet() throws Exception {
        eventually(SECONDS, "a quiet moment", () -> count(district.db, "SELECT count(*) FROM sync_order_inbox WHERE done_at IS NULL") == 0
                && count(city.db, "SELECT count(*) FROM sync_checkpoint WHERE link_up") == 1
                && count(district.db, "SELECT count(*) FROM sync_checkpoint WHERE link_up") == 1);
        Thread.sleep(1500);
    }

    private static JsonObject batch(NodeServer at, String key, String after) {
        HttpResponse<String> r = SyncNodes.send(at.baseUrl(), "GET", "/api/v1/sync/changes?after=" + after + "&limit=1000", key, null);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    /**
     * The batch after {@code after} once it carries a change of {@code table}. A batch ends at the feed's
     * fence, before changes a transaction still open may precede (a puller's, on a busy machine), so the
     * one asked for may carry them only a moment later.
     */
    private static JsonObject batchCarrying(NodeServer at, String key, String after, String table) throws Exception {
        JsonObject[] last = new JsonObject[1];
        try {
            eventually(SECONDS, "a batch with " + table, () -> {
                last[0] = batch(at, key, after);
                return last[0].getJsonArray("changes").stream().anyMatch(c -> table.equals(((JsonObject) c).getString("table")));
            });
        } catch (AssertionError e) {
            throw new AssertionError("no " + table + " change in the batch after " + after + ": " + last[0].getJsonArray("changes")
                    .stream().map(c -> ((JsonObject) c).getString("table")).distinct().toList() + ", next " + last[0].getString("next"), e);
        }
        return last[0];
    }

    /** Whether {@code cursor} (null: no pull yet) is at or after {@code tail} (txid, then id). */
    private static boolean past(String cursor, String tail) {
        if (cursor == null) {
            return false;
        }
        String[] c = cursor.split(":");
        String[] t = tail.split(":");
        long ct = Long.parseLong(c[0]);
        long tt = Long.parseLong(t[0]);
        return ct > tt || ct == tt && Long.parseLong(c[1]) >= Long.parseLong(t[1]);
    }

    private static Set<String> gids(Database db, String sql, Object... args) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = db.connection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static List<String> actions(JsonObject view) {
        return view.getJsonArray("availableActions").stream().map(a -> ((JsonObject) a).getString("action"))
                .collect(Collectors.toList());
    }

    private static JsonObject act(NodeServer at, String token, String id, String action) {
        return act(at, token, id, new JsonObject().put("action", action));
    }

    private static JsonObject act(NodeServer at, String token, String id, JsonObject body) {
        return ok(post(at, token, "/api/v1/cases/" + id + "/actions", body), 200);
    }

    private static HttpResponse<String> post(NodeServer at, String token, String path, JsonObject body) {
        return SyncNodes.send(at.baseUrl(), "POST", path, token, body);
    }

    private static JsonObject get(NodeServer at, String token, String path) {
        return ok(SyncNodes.send(at.baseUrl(), "GET", path, token, null), 200);
    }

    private static JsonObject ok(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.uri() + ": " + r.body());
        return new JsonObject(r.body());
    }

    private static byte[] bytes(NodeServer at, String token, String path) throws Exception {
        HttpResponse<byte[]> r = raw(at, token, path);
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    private static int bytesStatus(NodeServer at, String token, String path) throws Exception {
        return raw(at, token, path).statusCode();
    }

    private static HttpResponse<byte[]> raw(NodeServer at, String token, String path) throws Exception {
        return SyncNodes.HTTP.send(HttpRequest.newBuilder(URI.create(at.baseUrl() + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void eventually(Duration within, String what, Callable<Boolean> done) throws Exception {
        SyncNodes.eventually(within, what, done, () -> "city: " + SyncNodes.links(city.db) + " district: " + SyncNodes.links(district.db));
    }
}
