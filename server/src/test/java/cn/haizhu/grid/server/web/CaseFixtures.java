package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.users.PasswordHash;
import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;

/**
 * Cases for the desk and tablet tests, made through the API: the demo worker's grid and a point
 * deep inside it, a dispatched case there, its history, a real JPEG for the file inputs.
 */
final class CaseFixtures {
    /** 乱涂乱画 (graffiti), as in CasesIT. */
    static final String CATEGORY = "SJ0107";
    /** The login of {@link #secondWorker()}. */
    static final String SECOND_WORKER = "worker-two";
    private static CaseFixtures second;

    final String workerGrid;
    final String workerName;
    final long workerId;
    final double lon;
    final double lat;

    private CaseFixtures(String workerGrid, String workerName, long workerId, double lon, double lat) {
        this.workerGrid = workerGrid;
        this.workerName = workerName;
        this.workerId = workerId;
        this.lon = lon;
        this.lat = lat;
    }

    static CaseFixtures load() throws Exception {
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT g.code, w.name, w.id,
                            ST_X((ST_MaximumInscribedCircle(g.geom)).center), ST_Y((ST_MaximumInscribedCircle(g.geom)).center)
                     FROM grid_worker w JOIN app_user u ON u.id = w.user_id AND u.username = 'worker'
                     JOIN grid_worker_grid wg ON wg.worker_id = w.id JOIN grid g ON g.code = wg.grid_code
                     ORDER BY g.code LIMIT 1""")) {
            assertTrue(rs.next(), "the demo worker patrols a grid");
            return new CaseFixtures(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4), rs.getDouble(5));
        }
    }

    /**
     * A second grid worker who can sign in ({@link #SECOND_WORKER}, the test password), patrolling a
     * grid the demo worker does not: the tablet passed from one worker to the next.
     */
    static synchronized CaseFixtures secondWorker() throws Exception {
        if (second == null) {
            try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("""
                         SELECT g.code, w.name, w.id,
                                ST_X((ST_MaximumInscribedCircle(g.geom)).center), ST_Y((ST_MaximumInscribedCircle(g.geom)).center)
                         FROM grid_worker w JOIN grid_worker_grid wg ON wg.worker_id = w.id JOIN grid g ON g.code = wg.grid_code
                         WHERE w.user_id IS NULL AND w.active
                           AND g.code <> ALL (string_to_array((SELECT scope_code FROM app_user WHERE username = 'worker'), ','))
                         ORDER BY g.code DESC LIMIT 1""")) {
                assertTrue(rs.next(), "a grid worker without a login, outside the demo worker's grids");
                second = new CaseFixtures(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4), rs.getDouble(5));
            }
            try (Connection c = TestServer.get().db.connection();
                 PreparedStatement user = c.prepareStatement("""
                         INSERT INTO app_user (username, display_name, password_hash, role, scope_kind, scope_code)
                         VALUES (?, ?, ?, 'worker', 'grids', ?) RETURNING id""");
                 PreparedStatement link = c.prepareStatement("UPDATE grid_worker SET user_id = ? WHERE id = ?")) {
                user.setString(1, SECOND_WORKER);
                user.setString(2, second.workerName);
                user.setString(3, PasswordHash.hash(TestServer.PASSWORD));
                user.setString(4, second.workerGrid);
                try (ResultSet rs = user.executeQuery()) {
                    rs.next();
                    link.setLong(1, rs.getLong(1));
                }
                link.setLong(2, second.workerId);
                assertEquals(1, link.executeUpdate());
            }
        }
        return second;
    }

    static JsonObject intakeBody(String category, String title, double lon, double lat) {
        return new JsonObject().put("source", "hotline_12345").put("category", category).put("urgency", "normal")
                .put("title", title).put("description", "市民来电：围墙被乱涂乱画").put("address", "海珠区测试路1号")
                .put("location", new JsonObject().put("lon", lon).put("lat", lat));
    }

    /** A new case (state reported) made by user; returns its view. */
    static JsonObject report(String user, String title, double lon, double lat) {
        return report(user, CATEGORY, title, lon, lat);
    }

    static JsonObject report(String user, String category, String title, double lon, double lat) {
        HttpResponse<String> r = Http.post("/api/v1/cases", "application/json", intakeBody(category, title, lon, lat).encode(),
                Http.token(user));
        assertEquals(201, r.statusCode(), r.body());
        return Http.json(r);
    }

    static JsonObject act(String user, String id, JsonObject body) {
        HttpResponse<String> r = Http.post("/api/v1/cases/" + id + "/actions", "application/json", body.encode(), Http.token(user));
        assertEquals(200, r.statusCode(), body.getString("action") + ": " + r.body());
        return Http.json(r);
    }

    /** A case in the worker's grid, filed and dispatched to them by the dispatcher. */
    String dispatched(String title) {
        String id = report("dispatcher", title, lon, lat).getString("id");
        act("dispatcher", id, new JsonObject().put("action", "file"));
        act("dispatcher", id, new JsonObject().put("action", "dispatch").put("assignee", workerId));
        return id;
    }

    static JsonObject view(String id) {
        HttpResponse<String> r = Http.get("/api/v1/cases/" + id, Http.token("dispatcher"));
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r);
    }

    /** The action codes of a case's history, in order. */
    static List<String> actions(JsonObject view) {
        List<String> out = new ArrayList<>();
        for (Object e : view.getJsonArray("history")) {
            out.add(((JsonObject) e).getString("action"));
        }
        return out;
    }

    static JsonObject event(JsonObject view, String action) {
        JsonArray history = view.getJsonArray("history");
        for (Object e : history) {
            if (((JsonObject) e).getString("action").equals(action)) {
                return (JsonObject) e;
            }
        }
        throw new AssertionError("no " + action + " in " + history.encodePrettily());
    }

    static long count(String sql, Object... args) throws Exception {
        return TestServer.get().count(sql, args);
    }

    /**
     * A 事件 category no other test uses (the first of the catalogue's last 大类 that is not
     * {@link #CATEGORY}), so that the only possible duplicate of a desk intake is the test's own.
     */
    static String quietCategory() {
        JsonObject catalogue = Http.json(Http.get("/api/v1/case-categories", Http.token("dispatcher")));
        JsonArray majors = catalogue.getJsonArray("majors");
        for (int i = majors.size() - 1; i >= 0; i--) {
            for (Object c : majors.getJsonObject(i).getJsonArray("categories")) {
                String code = ((JsonObject) c).getString("code");
                if (code.startsWith("SJ") && !code.equals(CATEGORY)) {
                    return code;
                }
            }
        }
        throw new AssertionError("no other 事件 category in the catalogue");
    }

    /** The 大类 key whose 小类 list holds code, as the intake form's first select names it. */
    static String majorOf(String code) {
        JsonObject catalogue = Http.json(Http.get("/api/v1/case-categories", Http.token("dispatcher")));
        for (Object m : catalogue.getJsonArray("majors")) {
            for (Object c : ((JsonObject) m).getJsonArray("categories")) {
                if (((JsonObject) c).getString("code").equals(code)) {
                    return ((JsonObject) m).getString("key");
                }
            }
        }
        throw new AssertionError(code + " is not in the catalogue");
    }

    /** A real 640×480 JPEG (a photo from the field, as far as the server's content check goes). */
    static Path jpeg(Path dir, String name) throws Exception {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(90, 140, 200));
        g.fillRect(0, 0, 640, 480);
        g.setColor(new Color(220, 60, 60));
        g.fillOval(200, 120, 240, 240);
        g.dispose();
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, "jpg", file.toFile()));
        return file;
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
