package cn.haizhu.grid.server.cases;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

/** 超期催办 → 督办: an overdue dispatched case is urged once, supervised a day later, each in its history. */
class EscalationIT {
    private static void deadlineAgo(String id, String ago) throws Exception {
        try (Connection c = TestServer.get().db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE civic_case SET deadline = now() - ?::interval WHERE gid = ?::uuid")) {
            ps.setString(1, ago);
            ps.setString(2, id);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private static long[] escalate() throws Exception {
        return TestServer.get().center.escalation().runOnce().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void anOverdueCaseIsUrgedThenSupervisedOnceEach() throws Exception {
        CasesIT.setUp();
        JsonObject c = CasesIT.newCase(CasesIT.inside);
        String id = c.getString("id");
        CasesIT.ok(CasesIT.dispatcher, id, "file");
        JsonObject dispatched = CasesIT.ok(CasesIT.dispatcher, id, "dispatch");
        assertEquals("dispatched", dispatched.getString("state"));
        assertNull(dispatched.getValue("escalation"));
        escalate();   // other tests' overdue cases may go first; this one is not due yet
        assertNull(Http.json(Http.get("/api/v1/cases/" + id, CasesIT.command)).getValue("escalation"));

        deadlineAgo(id, "2 hours");
        long[] first = escalate();
        assertTrue(first[0] >= 1, "at least this case was urged");
        JsonObject urged = Http.json(Http.get("/api/v1/cases/" + id, CasesIT.command));
        assertEquals("urged", urged.getString("escalation"));
        JsonArray history = urged.getJsonArray("history");
        JsonObject last = history.getJsonObject(history.size() - 1);
        assertEquals("urge", last.getString("action"));
        assertEquals("超期催办", last.getString("actionZh"));
        assertEquals("system", last.getJsonObject("actor").getString("username"));
        assertEquals("dispatched", last.getString("toState"), "escalation leaves the state alone");
        assertArrayEquals(new long[] {0, 0}, escalate(), "urged once only");

        deadlineAgo(id, "2 days");
        escalate();
        JsonObject supervised = Http.json(Http.get("/api/v1/cases/" + id, CasesIT.command));
        assertEquals("supervised", supervised.getString("escalation"));
        assertEquals("supervise", supervised.getJsonArray("history").getJsonObject(history.size()).getString("action"));
        assertArrayEquals(new long[] {0, 0}, escalate(), "supervised once only");
        assertEquals(history.size() + 1, supervised.getJsonArray("history").size(), "one history row per step");
    }
}
