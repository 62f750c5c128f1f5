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

    private static final String WHY = "&purpose=" + java.net.URLEncoder.encode("核查来电人身份 #12345", java.nio.charset.StandardCharsets.UTF_8);

    private static String lastAudit(String column) throws Exception {
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM pii_audit ORDER BY id DESC LIMIT 1")) {
            rs.next();
            return rs.getString(1);
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
    void listsAreMaskedByDefaultShowNoBirthDateAndAreAudited() throws Exception {
        long before = audits();
        JsonObject page = Http.json(Http.get("/api/v1/persons?grid=" + grid, Http.token("command")));
        assertTrue(page.getBoolean("masked"));
        JsonObject p = page.getJsonArray("items").getJsonObject(0);
        assertTrue(p.getString("idNumber").matches("\\d{6}\\*{8}\\d{3}[\\dX]"), p.getString("idNumber"));
        assertTrue(p.getString("phone").matches("1\\d\\d\\*{4}\\d{4}"), p.getString("phone"));
        assertFalse(p.containsKey("tags"), "key-population tags are withheld");
        // the 8 hidden digits are the birth date: a masked view must not carry it, nor its year or month
        assertFalse(p.containsKey("birthDate"), p.encode());
        int year = Integer.parseInt(idNumberOf(p.getString("id")).substring(6, 10));
        assertEquals(year / 10 * 10, p.getInteger("birthDecade"), "the decade of birth, never the year");
        assertEquals(java.util.Set.of("id", "name", "gender", "householdType", "idType", "houseCode", "gridCode", "streetCode",
                "idNumber", "phone", "birthDecade"), p.fieldNames(), "the masked view's fields, and no others");
        assertEquals("resident_id", p.getString("idType"), "the document the number belongs to");
        assertEquals(before + 1, audits(), "every read of persons is audited, masked or not");
        assertEquals("t", lastAudit("masked::text").substring(0, 1));
        assertTrue(lastAudit("cardinality(person_gids)::text").equals(String.valueOf(page.getJsonArray("items").size())));
    }

    private static String idNumberOf(String gid) throws Exception {
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id_number_enc FROM person WHERE gid = '" + gid + "'")) {
            rs.next();
            return TestServer.get().cipher.decrypt(rs.getBytes(1));
        }
    }

    @Test
    void unmaskingNeedsTheRoleAndAPurposeAndIsAudited() throws Exception {
        HttpResponse<String> denied = Http.get("/api/v1/persons?grid=" + grid + "&unmask=true" + WHY, Http.token("command"));
        assertEquals(403, denied.statusCode());
        HttpResponse<String> noPurpose = Http.get("/api/v1/persons?grid=" + grid + "&unmask=true", Http.token("admin"));
        assertEquals(400, noPurpose.statusCode());
        assertEquals("missing_purpose", Http.json(noPurpose).getJsonObject("error").getString("code"));
        long before = audits();
        JsonObject page = Http.json(Http.get("/api/v1/persons?grid=" + grid + "&unmask=true" + WHY, Http.token("admin")));
        assertFalse(page.getBoolean("masked"));
        JsonObject first = page.getJsonArray("items").getJsonObject(0);
        String id = first.getString("idNumber");
        assertTrue(IdNumber.problem(id).isEmpty(), "a real, valid ID number comes back: " + IdNumber.mask(id));
        assertTrue(first.containsKey("birthDate"));
        assertEquals(before + 1, audits());
        assertEquals("核查来电人身份 #12345", lastAudit("purpose"));
        assertEquals("f", lastAudit("masked::text").substring(0, 1));
    }

    @Test
    void exactLookupNeedsAPurposeAndIsAuditedEvenMasked() throws Exception {
        String token = Http.token("officer");
        assertEquals(400, Http.get("/api/v1/persons/lookup?id_number=" + idNumber, token).statusCode(), "no purpose");
        long before = audits();
        JsonObject masked = Http.json(Http.get("/api/v1/persons/lookup?id_number=" + idNumber + WHY, token));
        assertEquals(IdNumber.mask(idNumber), masked.getString("idNumber"));
        assertFalse(masked.containsKey("birthDate"));
        assertEquals(before + 1, audits(), "a masked lookup confirms a number: audited like an unmasked read");
        assertEquals("lookup", lastAudit("action"));
        JsonObject clear = Http.json(Http.get("/api/v1/persons/lookup?id_number=" + idNumber + "&unmask=1" + WHY, token));
        assertEquals(idNumber, clear.getString("idNumber"));
        assertEquals(400, Http.get("/api/v1/persons/lookup?id_number=440105199001011234" + WHY, token).statusCode(), "bad check character");
        assertEquals(400, Http.get("/api/v1/persons", token).statusCode(), "no unbounded person dumps");
    }

    @Test
    void lookupsAreBudgetedPerUserSoGuessingTheHiddenDigitsIsImpractical() {
        String token = Http.token("dispatcher");
        int answered = 0;
        HttpResponse<String> r = null;
        for (int i = 0; i <= PersonReads.LOOKUPS_PER_HOUR; i++) {
            r = Http.get("/api/v1/persons/lookup?id_number=" + idNumber + WHY, token);
            if (r.statusCode() != 429) {
                answered++;
            }
        }
        assertEquals(PersonReads.LOOKUPS_PER_HOUR, answered);
        assertEquals(429, r.statusCode());
        assertEquals("lookup_budget", Http.json(r).getJsonObject("error").getString("code"));
        assertTrue(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()) > 0);
    }

    @Test
    void aRunOfMissesRaisesAnAlertForAdmins() throws Exception {
        String token = Http.token("command");
        // valid numbers (right check character) that no resident has: what guessing the hidden digits looks like
        for (int day = 1; day <= PersonReads.MISSES_FOR_ALERT; day++) {
            String guess = withCheckCharacter("44010519000" + (100 + day) + "999");
            assertEquals(404, Http.get("/api/v1/persons/lookup?id_number=" + guess + WHY, token).statusCode());
        }
        JsonObject alerts = Http.json(Http.get("/api/v1/audit/alerts", Http.token("admin")));
        JsonObject latest = alerts.getJsonArray("items").getJsonObject(0);
        assertEquals("lookup_misses", latest.getString("kind"));
        assertEquals("command", latest.getString("username"));
        assertEquals(403, Http.get("/api/v1/audit/alerts", token).statusCode(), "only those who read the audit");

        JsonObject entries = Http.json(Http.get("/api/v1/audit/personal-data?user=command", Http.token("admin")));
        JsonObject miss = entries.getJsonArray("items").getJsonObject(0);
        assertEquals("lookup", miss.getString("action"));
        assertEquals("核查来电人身份 #12345", miss.getString("purpose"));
        assertEquals(0, miss.getInteger("rowCount"));
    }

    @Test
    void adminsSeeWhoReadWhomWhenAndWhy() throws Exception {
        JsonObject p = Http.json(Http.get("/api/v1/persons?grid=" + grid + "&limit=1", Http.token("worker")))
                .getJsonArray("items").getJsonObject(0);
        JsonObject entries = Http.json(Http.get("/api/v1/audit/personal-data?person=" + p.getString("id"), Http.token("admin")));
        JsonObject read = entries.getJsonArray("items").getJsonObject(0);
        assertTrue(read.getJsonArray("personIds").contains(p.getString("id")));
        assertTrue(read.getJsonArray("personNames").contains(p.getString("name")));
        assertTrue(read.getBoolean("masked"));
        assertEquals(403, Http.get("/api/v1/audit/personal-data", Http.token("officer")).statusCode());
    }

    /** The 18th character GB 11643 gives the first 17. */
    private static String withCheckCharacter(String first17) {
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * weights[i];
        }
        return first17 + "10X98765432".charAt(sum % 11);
    }

    @Test
    void aStreetUserCannotLookUpSomeoneOutsideTheirStreet() throws Exception {
        String outsider;
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id_number_enc FROM person WHERE street_code <> '440105001' LIMIT 1")) {
            rs.next();
            outsider = TestServer.get().cipher.decrypt(rs.getBytes(1));
        }
        assertEquals(404, Http.get("/api/v1/persons/lookup?id_number=" + outsider + WHY, Http.token("command-440105001")).statusCode());
        assertEquals(200, Http.get("/api/v1/persons/lookup?id_number=" + idNumber + WHY, Http.token("command-440105001")).statusCode());
    }
}
