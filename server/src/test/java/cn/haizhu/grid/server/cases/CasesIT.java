package cn.haizhu.grid.server.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.cases.CaseKpis;
import cn.haizhu.grid.data.cases.CaseSummary;
import cn.haizhu.grid.data.cases.CategoryCatalogue;
import cn.haizhu.grid.data.cases.Rate;
import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cases through HTTP on the demo grids: routing, the whole closed loop, refusals with their
 * reasons, idempotent retries, concurrent actions, the change log, immutable history, KPIs and
 * row-level security.
 */
public class CasesIT {
    /** 乱涂乱画 (graffiti): the street office's (属地街道), 4 / 24 working hours. */
    public static final String CATEGORY = "SJ0107";
    /** The demo worker's grid (the first grid of 赤岗街道) and a point deep inside it. */
    static String workerGrid;
    static String workerStreet;
    static long workerId;
    public static double[] inside;
    public static String dispatcher;
    static String worker;
    public static String command;

    @BeforeAll
    public static void setUp() throws Exception {
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT g.code, g.street_code, w.id,
                            ST_X((ST_MaximumInscribedCircle(g.geom)).center), ST_Y((ST_MaximumInscribedCircle(g.geom)).center)
                     FROM grid_worker w JOIN app_user u ON u.id = w.user_id AND u.username = 'worker'
                     JOIN grid_worker_grid wg ON wg.worker_id = w.id JOIN grid g ON g.code = wg.grid_code""")) {
            assertTrue(rs.next(), "the demo worker patrols a grid");
            workerGrid = rs.getString(1);
            workerStreet = rs.getString(2);
            workerId = rs.getLong(3);
            inside = new double[] {rs.getDouble(4), rs.getDouble(5)};
        }
        dispatcher = Http.token("dispatcher");
        worker = Http.token("worker");
        command = Http.token("command");
    }

    // ── helpers ──

    public static JsonObject intakeBody(double[] p) {
        return new JsonObject().put("source", "hotline_12345").put("category", CATEGORY).put("urgency", "normal")
                .put("title", "墙面乱涂乱画").put("description", "市民来电：小区围墙被乱涂乱画")
                .put("address", "海珠区测试路1号").put("location", new JsonObject().put("lon", p[0]).put("lat", p[1]));
    }

    static HttpResponse<String> intake(String token, JsonObject body) {
        return Http.post("/api/v1/cases", "application/json", body.encode(), token);
    }

    public static JsonObject newCase(double[] p) {
        HttpResponse<String> r = intake(dispatcher, intakeBody(p));
        assertEquals(201, r.statusCode(), r.body());
        return Http.json(r);
    }

    static HttpResponse<String> act(String token, String id, JsonObject body) {
        return Http.post("/api/v1/cases/" + id + "/actions", "application/json", body.encode(), token);
    }

    static HttpResponse<String> act(String token, String id, String action) {
        return act(token, id, new JsonObject().put("action", action));
    }

    /** Applies an action that must succeed and returns the case after it. */
    public static JsonObject ok(String token, String id, String action) {
        return ok(token, id, new JsonObject().put("action", action));
    }

    public static JsonObject ok(String token, String id, JsonObject body) {
        HttpResponse<String> r = act(token, id, body);
        assertEquals(200, r.statusCode(), body.getString("action") + ": " + r.body());
        return Http.json(r);
    }

    static JsonObject error(HttpResponse<String> r) {
        return Http.json(r).getJsonObject("error");
    }

    static List<String> actions(JsonObject view) {
        List<String> out = new ArrayList<>();
        view.getJsonArray("availableActions").forEach(a -> out.add(((JsonObject) a).getString("action")));
        return out;
    }

    static long count(String sql, Object... args) throws SQLException {
        return TestServer.get().count(sql, args);
    }

    /** A dispatched case in the demo worker's grid. */
    static String dispatched() {
        String id = newCase(inside).getString("id");
        ok(dispatcher, id, "file");
        ok(dispatcher, id, "dispatch");
        return id;
    }

    /** A case in the demo worker's grid, sent back for rework (返工) once, then closed (结案). */
    static String reworkedThenClosed() {
        String a = dispatched();
        ok(worker, a, "sign");
        ok(worker, a, "start_handling");
        ok(worker, a, "feedback");
        ok(dispatcher, a, "start_check");
        ok(dispatcher, a, "rework");
        ok(worker, a, "feedback");
        ok(dispatcher, a, "start_check");
        ok(dispatcher, a, "close");
        return a;
    }

    // ── routing ──

    @Test
    void caseNumbersStayUniquePastTheHundredThousandthCase() throws SQLException {
        // the serial of 受理编号 never restarts; V4 cut it to five digits, so serials 123450…123459 were
        // one number and the intake after the first of them failed on the unique key
        TestServer.get().firstRow("SELECT setval('civic_case_number_seq', greatest(nextval('civic_case_number_seq'), 123449))");
        Set<String> numbers = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            String n = newCase(inside).getString("number");
            assertTrue(n.matches("440105-\\d{8}-\\d{6,}"), n);
            numbers.add(n);
        }
        assertEquals(3, numbers.size(), "three cases, three numbers: " + numbers);
    }

    @Test
    void intakeRoutesToTheGridItsStreetAndItsWorker() {
        JsonObject c = newCase(inside);
        assertEquals(workerGrid, c.getString("gridCode"));
        assertEquals(workerStreet, c.getString("streetCode"));
        assertEquals(workerGrid.substring(0, 12), c.getString("communityCode"));
        assertEquals(workerId, c.getJsonObject("assignee").getLong("id"));
        assertEquals("JD", c.getJsonObject("department").getString("code"), "乱涂乱画 is the street's (属地街道)");
        assertEquals("reported", c.getString("state"));
        assertTrue(c.getString("number").matches("440105-\\d{8}-\\d{6,}"), c.getString("number"));
        assertFalse(c.getJsonObject("flags").getBoolean("nearBoundary"));
        assertFalse(c.getJsonObject("flags").getBoolean("outsideDistrict"));
        assertEquals(1, c.getJsonArray("history").size());
        assertEquals("report", c.getJsonArray("history").getJsonObject(0).getString("action"));
        assertEquals(List.of("verify", "file", "reject"), actions(c), "the desk's buttons on a new case");
    }

    @Test
    void aPointOutsideTheDistrictIsFlaggedNotRefused() {
        JsonObject c = newCase(new double[] {113.0, 22.5});
        assertTrue(c.getJsonObject("flags").getBoolean("outsideDistrict"));
        assertNull(c.getString("gridCode"));
        assertNull(c.getValue("assignee"));
        ok(dispatcher, c.getString("id"), "file");
        HttpResponse<String> noWorker = act(dispatcher, c.getString("id"), "dispatch");
        assertEquals(422, noWorker.statusCode(), "nobody was routed: the desk must name the worker");
        JsonObject named = ok(dispatcher, c.getString("id"), new JsonObject().put("action", "dispatch").put("assignee", workerId));
        assertEquals(workerId, named.getJsonObject("assignee").getLong("id"));
    }

    @Test
    void aPointOnAGridBoundaryIsFlagged() throws Exception {
        double[] edge;
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_LineInterpolatePoint("
                     + "ST_ExteriorRing(ST_GeometryN(geom, 1)), 0.37) p FROM grid WHERE code = '" + workerGrid + "') x")) {
            rs.next();
            edge = new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
        JsonObject c = newCase(edge);
        assertTrue(c.getJsonObject("flags").getBoolean("nearBoundary"), c.encode());
        assertTrue(c.getJsonObject("flags").getDouble("boundaryDistanceM") < 5);
    }

    @Test
    void theGridsLeastLoadedWorkerGetsTheCase() throws Exception {
        String grid;
        double[] p = new double[2];
        long second;
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("""
                    SELECT code, ST_X((ST_MaximumInscribedCircle(geom)).center), ST_Y((ST_MaximumInscribedCircle(geom)).center)
                    FROM grid WHERE street_code = '440105002' ORDER BY code LIMIT 1""")) {
                rs.next();
                grid = rs.getString(1);
                p[0] = rs.getDouble(2);
                p[1] = rs.getDouble(3);
            }
            try (ResultSet rs = s.executeQuery("INSERT INTO grid_worker (name, street_code) VALUES ('协管员甲', '440105002') RETURNING id")) {
                rs.next();
                second = rs.getLong(1);
            }
            s.execute("INSERT INTO grid_worker_grid (worker_id, grid_code, duty) VALUES (" + second + ", '" + grid + "', 'assist')");
        }
        Set<Long> assigned = new java.util.HashSet<>();
        for (int i = 0; i < 4; i++) {
            JsonObject c = newCase(p);
            assertEquals(grid, c.getString("gridCode"));
            assigned.add(c.getJsonObject("assignee").getLong("id"));
        }
        assertEquals(2, assigned.size(), "open cases spread over both of the grid's workers: " + assigned);
        assertTrue(assigned.contains(second));
    }

    @Test
    void possibleDuplicatesAreSuggested() {
        // about 10 m east of the other tests' cases, and of a category of its own: the list holds the
        // nearest 20, and the other tests leave more than 20 cases of their category 10 m away
        double[] p = {inside[0] + 0.0001, inside[1]};
        HttpResponse<String> r1 = intake(dispatcher, intakeBody(p).put("category", "SJ0201"));
        HttpResponse<String> r2 = intake(dispatcher, intakeBody(new double[] {p[0] + 0.0001, p[1]}).put("category", "SJ0201"));
        assertEquals(201, r1.statusCode(), r1.body());
        assertEquals(201, r2.statusCode(), r2.body());
        JsonObject first = Http.json(r1);
        JsonObject second = Http.json(r2);
        JsonArray dups = second.getJsonArray("duplicates");
        assertTrue(dups.stream().anyMatch(d -> ((JsonObject) d).getString("id").equals(first.getString("id"))), dups.encode());
        JsonObject listed = Http.json(Http.get("/api/v1/cases/" + first.getString("id") + "/duplicates", dispatcher));
        assertTrue(listed.getJsonArray("items").stream().allMatch(d -> ((JsonObject) d).getDouble("distanceM") <= 50));
        assertTrue(listed.getJsonArray("items").stream().anyMatch(d -> ((JsonObject) d).getString("id").equals(second.getString("id"))));
    }

    // ── the closed loop ──

    @Test
    void aWorkerSeesACaseAssignedToThemInAnotherStreet() throws Exception {
        // a grid the demo worker does not patrol, in another street: the dispatcher sends its case to them
        String[] far = TestServer.get().firstRow("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM grid "
                + "WHERE street_code <> '" + workerStreet + "' ORDER BY code LIMIT 1) x");
        double[] there = {Double.parseDouble(far[0]), Double.parseDouble(far[1])};
        String id = newCase(there).getString("id");
        assertEquals(404, Http.get("/api/v1/cases/" + id, worker).statusCode(), "not theirs yet: outside their grids");
        ok(dispatcher, id, "file");
        ok(dispatcher, id, new JsonObject().put("action", "dispatch").put("assignee", workerId));

        JsonObject seen = Http.json(Http.get("/api/v1/cases/" + id, worker));
        assertEquals(List.of("sign", "return"), actions(seen), "assigned to them, so theirs to act on");
        JsonObject mine = Http.json(Http.get("/api/v1/cases?assignee=me", worker));
        assertTrue(mine.getJsonArray("items").stream().anyMatch(x -> ((JsonObject) x).getString("id").equals(id)),
                "in their task list");
        ok(worker, id, "sign");
        JsonObject returned = ok(worker, id, new JsonObject().put("action", "return").put("reason", "outside_area"));
        assertEquals("returned", returned.getString("state"));
        assertEquals(200, Http.get("/api/v1/cases/" + id, worker).statusCode(), "still assigned to them after 退单");
    }

    @Test
    void aJointDecisionNeedsTheOpinionsOfTwoDepartmentsFromTwoPeople() throws Exception {
        List<String> departments = CategoryCatalogue.defaults().departments().stream().map(d -> d.code()).toList();
        String id = newCase(inside).getString("id");
        ok(dispatcher, id, "file");
        ok(dispatcher, id, "request_joint_review");
        HttpResponse<String> early = act(command, id, "review_dispatch");
        assertEquals(409, early.statusCode(), "no opinion yet: " + early.body());
        assertEquals(422, act(dispatcher, id, new JsonObject().put("action", "review_opinion").put("comment", "意见"))
                .statusCode(), "an opinion names its department");
        assertEquals(422, act(dispatcher, id, new JsonObject().put("action", "review_opinion").put("department", "NOPE"))
                .statusCode(), "a department of the catalogue");
        assertEquals(400, act(dispatcher, id, new JsonObject().put("action", "suspend").put("department", departments.get(0)))
                .statusCode(), "only an opinion takes a department");
        JsonObject first = ok(dispatcher, id, new JsonObject().put("action", "review_opinion")
                .put("department", departments.get(0)).put("comment", "属地街道：不属本部门职责"));
        assertEquals(departments.get(0), first.getJsonObject("event").getJsonObject("details").getString("department"));
        ok(dispatcher, id, new JsonObject().put("action", "review_opinion").put("department", departments.get(0))
                .put("comment", "补充意见"));
        assertEquals(409, act(command, id, "review_dispatch").statusCode(), "one department twice is still one department");

        // one person cannot speak for a second department, and so cannot make the decision alone
        HttpResponse<String> second = act(dispatcher, id, new JsonObject().put("action", "review_opinion")
                .put("department", departments.get(1)).put("comment", "可由本部门牵头处置"));
        assertEquals(403, second.statusCode(), second.body());
        assertTrue(error(second).getString("message").contains("one person speaks for one department"), second.body());
        assertEquals(409, act(command, id, "review_dispatch").statusCode(), "still one department heard");

        // a member of a department speaks for it only
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement()) {
            s.execute("UPDATE app_user SET department_code = '" + departments.get(2) + "' WHERE username = 'worker'");
        }
        try {
            HttpResponse<String> foreign = act(worker, id, new JsonObject().put("action", "review_opinion")
                    .put("department", departments.get(1)));
            assertEquals(403, foreign.statusCode(), foreign.body());
            ok(worker, id, new JsonObject().put("action", "review_opinion").put("department", departments.get(2))
                    .put("comment", "本部门意见"));
        } finally {
            try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement()) {
                s.execute("UPDATE app_user SET department_code = NULL WHERE username = 'worker'");
            }
        }
        JsonObject decided = ok(command, id, "review_dispatch");
        assertEquals("dispatched", decided.getString("state"), "two departments from two people");
    }

    @Test
    void happyPathFromHotlineToEvaluation() throws Exception {
        String id = newCase(inside).getString("id");
        ok(dispatcher, id, "file");
        JsonObject d = ok(dispatcher, id, "dispatch");
        assertNotNull(d.getString("deadline"), "派遣 starts the clock");
        assertTrue(d.getJsonObject("clock").getBoolean("running"));

        JsonObject seen = Http.json(Http.get("/api/v1/cases/" + id, worker));
        assertEquals(List.of("sign", "return"), actions(seen), "the worker's buttons on a dispatched case");
        JsonObject mine = Http.json(Http.get("/api/v1/cases?assignee=me&state=dispatched", worker));
        assertTrue(mine.getJsonArray("items").stream().anyMatch(x -> ((JsonObject) x).getString("id").equals(id)));

        ok(worker, id, "sign");
        ok(worker, id, "start_handling");
        JsonObject fed = ok(worker, id, new JsonObject().put("action", "feedback").put("comment", "已清理")
                .put("location", new JsonObject().put("lon", inside[0]).put("lat", inside[1]))
                .put("attachments", new JsonArray().add(UUID.randomUUID().toString())));
        assertFalse(fed.getJsonObject("flags").getBoolean("farCompletion"));
        assertNull(fed.getString("deadline"), "the clock stands while the case waits for 核查");
        ok(dispatcher, id, "start_check");
        JsonObject closed = ok(command, id, "close");
        assertEquals("closed", closed.getString("state"));
        assertTrue(closed.getJsonObject("clock").getBoolean("stopped"));
        JsonObject done = ok(dispatcher, id, new JsonObject().put("action", "evaluate").put("comment", "市民满意"));
        assertEquals("evaluated", done.getString("state"));
        assertEquals(List.of(), actions(done));

        JsonArray history = done.getJsonArray("history");
        List<String> steps = new ArrayList<>();
        history.forEach(e -> steps.add(((JsonObject) e).getString("action")));
        assertEquals(List.of("report", "file", "dispatch", "sign", "start_handling", "feedback", "start_check", "close",
                "evaluate"), steps);
        JsonObject feedback = history.getJsonObject(5);
        assertEquals("worker", feedback.getJsonObject("actor").getString("username"));
        assertNotNull(feedback.getJsonObject("location"), "the GPS stamp is kept");
        assertEquals(1, feedback.getJsonArray("attachments").size());
        assertEquals(9, count("SELECT count(*) FROM case_event WHERE case_gid = ?::uuid", id));
    }

    @Test
    void aWorkersPatrolReportHandledOnTheSpotIsStillChecked() {
        JsonObject body = intakeBody(inside).put("source", "patrol").put("title", "电箱小广告");
        HttpResponse<String> r = intake(worker, body);
        assertEquals(201, r.statusCode(), r.body());
        JsonObject c = Http.json(r);
        assertTrue(actions(c).contains("self_handle"), "the reporter may handle it on the spot: " + actions(c));
        String id = c.getString("id");
        JsonObject handled = ok(worker, id, new JsonObject().put("action", "self_handle").put("comment", "已铲除")
                .put("location", new JsonObject().put("lon", inside[0]).put("lat", inside[1])));
        assertEquals("self_handled", handled.getString("state"));
        assertNull(handled.getValue("clock"), "no deadline for a case fixed on the spot");
        ok(dispatcher, id, "start_check");
        assertEquals(403, act(worker, id, "close").statusCode(), "the worker handled it: someone else checks");
        assertEquals("closed", ok(dispatcher, id, "close").getString("state"));
        HttpResponse<String> elsewhere = intake(worker, intakeBody(new double[] {113.0, 22.5}).put("source", "patrol"));
        assertEquals(403, elsewhere.statusCode(), "a worker reports within their own grids");
    }

    @Test
    void refusalsAnswerWithTheirStatusAndBothLanguages() {
        String id = newCase(inside).getString("id");
        HttpResponse<String> illegal = act(worker, id, "sign");
        assertEquals(409, illegal.statusCode(), illegal.body());
        JsonObject e = error(illegal);
        assertEquals("illegal_transition", e.getString("code"));
        assertEquals("案件已上报，不能签收", e.getJsonObject("details").getString("zh"));
        assertTrue(e.getJsonObject("details").getString("en").startsWith("cannot sign for"));

        ok(dispatcher, id, "file");
        ok(dispatcher, id, "dispatch");
        HttpResponse<String> wrongActor = act(dispatcher, id, "sign");
        assertEquals(403, wrongActor.statusCode());
        assertEquals("actor_not_allowed", error(wrongActor).getString("code"));
        assertEquals("调度员无权签收", error(wrongActor).getJsonObject("details").getString("zh"));
        assertNotNull(error(wrongActor).getJsonObject("details").getString("en"));

        HttpResponse<String> noReason = act(worker, id, "return");
        assertEquals(422, noReason.statusCode());
        assertEquals("退单须选择退单原因", error(noReason).getJsonObject("details").getString("zh"));
        JsonObject returned = ok(worker, id, new JsonObject().put("action", "return").put("reason", "not_our_duty"));
        assertEquals("returned", returned.getString("state"));
        assertEquals("not_our_duty", returned.getJsonObject("event").getJsonObject("reason").getString("code"));
    }

    @Test
    void theDoerMayNotCheckTheirOwnWorkAndFarCompletionIsFlagged() {
        String id = dispatched();
        ok(worker, id, "sign");
        ok(worker, id, "start_handling");
        // 0.005° of latitude ≈ 550 m from the case.
        JsonObject fed = ok(worker, id, new JsonObject().put("action", "feedback")
                .put("location", new JsonObject().put("lon", inside[0]).put("lat", inside[1] + 0.005)));
        assertTrue(fed.getJsonObject("flags").getBoolean("farCompletion"));
        ok(dispatcher, id, "start_check");
        JsonObject asWorker = Http.json(Http.get("/api/v1/cases/" + id, worker));
        assertEquals(List.of(), actions(asWorker), "no close or rework button for the doer");
        HttpResponse<String> own = act(worker, id, "close");
        assertEquals(403, own.statusCode());
        assertEquals("处置人不能核查自己处置的案件", error(own).getJsonObject("details").getString("zh"));
        assertEquals("whoever handled a case may not check it", error(own).getJsonObject("details").getString("en"));
        ok(dispatcher, id, "close");
    }

    // ── retries and races ──

    @Test
    void aRetriedIntakeIsTheSameCase() throws Exception {
        UUID id = UUID.randomUUID();
        JsonObject body = intakeBody(inside).put("id", id.toString());
        HttpResponse<String> first = intake(dispatcher, body);
        HttpResponse<String> again = intake(dispatcher, body);
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(Http.json(first).getString("number"), Http.json(again).getString("number"));
        assertEquals(1, count("SELECT count(*) FROM civic_case WHERE gid = ?::uuid", id.toString()));
        assertEquals(1, count("SELECT count(*) FROM case_event WHERE case_gid = ?::uuid", id.toString()));
        HttpResponse<String> clash = intake(dispatcher, body.copy().put("title", "另一件事"));
        assertEquals(409, clash.statusCode());
        assertEquals("id_conflict", error(clash).getString("code"));
    }

    @Test
    void intakesArrivingTogetherAreWrittenTogetherEachWithItsOwnAnswer() throws Exception {
        // A street user files 30 cases in its street at once, 4 outside it (each must get its 403
        // even when it shares a batch with the others) and a case sent twice (a retry: 201 and 200).
        String street = Http.token("command-440105001");
        double[] elsewhere = centreOfAGridIn("440105003");
        long batchedBefore = TestServer.get().center.intake().batching().batchedIntakes();
        JsonObject retried = intakeBody(inside).put("id", UUID.randomUUID().toString()).put("title", "重发 " + UUID.randomUUID());
        List<JsonObject> bodies = new ArrayList<>();
        for (int i = 0; i < 34; i++) {
            bodies.add(intakeBody(i % 9 == 4 ? elsewhere : inside).put("title", "同时受理 " + UUID.randomUUID()));
        }
        bodies.add(retried);
        bodies.add(retried);
        ExecutorService threads = Executors.newFixedThreadPool(bodies.size());
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> sent = bodies.stream()
                .map(b -> CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return intake(street, b);
                }, threads)).toList();
        go.countDown();
        int created = 0;
        Set<String> numbers = new HashSet<>();
        try {
            for (int i = 0; i < 34; i++) {
                HttpResponse<String> r = sent.get(i).get();
                String title = bodies.get(i).getString("title");
                if (i % 9 == 4) {
                    assertEquals(403, r.statusCode(), r.body());
                    assertEquals("outside_scope", error(r).getString("code"));
                    assertEquals(0, count("SELECT count(*) FROM civic_case WHERE title = ?", title));
                    continue;
                }
                assertEquals(201, r.statusCode(), r.body());
                JsonObject view = Http.json(r);
                assertEquals(title, view.getString("title"), "each answer is its own case");
                assertEquals("440105001", view.getString("streetCode"));
                assertEquals(1, view.getJsonArray("history").size());
                assertNotNull(view.getJsonArray("duplicates"));
                assertTrue(numbers.add(view.getString("number")), "case numbers stay unique");
                assertEquals(1, count("""
                        SELECT count(*) FROM case_event e JOIN civic_case c ON c.gid = e.case_gid
                        WHERE c.title = ? AND e.seq = 1 AND e.action = 'report'""", title), "its first history row");
                assertEquals(1, count("""
                        SELECT count(*) FROM change_log_record l JOIN civic_case c ON c.gid = l.record_gid
                        WHERE l.table_name = 'civic_case' AND c.title = ?""", title), "its change-log entry");
                created++;
            }
            List<Integer> retries = List.of(sent.get(34).get().statusCode(), sent.get(35).get().statusCode());
            assertTrue(retries.containsAll(List.of(201, 200)), "the first send makes the case, the retry finds it: " + retries);
        } finally {
            threads.shutdown();
        }
        assertEquals(30, created);
        assertEquals(1, count("SELECT count(*) FROM civic_case WHERE gid = ?::uuid", retried.getString("id")));
        assertTrue(TestServer.get().center.intake().batching().batchedIntakes() > batchedBefore,
                "36 intakes at once went through at least one multi-row write: " + TestServer.get().center.intake().batching());
    }

    private static double[] centreOfAGridIn(String streetCode) throws SQLException {
        try (Connection c = TestServer.get().db.connection();
             PreparedStatement s = c.prepareStatement("""
                     SELECT ST_X((ST_MaximumInscribedCircle(geom)).center), ST_Y((ST_MaximumInscribedCircle(geom)).center)
                     FROM grid WHERE street_code = ? ORDER BY code LIMIT 1""")) {
            s.setString(1, streetCode);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new double[] {rs.getDouble(1), rs.getDouble(2)};
            }
        }
    }

    @Test
    void aRetriedActionIsAppliedOnce() throws Exception {
        String id = dispatched();
        JsonObject sign = new JsonObject().put("action", "sign").put("clientActionId", UUID.randomUUID().toString());
        JsonObject first = ok(worker, id, sign);
        JsonObject retry = ok(worker, id, sign);
        assertFalse(first.getBoolean("replayed"));
        assertTrue(retry.getBoolean("replayed"), "the retry gets the original result, not a 409");
        assertEquals(first.getJsonObject("event"), retry.getJsonObject("event"));
        assertEquals(1, count("SELECT count(*) FROM case_event WHERE client_action_id = ?::uuid", sign.getString("clientActionId")));
        assertEquals(1, count("SELECT count(*) FROM case_event WHERE case_gid = ?::uuid AND action = 'sign'", id));
        HttpResponse<String> reused = act(worker, id, sign.copy().put("action", "start_handling"));
        assertEquals(409, reused.statusCode(), "one client id, one action");
    }

    @Test
    void ofTwoConflictingActionsExactlyOneApplies() throws Exception {
        // The desk arbitrates a 退单 twice at once: overrule it (back to the worker) and accept it (back to
        // be dispatched). Each is legal from RETURNED and neither after the other.
        for (int round = 0; round < 4; round++) {
            String id = dispatched();
            ok(worker, id, new JsonObject().put("action", "return").put("reason", "outside_area"));
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> a = CompletableFuture.supplyAsync(() -> {
                await(go);
                return act(dispatcher, id, "redispatch");
            });
            CompletableFuture<HttpResponse<String>> b = CompletableFuture.supplyAsync(() -> {
                await(go);
                return act(command, id, "accept_return");
            });
            go.countDown();
            int oks = (a.get().statusCode() == 200 ? 1 : 0) + (b.get().statusCode() == 200 ? 1 : 0);
            assertEquals(1, oks, a.get().body() + "\n" + b.get().body());
            assertEquals(409, (a.get().statusCode() == 200 ? b : a).get().statusCode());
            assertEquals(5, count("SELECT count(*) FROM case_event WHERE case_gid = ?::uuid", id),
                    "report, file, dispatch, return + exactly one");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ── storage ──

    @Test
    void everyCaseWriteIsInTheChangeLog() throws Exception {
        String id = dispatched();
        assertEquals(3, count("SELECT count(*) FROM change_log WHERE table_name = 'civic_case' AND record_gid = ?::uuid", id),
                "insert, file, dispatch");
        assertEquals(3, count("SELECT max(version) FROM civic_case WHERE gid = ?::uuid", id));
        assertEquals(3, count("""
                SELECT count(*) FROM change_log l JOIN case_event e ON e.gid = l.record_gid
                WHERE l.table_name = 'case_event' AND e.case_gid = ?::uuid""", id));
    }

    @Test
    void historyCannotBeRewritten() throws Exception {
        String id = newCase(inside).getString("id");
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> s.executeUpdate("UPDATE case_event SET comment = 'changed' WHERE case_gid = '" + id + "'"));
            assertTrue(update.getMessage().contains("immutable"), update.getMessage());
            assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM case_event WHERE case_gid = '" + id + "'"));
        }
        assertEquals(1, count("SELECT count(*) FROM case_event WHERE case_gid = ?::uuid", id));
    }

    // ── KPIs ──

    @Test
    void kpisCountAsTheirDefinitionsSay() throws Exception {
        String from;
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")) {
            rs.next();
            from = rs.getString(1);
        }
        // A: reworked once, then closed on time.
        String a = reworkedThenClosed();
        // B: granted an extension, still open.
        String b = dispatched();
        ok(worker, b, "sign");
        ok(worker, b, new JsonObject().put("action", "request_extension").put("reason", "materials").put("hours", 8));
        ok(dispatcher, b, "grant_extension");
        // C: suspended (缓办): out of every KPI.
        String c = dispatched();
        ok(worker, c, "sign");
        ok(command, c, "suspend");
        // D: reported, never filed.
        newCase(inside);

        JsonObject kpis = Http.json(Http.get("/api/v1/cases/kpis?by=street&street=" + workerStreet + "&from=" + from, command));
        assertEquals(1, kpis.getJsonArray("groups").size(), kpis.encode());
        JsonObject g = kpis.getJsonArray("groups").getJsonObject(0);
        assertEquals(workerStreet, g.getString("key"));
        assertEquals(4, g.getLong("cases"));
        assertEquals(1, g.getLong("suspended"));

        // The same cases as the reference definitions see them (B's deadline is days away: not due).
        List<CaseSummary> summaries = List.of(
                CaseSummary.filedCase().andSignedAfter(Duration.ZERO).andReworked().andClosed(true),
                CaseSummary.filedCase().andSignedAfter(Duration.ZERO).andExtended(),
                CaseSummary.filedCase().andSignedAfter(Duration.ZERO).andSuspended());
        CaseKpis expected = CaseKpis.of(summaries);
        assertRate(expected.closure(), g.getJsonObject("closure"));
        assertRate(expected.onTimeClosure(), g.getJsonObject("onTimeClosure"));
        assertRate(expected.dueClosure(), g.getJsonObject("dueClosure"));
        assertRate(expected.dueOnTimeClosure(), g.getJsonObject("dueOnTimeClosure"));
        assertRate(expected.rework(), g.getJsonObject("rework"));
        assertRate(expected.extension(), g.getJsonObject("extension"));
        assertEquals(new Rate(1, 2), new Rate(g.getJsonObject("closure").getLong("numerator"),
                g.getJsonObject("closure").getLong("denominator")), "closed A of filed A and B");
        assertEquals(2, g.getLong("signed"));
        assertNotNull(g.getValue("meanTimeToSignSeconds"));

        JsonObject byWorker = Http.json(Http.get("/api/v1/cases/kpis?by=worker&street=" + workerStreet + "&from=" + from, command));
        assertEquals(String.valueOf(workerId), byWorker.getJsonArray("groups").getJsonObject(0).getString("key"));
        assertEquals(400, Http.get("/api/v1/cases/kpis?by=mood", command).statusCode());

        // 统计口径 by closure date: of these four, only A was closed in the period
        JsonObject byClosure = Http.json(Http.get("/api/v1/cases/kpis?by=street&basis=closed&street=" + workerStreet
                + "&from=" + from, command));
        assertEquals("closed", byClosure.getString("basis"));
        JsonObject closed = byClosure.getJsonArray("groups").getJsonObject(0);
        assertEquals(1, closed.getLong("cases"), byClosure.encode());
        assertEquals(1, closed.getJsonObject("onTimeClosure").getLong("numerator"), "A was closed on time");
        assertEquals(0, Http.json(Http.get("/api/v1/cases/kpis?by=street&basis=closed&street=" + workerStreet
                + "&from=2099-01-01T00:00:00Z", command)).getJsonArray("groups").size(), "nothing closes in 2099 yet");
        assertEquals("created", kpis.getString("basis"), "by intake unless asked");
        assertEquals(400, Http.get("/api/v1/cases/kpis?basis=whenever", command).statusCode());
    }

    /**
     * The report over whole months reads the counts kept per month (V19); over a partial month it reads
     * the cases one by one. Both must agree, before the appended counts are folded and after, for every
     * grouping and basis and for a street user. This month from its first instant (kept) against this
     * month from one millisecond later (case by case: the period holds no whole month).
     */
    @Test
    void kpisFromTheKeptCountsEqualThoseCountedCaseByCase() throws Exception {
        // cases that move between counts: closed after rework, suspended, returned, overdue
        String a = reworkedThenClosed();
        String b = dispatched();
        ok(worker, b, "sign");
        ok(command, b, "suspend");
        String c = dispatched();
        ok(worker, c, "sign");
        ok(worker, c, new JsonObject().put("action", "return").put("reason", "outside_area"));
        String d = dispatched();
        newCase(inside);
        // and two facts a test cannot wait for: A was closed late, D is past its deadline (due now)
        try (Connection conn = TestServer.get().db.connection(); Statement st = conn.createStatement()) {
            st.executeUpdate("UPDATE civic_case SET closed_on_time = false WHERE gid = '" + a + "'");
            st.executeUpdate("UPDATE civic_case SET deadline = now() - interval '1 hour' WHERE gid = '" + d + "'");
        }

        String monthStart;
        String justAfter;
        try (Connection conn = TestServer.get().db.connection(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT to_char(m AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                            to_char((m + interval '1 millisecond') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                     FROM (SELECT date_trunc('month', now(), 'Asia/Shanghai') AS m) x""")) {
            rs.next();
            monthStart = rs.getString(1);
            justAfter = rs.getString(2);
        }
        assertTrue(count("SELECT count(*) FROM case_kpi_delta") > 0, "the changes above are appended, not yet folded");
        assertKeptEqualsCaseByCase(monthStart, justAfter);
        // the server's own fold (every 10 s) may have got there first; either way nothing is left unfolded
        TestServer.get().center.kpiFold().runOnce().toCompletionStage().toCompletableFuture().get();
        assertEquals(0, count("SELECT count(*) FROM case_kpi_delta"), "folded");
        assertKeptEqualsCaseByCase(monthStart, justAfter);

        // the request role reads the counts but cannot write one: only the capture, as the owner, does
        try (Connection conn = TestServer.get().db.connection(); Statement st = conn.createStatement()) {
            conn.setAutoCommit(false);
            st.execute("SET LOCAL ROLE gridctl_app");
            assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO case_kpi_delta SELECT * FROM case_kpi LIMIT 1"));
            conn.rollback();
        }
    }

    private static void assertKeptEqualsCaseByCase(String monthStart, String justAfter) {
        String street = Http.token("command-440105001");
        for (String token : List.of(command, street)) {
            for (String by : List.of("street", "department", "worker", "category")) {
                for (String basis : List.of("created", "closed")) {
                    String q = "/api/v1/cases/kpis?by=" + by + "&basis=" + basis + "&from=";
                    JsonObject kept = Http.json(Http.get(q + monthStart, token));
                    JsonObject caseByCase = Http.json(Http.get(q + justAfter, token));
                    if (token.equals(command)) {
                        assertFalse(kept.getJsonArray("groups").isEmpty(), by + "/" + basis);
                    }
                    assertEquals(caseByCase.getJsonArray("groups"), kept.getJsonArray("groups"), by + "/" + basis);
                    assertEquals(caseByCase.getJsonObject("total"), kept.getJsonObject("total"), by + "/" + basis);
                }
            }
        }
    }

    private static void assertRate(Rate expected, JsonObject actual) {
        assertEquals(expected.numerator(), actual.getLong("numerator"), actual.encode());
        assertEquals(expected.denominator(), actual.getLong("denominator"), actual.encode());
    }

    // ── scope and input ──

    @Test
    void aStreetUserSeesOnlyItsStreetsCases() throws Exception {
        String otherGridPoint;
        double[] p = new double[2];
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT ST_X((ST_MaximumInscribedCircle(geom)).center), ST_Y((ST_MaximumInscribedCircle(geom)).center)
                     FROM grid WHERE street_code = '440105003' ORDER BY code LIMIT 1""")) {
            rs.next();
            p[0] = rs.getDouble(1);
            p[1] = rs.getDouble(2);
        }
        String elsewhere = newCase(p).getString("id");
        String here = newCase(inside).getString("id");
        String street = Http.token("command-440105001");
        JsonObject list = Http.json(Http.get("/api/v1/cases?limit=200", street));
        assertFalse(list.getJsonArray("items").isEmpty());
        assertTrue(list.getJsonArray("items").stream().allMatch(x -> "440105001".equals(((JsonObject) x).getString("streetCode"))),
                "only 赤岗街道's cases");
        assertEquals(404, Http.get("/api/v1/cases/" + elsewhere, street).statusCode());
        assertEquals(200, Http.get("/api/v1/cases/" + here, street).statusCode());
        assertEquals(404, act(street, elsewhere, "file").statusCode(), "nor act on them");
        HttpResponse<String> outside = intake(street, intakeBody(p));
        assertEquals(403, outside.statusCode(), outside.body());
        assertEquals("outside_scope", error(outside).getString("code"));
        JsonObject kpis = Http.json(Http.get("/api/v1/cases/kpis?by=street", street));
        assertTrue(kpis.getJsonArray("groups").stream().allMatch(x -> "440105001".equals(((JsonObject) x).getString("key"))));
    }

    @Test
    void malformedInputIsA400WithDetailsNeverA500() {
        HttpResponse<String> notJson = Http.post("/api/v1/cases", "application/json", "{not json", dispatcher);
        assertEquals(400, notJson.statusCode());
        HttpResponse<String> array = Http.post("/api/v1/cases", "application/json", "[1,2]", dispatcher);
        assertEquals(400, array.statusCode());
        HttpResponse<String> wrong = intake(dispatcher, new JsonObject().put("source", "fax").put("category", "XX01")
                .put("title", 42).put("location", new JsonObject().put("lon", 23.1).put("lat", 113.3)).put("id", "nope"));
        assertEquals(400, wrong.statusCode());
        JsonObject fields = error(wrong).getJsonObject("details").getJsonObject("fields");
        assertEquals(Set.of("id", "source", "category", "title", "location"), fields.fieldNames(), fields.encode());
        assertEquals(400, Http.post("/api/v1/cases/not-a-uuid/actions", "application/json", "{\"action\":\"file\"}", dispatcher).statusCode());
        String id = newCase(inside).getString("id");
        assertEquals(400, act(dispatcher, id, "fly").statusCode());
        assertEquals(400, act(dispatcher, id, new JsonObject().put("action", "return").put("reason", "bored")).statusCode());
        assertEquals(400, act(dispatcher, id, new JsonObject().put("action", "file").put("assignee", 1)).statusCode());
        assertEquals(404, Http.get("/api/v1/cases/" + UUID.randomUUID(), dispatcher).statusCode());
        assertEquals(400, Http.get("/api/v1/cases?state=lost", dispatcher).statusCode());
        assertEquals(403, intake(Http.token("officer"), intakeBody(inside)).statusCode(), "data officers take no part");
    }

    @Test
    void theQueueSortsByDeadlineAndFindsOverdueCases() throws Exception {
        String late = dispatched();
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE civic_case SET deadline = now() - interval '1 hour' WHERE gid = '" + late + "'");
        }
        JsonObject overdue = Http.json(Http.get("/api/v1/cases?overdue=true&limit=200", dispatcher));
        assertTrue(overdue.getJsonArray("items").stream().anyMatch(x -> ((JsonObject) x).getString("id").equals(late)));
        JsonObject queue = Http.json(Http.get("/api/v1/cases?open=true&grid=" + workerGrid + "&limit=200", dispatcher));
        String previous = "";
        for (Object o : queue.getJsonArray("items")) {
            String d = ((JsonObject) o).getString("deadline");
            if (d == null) {
                previous = "~";   // undated cases come last
                continue;
            }
            assertTrue(!previous.equals("~") && d.compareTo(previous) >= 0, "sorted by deadline");
            previous = d;
        }
        assertTrue(queue.getLong("total") >= queue.getJsonArray("items").size());
    }

    @Test
    void theQueueTakesNoDeepOffsetAndCountsUpToACap() throws Exception {
        assertEquals(400, Http.get("/api/v1/cases?offset=10001", dispatcher).statusCode(), "no offset past 10,000");
        JsonObject page = Http.json(Http.get("/api/v1/cases?limit=1&offset=10000", dispatcher));
        assertEquals(0, page.getJsonArray("items").size());
        assertEquals(count("SELECT count(*) FROM civic_case"), page.getLong("total"), "counted exactly below the cap");
        assertFalse(page.getBoolean("totalCapped"));
    }

    @Test
    void categoriesAndTheOpenApiDocument() {
        JsonObject cats = Http.json(Http.get("/api/v1/case-categories", worker));
        int n = cats.getJsonArray("majors").stream().mapToInt(m -> ((JsonObject) m).getJsonArray("categories").size()).sum();
        assertEquals(CategoryCatalogue.defaults().size(), n);
        HttpResponse<String> api = Http.get("/api/v1/openapi.json", null);
        assertEquals(200, api.statusCode());
        JsonObject doc = Http.json(api);
        assertTrue(doc.getString("openapi").startsWith("3.0"));
        for (String path : List.of("/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/cases/{id}/actions",
                "/api/v1/cases/{id}/duplicates", "/api/v1/cases/work-orders",
                "/api/v1/cases/work-orders/{origin}/{number}/actions", "/api/v1/cases/kpis", "/api/v1/case-categories", "/api/v1/cases/map",
                "/api/v1/cases/by-grid", "/api/v1/search", "/api/v1/houses/{code}", "/api/v1/enterprises/{creditCode}",
                "/api/v1/map-config")) {
            assertNotNull(doc.getJsonObject("paths").getJsonObject(path), path);
        }
    }
}
