package cn.haizhu.grid.server.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import cn.haizhu.grid.data.db.Database;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** What the tests of several instances report and look for: places in the district, intakes, case events, tiles. */
public final class Fixtures {
    /** 乱涂乱画 (graffiti), as CasesIT reports it. */
    public static final String CATEGORY = "SJ0107";

    private Fixtures() {
    }

    /** A point well inside each of {@code n} grids of the district (the centre of its largest inscribed circle). */
    public static List<double[]> placesInGrids(Database db, int n) throws java.sql.SQLException {
        List<double[]> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT (ST_MaximumInscribedCircle(geom)).center AS p FROM grid ORDER BY code LIMIT ?) g")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new double[] {rs.getDouble(1), rs.getDouble(2)});
                }
            }
        }
        if (out.isEmpty()) {
            throw new AssertionError("the demo has no grids");
        }
        return out;
    }

    /** An intake as the desk sends it, with the client's id (its idempotency key). */
    public static JsonObject caseBody(UUID id, double[] place, String title) {
        return new JsonObject().put("id", id.toString()).put("source", "hotline_12345").put("category", CATEGORY)
                .put("urgency", "normal").put("title", title).put("description", "市民来电")
                .put("location", new JsonObject().put("lon", place[0]).put("lat", place[1]));
    }

    /**
     * An intake at {@code at} (201, the case made) and the same intake retried at {@code retryAt} (200, the
     * same case found, never a second one), as a client whose first answer was lost retries elsewhere;
     * the case's number.
     */
    public static String intakeAndRetry(String at, String token, String retryAt, String retryToken, JsonObject body) {
        HttpResponse<String> first = Api.call(at, "POST", "/api/v1/cases", token, body);
        assertEquals(201, first.statusCode(), first.body());
        HttpResponse<String> retry = Api.call(retryAt, "POST", "/api/v1/cases", retryToken, body);
        assertEquals(200, retry.statusCode(), "the retry at " + retryAt + " finds the case made at " + at + ": " + retry.body());
        String number = new JsonObject(first.body()).getString("number");
        assertEquals(number, new JsonObject(retry.body()).getString("number"));
        return number;
    }

    /**
     * The case.created events of the cases {@code ids}, as they come on {@code stream} (other events
     * skipped), failing when one has not come within 10 s or comes twice.
     */
    public static List<EventStreamClient.Event> created(EventStreamClient stream, List<String> ids) throws InterruptedException {
        return createdAmong(until(stream, ids), ids);
    }

    /** The case.created events of the cases {@code ids} among {@code events}. */
    public static List<EventStreamClient.Event> createdAmong(List<EventStreamClient.Event> events, List<String> ids) {
        return events.stream().filter(e -> isCreated(e, ids)).toList();
    }

    /**
     * Every event that comes on {@code stream} until the case.created events of all the cases {@code ids}
     * have come, in order; fails when one has not come within 10 s or comes twice.
     */
    public static List<EventStreamClient.Event> until(EventStreamClient stream, List<String> ids) throws InterruptedException {
        Set<String> waiting = new HashSet<>(ids);
        List<EventStreamClient.Event> out = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!waiting.isEmpty()) {
            EventStreamClient.Event e = stream.next(Duration.ofNanos(Math.max(1, until - System.nanoTime())));
            assertNotNull(e, "case.created of " + ids.size() + " cases; " + waiting.size() + " not heard");
            if (isCreated(e, ids) && !waiting.remove(e.data().getString("id"))) {
                throw new AssertionError("case.created of " + e.data().getString("id") + " twice");
            }
            out.add(e);
        }
        return out;
    }

    private static boolean isCreated(EventStreamClient.Event e, List<String> ids) {
        return "case.created".equals(e.type()) && ids.contains(e.data().getString("id"));
    }

    /** The ids and types of the events in the log, in id order (V46: each event's id is its transaction's first id plus its place). */
    private static final String LOGGED = """
            SELECT c.first_id + x.k AS id, x.payload->>'type' AS type
            FROM event_commit c
            CROSS JOIN LATERAL (SELECT row_number() OVER (ORDER BY l.n) - 1 AS k, l.payload FROM event_log l WHERE l.txid = c.txid) x
            """;

    /** The ids of the case events in the event log after {@code after}, up to {@code upTo}, in order: what a stream of case.* owes. */
    public static List<Long> loggedCaseEvents(Database db, long after, long upTo) throws java.sql.SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM (" + LOGGED + ") e WHERE id > ? AND id <= ? AND type LIKE 'case.%' ORDER BY id")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** The id of the last case event in the log (0: none). */
    public static long lastLoggedCaseEvent(Database db) throws java.sql.SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(id), 0) FROM (" + LOGGED + ") e WHERE type LIKE 'case.%'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The last event id given out (0: none). */
    public static long lastEventId(Database db) throws java.sql.SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(first_id + events - 1), 0) FROM event_commit"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The path of the XYZ tile of {@code layer} at zoom {@code z} over a point. */
    public static String tilePath(String layer, int z, double lon, double lat) {
        double n = Math.pow(2, z);
        int x = (int) Math.floor((lon + 180) / 360 * n);
        double r = Math.toRadians(lat);
        int y = (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n);
        return "/tiles/" + layer + "/" + z + "/" + x + "/" + y + ".mvt";
    }
}
