package cn.haizhu.grid.server.areas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AreasIT {
    static String command;
    static String streetCommand;

    @BeforeAll
    static void login() {
        command = Http.token("command");
        streetCommand = Http.token("command-440105001");
    }

    private static long sql(String query) throws Exception {
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void areasKeepTheRealCodesAndNames() {
        JsonObject streets = Http.json(Http.get("/api/v1/areas?level=street", command));
        assertEquals(18, streets.getInteger("total"));
        JsonObject first = streets.getJsonArray("items").getJsonObject(0);
        assertEquals("440105001", first.getString("code"));
        assertEquals("赤岗街道", first.getString("name"));
        assertEquals(267, Http.json(Http.get("/api/v1/areas?level=community", command)).getInteger("total"));
        HttpResponse<String> geo = Http.get("/api/v1/areas?level=district&format=geojson", command);
        assertTrue(geo.headers().firstValue("Content-Type").orElse("").startsWith("application/geo+json"));
        JsonObject fc = Http.json(geo);
        assertEquals("FeatureCollection", fc.getString("type"));
        assertEquals("海珠区", fc.getJsonArray("features").getJsonObject(0).getJsonObject("properties").getString("name"));
    }

    @Test
    void gridsCarryTheirCountsAsInTheDatabase() throws Exception {
        JsonObject fc = Http.json(Http.get("/api/v1/grids?format=geojson", command));
        JsonArray features = fc.getJsonArray("features");
        assertEquals(sql("SELECT count(*) FROM grid"), features.size());
        long persons = 0;
        for (int i = 0; i < features.size(); i++) {
            persons += features.getJsonObject(i).getJsonObject("properties").getLong("persons");
        }
        assertEquals(sql("SELECT count(*) FROM person"), persons);
        String code = features.getJsonObject(0).getJsonObject("properties").getString("code");
        JsonObject grid = Http.json(Http.get("/api/v1/grids/" + code, command));
        assertEquals(sql("SELECT count(*) FROM house WHERE grid_code = '" + code + "'"), grid.getLong("houses"));
        assertTrue(grid.getJsonArray("workers").size() >= 1, "every demo grid has a worker on duty");
        String phone = grid.getJsonArray("workers").getJsonObject(0).getString("phone");
        assertTrue(phone.matches("1\\d\\d\\*{4}\\d{4}"), "worker phones are masked: " + phone);
    }

    @Test
    void statsAddUp() throws Exception {
        JsonObject stats = Http.json(Http.get("/api/v1/stats/district", command));
        JsonObject totals = stats.getJsonObject("totals");
        assertEquals(18, totals.getLong("streets"));
        assertEquals(267, totals.getLong("communities"));
        assertEquals(sql("SELECT count(*) FROM grid"), totals.getLong("grids"));
        assertEquals(sql("SELECT count(*) FROM house"), totals.getLong("houses"));
        assertEquals(sql("SELECT count(*) FROM person"), totals.getLong("persons"));
        assertEquals(sql("SELECT count(*) FROM enterprise"), totals.getLong("enterprises"));
    }

    @Test
    void aStreetUserSeesOnlyTheirStreetEverywhere() throws Exception {
        JsonObject stats = Http.json(Http.get("/api/v1/stats/district", streetCommand));
        assertEquals(1, stats.getJsonArray("streets").size());
        assertEquals("440105001", stats.getJsonArray("streets").getJsonObject(0).getString("code"));
        assertEquals(sql("SELECT count(*) FROM person WHERE street_code = '440105001'"), stats.getJsonObject("totals").getLong("persons"));
        JsonArray grids = Http.json(Http.get("/api/v1/grids?format=geojson", streetCommand)).getJsonArray("features");
        assertEquals(sql("SELECT count(*) FROM grid WHERE street_code = '440105001'"), grids.size());
        for (int i = 0; i < grids.size(); i++) {
            assertEquals("440105001", grids.getJsonObject(i).getJsonObject("properties").getString("streetCode"));
        }
        String otherGrid;
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT code FROM grid WHERE street_code <> '440105001' LIMIT 1")) {
            rs.next();
            otherGrid = rs.getString(1);
        }
        assertEquals(404, Http.get("/api/v1/grids/" + otherGrid, streetCommand).statusCode(), "another street's grid does not exist for them");
        assertEquals(0, Http.json(Http.get("/api/v1/persons?grid=" + otherGrid, streetCommand)).getJsonArray("items").size());
        assertEquals(22, Http.json(Http.get("/api/v1/areas?level=community&parent=440105001", command)).getInteger("total"), "赤岗街道 has 22 communities");
    }

    @Test
    void badParametersAre400WithTheirName() {
        HttpResponse<String> r = Http.get("/api/v1/grids?street=abc", command);
        assertEquals(400, r.statusCode());
        assertEquals("street", Http.json(r).getJsonObject("error").getJsonObject("details").getString("parameter"));
        assertEquals(400, Http.get("/api/v1/areas?level=planet", command).statusCode());
        assertEquals(400, Http.get("/api/v1/grids?limit=-1", command).statusCode());
        assertEquals(400, Http.get("/api/v1/grids/12", command).statusCode());
        assertEquals(404, Http.get("/api/v1/grids/99999999999999", command).statusCode());
    }
}
