package cn.haizhu.grid.server.cases;

import static cn.haizhu.grid.server.cases.CasesIT.actions;
import static cn.haizhu.grid.server.cases.CasesIT.error;
import static cn.haizhu.grid.server.cases.CasesIT.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Work orders from the city (issue 15) at the Haizhu district node, through HTTP against PostGIS: the
 * city's 派单 is idempotent by its order number and routed like any case, its deadline holds and shows
 * at every level, 退回上级 carries a coded reason, and the city's 回访/重办/驳回退单 apply as the city's
 * own steps; every row carries what the change log needs to send it (gid, version, origin).
 */
public class WorkOrdersIT {
    static final String CITY = "440100";
    static String peer;

    @BeforeAll
    static void setUp() throws Exception {
        CasesIT.setUp();
        peer = Http.token("peer");
    }

    // ── helpers ──

    /** A city order for a point in the demo worker's grid, due {@code hours} from now. */
    static JsonObject order(String number, long hours) {
        return CasesIT.intakeBody(CasesIT.inside).put("originNode", CITY).put("orderNumber", number)
                .put("deadline", Instant.now().plus(hours, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString())
                .put("timeLimit", "13个工作日").put("title", "市12345转办：墙面乱涂乱画");
    }

    static HttpResponse<String> send(String token, JsonObject order) {
        return Http.post("/api/v1/cases/work-orders", "application/json", order.encode(), token);
    }

    /** A city order received here: the case it made. */
    static JsonObject received(String number, long hours) {
        HttpResponse<String> r = send(peer, order(number, hours));
        assertEquals(201, r.statusCode(), r.body());
        return Http.json(r);
    }

    static String newNumber() {
        return "GZ12345-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static HttpResponse<String> fromCity(String token, String number, JsonObject step) {
        return Http.post("/api/v1/cases/work-orders/" + CITY + "/" + number + "/actions", "application/json",
                step.encode(), token);
    }

    static JsonObject cityStep(String number, JsonObject step) {
        HttpResponse<String> r = fromCity(peer, number, step.put("clientActionId", step.containsKey("clientActionId")
                ? step.getString("clientActionId") : UUID.randomUUID().toString()));
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r);
    }

    /** A received city order taken round the loop to 结案, the worker's report with one photo. */
    static JsonObject closed(String number, String photo) {
        String id = received(number, 48).getString("id");
        ok(CasesIT.dispatcher, id, "file");
        ok(CasesIT.dispatcher, id, "dispatch");
        ok(CasesIT.worker, id, "sign");
        ok(CasesIT.worker, id, "start_handling");
        ok(CasesIT.worker, id, new JsonObject().put("action", "feedback").put("comment", "已清理墙面")
                .put("attachments", new JsonArray().add(photo)));
        ok(CasesIT.dispatcher, id, "start_check");
        return ok(CasesIT.command, id, "close");
    }

    static JsonObject lastEvent(JsonObject view) {
        JsonArray h = view.getJsonArray("history");
        return h.getJsonObject(h.size() - 1);
    }

    // ── case numbers ──

    @Test
    void caseNumbersCarryTheNodeCodeSoTheyAreUniqueAcrossTheNetwork() throws SQLException {
        String n = CasesIT.newCase(CasesIT.inside).getString("number");
        assertTrue(n.matches("440105-\\d{8}-\\d{6,}"), n);
        String[] made = TestServer.get().firstRow("SELECT gridctl_case_number(), (SELECT code FROM platform_node)");
        assertTrue(made[0].startsWith(made[1] + "-"), made[0]);
        // numbers made before (HZ…) stay as they are and cannot equal a new one
        assertFalse(made[0].startsWith("HZ"));
    }

    // ── 派单: intake from above ──

    @Test
    void aCityOrderIsRoutedToItsStreetGridAndWorkerAndKeepsItsOrigin() {
        String number = newNumber();
        JsonObject c = received(number, 48);
        assertEquals(CasesIT.workerGrid, c.getString("gridCode"));
        assertEquals(CasesIT.workerStreet, c.getString("streetCode"));
        assertEquals(CasesIT.workerId, c.getJsonObject("assignee").getLong("id"));
        assertEquals("reported", c.getString("state"));
        assertEquals("hotline_12345", c.getString("source"));
        assertTrue(c.getString("number").startsWith("440105-"), "our own number beside the city's");
        JsonObject origin = c.getJsonObject("origin");
        assertEquals(CITY, origin.getString("node"));
        assertEquals("city", origin.getString("level"));
        assertEquals("市级平台", origin.getString("levelZh"));
        assertEquals(number, origin.getString("orderNumber"));
        assertEquals("13个工作日", origin.getString("timeLimit"));
        assertFalse(origin.getBoolean("overdue"));
        assertEquals("市级平台 440100", c.getString("reporter"));
        assertEquals(List.of(), actions(c), "the city's platform does not handle it here");
        JsonObject atTheDesk = Http.json(Http.get("/api/v1/cases/" + c.getString("id"), CasesIT.dispatcher));
        assertEquals(List.of("verify", "file", "reject", "return_up"), actions(atTheDesk), "the desk may send it back up");
        assertNull(CasesIT.newCase(CasesIT.inside).getValue("origin"), "a case filed here has no origin");
    }

    @Test
    void theSameOrderTwiceIsOneCaseAndAnotherOrderUnderItsNumberIsRefused() throws SQLException {
        String number = newNumber();
        JsonObject order = order(number, 48);
        HttpResponse<String> first = send(peer, order);
        assertEquals(201, first.statusCode(), first.body());
        HttpResponse<String> again = send(peer, order);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(Http.json(first).getString("id"), Http.json(again).getString("id"));
        assertEquals(1, TestServer.get().count("SELECT count(*) FROM civic_case WHERE origin_node = ? AND origin_order_number = ?",
                CITY, number));
        assertEquals(1, TestServer.get().count("SELECT count(*) FROM case_event e JOIN civic_case c ON c.gid = e.case_gid "
                + "WHERE c.origin_order_number = ?", number), "one 派单 in the history");

        HttpResponse<String> other = send(peer, order.copy().put("title", "另一张工单"));
        assertEquals(409, other.statusCode(), other.body());
        assertEquals("order_number_conflict", error(other).getString("code"));
    }

    @Test
    void onlyAPeerOfALevelAboveSendsOrdersAndBadOrdersGetA4xx() {
        HttpResponse<String> desk = send(CasesIT.dispatcher, order(newNumber(), 48));
        assertEquals(403, desk.statusCode(), desk.body());
        HttpResponse<String> neighbour = send(peer, order(newNumber(), 48).put("originNode", "440106"));
        assertEquals(422, neighbour.statusCode(), "天河 is no level above 海珠: " + neighbour.body());
        assertEquals("not_a_level_above", error(neighbour).getString("code"));
        HttpResponse<String> noDeadline = send(peer, order(newNumber(), 48).put("deadline", "next friday"));
        assertEquals(400, noDeadline.statusCode(), noDeadline.body());
        assertTrue(error(noDeadline).getJsonObject("details").getJsonObject("fields").containsKey("deadline"));
        JsonObject missing = order(newNumber(), 48);
        missing.remove("orderNumber");
        assertEquals(400, send(peer, missing).statusCode());
        assertEquals(400, send(peer, order("bad number!", 48)).statusCode());
    }

    // ── the origin's deadline ──

    @Test
    void theCitysDeadlineHoldsAndShowsAtTheDeskAndOnTheTablet() {
        String number = newNumber();
        JsonObject c = received(number, 2);
        String cityDeadline = c.getJsonObject("origin").getString("deadline");
        ok(CasesIT.dispatcher, c.getString("id"), "file");
        JsonObject dispatched = ok(CasesIT.dispatcher, c.getString("id"), "dispatch");
        // 乱涂乱画 has 24 working hours here; the city gave 2 hours: the city's deadline is the one that runs
        assertEquals(cityDeadline, dispatched.getString("deadline"));
        long left = dispatched.getJsonObject("origin").getLong("remainingSeconds");
        assertTrue(left > 0 && left <= Duration.ofHours(2).toSeconds(), "remaining " + left);

        JsonObject onTablet = Http.json(Http.get("/api/v1/cases/" + c.getString("id"), CasesIT.worker));
        assertEquals(cityDeadline, onTablet.getJsonObject("origin").getString("deadline"));
        JsonObject queue = Http.json(Http.get("/api/v1/cases?assignee=me&open=true&limit=200", CasesIT.worker));
        assertTrue(queue.getJsonArray("items").stream().map(JsonObject.class::cast)
                .anyMatch(i -> i.getJsonObject("origin") != null && number.equals(i.getJsonObject("origin").getString("orderNumber"))),
                "the worker's task list shows the city's order with its origin");
    }

    @Test
    void thisLevelCannotChangeTheOriginsColumns() throws SQLException {
        String id = received(newNumber(), 48).getString("id");
        SQLException refused = assertThrows(SQLException.class, () -> exec(
                "UPDATE civic_case SET origin_deadline = origin_deadline + interval '10 days' WHERE gid = '" + id + "'"));
        assertTrue(refused.getMessage().contains("is not changed at 440105"), refused.getMessage());
        // a change made in the city's name (a sync apply naming it) may
        exec("BEGIN; SET LOCAL gridctl.origin = '440100'; "
                + "UPDATE civic_case SET origin_deadline = origin_deadline + interval '1 day', version = version + 1 WHERE gid = '"
                + id + "'; COMMIT");
    }

    // ── 退回上级 ──

    @Test
    void returnUpNeedsACodedReasonAndIsRecordedForTheCity() throws SQLException {
        String number = newNumber();
        String id = received(number, 48).getString("id");
        HttpResponse<String> none = CasesIT.act(CasesIT.dispatcher, id, "return_up");
        assertEquals(422, none.statusCode(), none.body());
        assertEquals("退回上级须选择退回上级原因", error(none).getJsonObject("details").getString("zh"));
        HttpResponse<String> workersList = CasesIT.act(CasesIT.dispatcher, id,
                new JsonObject().put("action", "return_up").put("reason", "outside_area"));
        assertEquals(422, workersList.statusCode(), "a worker's 退单原因 is not a reason for the city: " + workersList.body());
        HttpResponse<String> unknown = CasesIT.act(CasesIT.dispatcher, id,
                new JsonObject().put("action", "return_up").put("reason", "nope"));
        assertEquals(400, unknown.statusCode());
        assertEquals(403, CasesIT.act(CasesIT.worker, id, new JsonObject().put("action", "return_up")
                .put("reason", "not_our_jurisdiction")).statusCode());

        JsonObject back = ok(CasesIT.dispatcher, id, new JsonObject().put("action", "return_up")
                .put("reason", "not_our_jurisdiction").put("comment", "地址属天河区猎德街"));
        assertEquals("returned_up", back.getString("state"));
        assertFalse(back.getBoolean("open"));
        JsonObject event = back.getJsonObject("event");
        assertEquals("return_up", event.getString("action"));
        assertEquals("非本辖区", event.getJsonObject("reason").getString("zh"));
        assertEquals(CITY, event.getJsonObject("details").getString("returnedTo"));
        assertEquals(number, event.getJsonObject("details").getString("orderNumber"));
        assertEquals("440105", event.getString("origin"), "this level's step: it goes up to the city");
        assertEquals(List.of(), actions(back), "the desk waits for the city");
        // the change log has the case and its history row, keyed as the feed sends them
        assertEquals(1, TestServer.get().count("""
                SELECT count(*) FROM change_log l JOIN case_event e ON e.gid = coalesce(l.record_gid, l.record_gids[1])
                WHERE l.table_name = 'case_event' AND e.case_gid = ?::uuid AND e.action = 'return_up'
                  AND l.origin = '440105' AND l.version = e.version""", id));

        // a case filed here has no level to go back to
        HttpResponse<String> local = CasesIT.act(CasesIT.dispatcher, CasesIT.newCase(CasesIT.inside).getString("id"),
                new JsonObject().put("action", "return_up").put("reason", "not_our_jurisdiction"));
        assertEquals(409, local.statusCode(), local.body());

        // the city overrules: the order is received again, its deadline unchanged
        JsonObject again = cityStep(number, new JsonObject().put("action", "redispatch").put("comment", "经核实属海珠区"));
        assertEquals("reported", again.getString("state"));
        assertEquals(CITY, again.getJsonObject("event").getJsonObject("actor").getString("username"));
    }

    @Test
    void aWorkersReturnCanGoOnUpToTheCity() {
        String id = received(newNumber(), 48).getString("id");
        ok(CasesIT.dispatcher, id, "file");
        ok(CasesIT.dispatcher, id, "dispatch");
        ok(CasesIT.worker, id, new JsonObject().put("action", "return").put("reason", "outside_area"));
        JsonObject up = ok(CasesIT.dispatcher, id, new JsonObject().put("action", "return_up").put("reason", "not_our_jurisdiction"));
        assertEquals("returned_up", up.getString("state"));
        assertNull(up.getString("deadline"), "this level's clock stopped");
    }

    // ── from above: 回访/评价 and 重办 ──

    @Test
    void theCityEvaluatesAndReopensItsOrderAsItsOwnSteps() throws SQLException {
        String number = newNumber();
        String photo = UUID.randomUUID().toString();
        JsonObject closed = closed(number, photo);
        String id = closed.getString("id");
        // 办结回复: the close carries the reply the city reads, with the worker's photo
        JsonObject reply = lastEvent(closed).getJsonObject("details").getJsonObject("reply");
        assertEquals(CITY, reply.getString("to"));
        assertEquals(number, reply.getString("orderNumber"));
        assertEquals("已清理墙面", reply.getString("comment"));
        assertEquals(new JsonArray().add(photo), reply.getJsonArray("attachments"));

        // the desk here does not evaluate the city's order
        assertFalse(actions(closed).contains("evaluate"));
        HttpResponse<String> desk = CasesIT.act(CasesIT.dispatcher, id, new JsonObject().put("action", "evaluate"));
        assertEquals(403, desk.statusCode(), desk.body());
        // nor does the peer account speaking for itself through the case's own route
        assertEquals(403, CasesIT.act(peer, id, new JsonObject().put("action", "evaluate")).statusCode());
        // the city's steps need its id for the step, and only 回访/重办/驳回退单 are the city's here
        assertEquals(400, fromCity(peer, number, new JsonObject().put("action", "reopen")).statusCode());
        HttpResponse<String> handling = fromCity(peer, number, new JsonObject().put("action", "close")
                .put("clientActionId", UUID.randomUUID().toString()));
        assertEquals(422, handling.statusCode(), handling.body());
        assertEquals(404, fromCity(peer, "GZ-unknown", new JsonObject().put("action", "reopen")
                .put("clientActionId", UUID.randomUUID().toString())).statusCode());
        assertEquals(403, fromCity(CasesIT.dispatcher, number, new JsonObject().put("action", "reopen")
                .put("clientActionId", UUID.randomUUID().toString())).statusCode());

        // 重办 from the city, sent twice: applied once, as the city's step
        String stepId = UUID.randomUUID().toString();
        JsonObject reopened = cityStep(number, new JsonObject().put("action", "reopen").put("comment", "市民不满意：仍有涂鸦")
                .put("clientActionId", stepId));
        assertEquals("reopened", reopened.getString("state"));
        JsonObject event = reopened.getJsonObject("event");
        assertEquals(CITY, event.getJsonObject("actor").getString("username"));
        assertEquals("peer", event.getJsonObject("actor").getString("role"));
        assertEquals(CITY, event.getString("origin"), "the city's step: never sent back up");
        assertEquals(1, TestServer.get().count("SELECT count(*) FROM case_event WHERE gid = ?::uuid AND origin = '440100'",
                stepId), "the step keeps the city's id");
        JsonObject replayed = cityStep(number, new JsonObject().put("action", "reopen").put("clientActionId", stepId));
        assertTrue(replayed.getBoolean("replayed"));
        assertEquals("reopened", replayed.getString("state"));

        // handled again here, then the city's 回访: satisfied, with its words
        ok(CasesIT.dispatcher, id, "dispatch");
        ok(CasesIT.worker, id, "sign");
        ok(CasesIT.worker, id, "start_handling");
        ok(CasesIT.worker, id, "feedback");
        ok(CasesIT.dispatcher, id, "start_check");
        ok(CasesIT.command, id, "close");
        HttpResponse<String> noVerdict = fromCity(peer, number, new JsonObject().put("action", "evaluate")
                .put("clientActionId", UUID.randomUUID().toString()));
        assertEquals(400, noVerdict.statusCode(), noVerdict.body());
        JsonObject evaluated = cityStep(number, new JsonObject().put("action", "evaluate").put("satisfaction", "satisfied")
                .put("comment", "回访满意"));
        assertEquals("evaluated", evaluated.getString("state"));
        assertEquals("satisfied", evaluated.getJsonObject("event").getJsonObject("details").getString("satisfaction"));
        assertEquals(CITY, evaluated.getJsonObject("event").getJsonObject("details").getString("onBehalfOf"));
    }

    private static void exec(String sql) throws SQLException {
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
