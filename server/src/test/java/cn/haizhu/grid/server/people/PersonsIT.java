package cn.haizhu.grid.server.people;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PersonsIT {
    static String grid;
    static String idNumber;

    @BeforeAll
    static void pickAPerson() throws Exception {
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT grid_code, id_number_enc FROM person WHERE street_code = '440105001' AND phone_enc IS NOT NULL ORDER BY id LIMIT 1")) {
            rs.next();
            grid = rs.getString(1);
            idNumber = TestServer.get().cipher.decrypt(rs.getBytes(2));
        }
    }

    private static long audits() throws Exception {
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pii_audit")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void idNumbersAreNeverStoredInTheClear() throws Exception {
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM person WHERE position(convert_to('" + idNumber + "', 'UTF8') in id_number_enc) > 0")) {
            rs.next();
            assertEquals(0, rs.getLong(1));
        }
    }

    @Test
    void personsPageByCursorAndOffsetsAreCapped() throws Exception {
        String token = Http.token("command");
        java.util.List<String> all = new java.util.ArrayList<>();
        Http.json(Http.get("/api/v1/persons?limit=200&grid=" + grid, token)).getJsonArray("items")
                .forEach(o -> all.add(((JsonObject) o).getString("id")));
        assertTrue(all.size() >= 4, "a grid with a few residents: " + all.size());
        java.util.List<String> paged = new java.util.ArrayList<>();
        String cursor = null;
        for (int i = 0; i < 100; i++) {
            JsonObject page = Http.json(Http.get("/api/v1/persons?limit=3&grid=" + grid + (cursor == null ? "" : "&cursor=" + cursor), token));
            page.getJsonArray("items").forEach(o -> paged.add(((JsonObject) o).getString("id")));
            cursor = page.getString("next");
            if (cursor == null) {
                break;
            }
        }
        assertEquals(all, paged, "page by page, the same persons in the same order");
        assertEquals(400, Http.get("/api/v1/persons?grid=" + grid + "&offset=10001", token).statusCode(), "no deep offsets");
        assertEquals(400, Http.get("/api/v1/persons?grid=" + grid + "&cursor=abc", token).statusCode());
    }

    @Test
    void listsAreMaskedByDefault() throws Exception {
        long before = audits();
        JsonObject page = Http.json(Http.get("/api/v1/persons?grid=" + grid, Http.token("command")));
        assertTrue(page.getBoolean("masked"));
        JsonObject p = page.getJsonArray("items").getJsonObject(0);
        assertTrue(p.getString("idNumber").matches("\\d{6}\\*{8}\\d{3}[\\dX]"), p.getString("idNumber"));
        assertTrue(p.getString("phone").matches("1\\d\\d\\*{4}\\d{4}"), p.getString("phone"));
        assertNull(p.getValue("tags"), "key-population tags are withheld");
        assertEquals(before, audits(), "a masked read is not an unmasked read");
    }

    @Test
    void unmaskingNeedsTheRoleAndIsAudited() throws Exception {
        HttpResponse<String> denied = Http.get("/api/v1/persons?grid=" + grid + "&unmask=true", Http.token("command"));
        assertEquals(403, denied.statusCode());
        long before = audits();
        JsonObject page = Http.json(Http.get("/api/v1/persons?grid=" + grid + "&unmask=true", Http.token("admin")));
        assertFalse(page.getBoolean("masked"));
        String id = page.getJsonArray("items").getJsonObject(0).getString("idNumber");
        assertTrue(IdNumber.problem(id).isEmpty(), "a real, valid ID number comes back: " + IdNumber.mask(id));
        assertEquals(before + 1, audits());
    }

    @Test
    void exactLookupByKeyedHash() {
        String token = Http.token("officer");
        JsonObject masked = Http.json(Http.get("/api/v1/persons/lookup?id_number=" + idNumber, token));
        assertEquals(IdNumber.mask(idNumber), masked.getString("idNumber"));
        JsonObject clear = Http.json(Http.get("/api/v1/persons/lookup?id_number=" + idNumber + "&unmask=1", token));
        assertEquals(idNumber, clear.getString("idNumber"));
        assertEquals(400, Http.get("/api/v1/persons/lookup?id_number=440105199001011234", token).statusCode(), "bad check character");
        assertEquals(400, Http.get("/api/v1/persons", token).statusCode(), "no unbounded person dumps");
    }

    @Test
    void aStreetUserCannotLookUpSomeoneOutsideTheirStreet() throws Exception {
        String outsider;
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id_number_enc FROM person WHERE street_code <> '440105001' LIMIT 1")) {
            rs.next();
            outsider = TestServer.get().cipher.decrypt(rs.getBytes(1));
        }
        assertEquals(404, Http.get("/api/v1/persons/lookup?id_number=" + outsider, Http.token("command-440105001")).statusCode());
        assertEquals(200, Http.get("/api/v1/persons/lookup?id_number=" + idNumber, Http.token("command-440105001")).statusCode());
    }
}
