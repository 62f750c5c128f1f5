package cn.haizhu.grid.server.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the map wall asks of the API besides tiles: the search box, house and enterprise details,
 * open cases as points and per grid, the map settings and the area labels. Checked against the
 * database, within the caller's scope, and for the errors bad requests get.
 */
class WallApiIT {
    private static final String STREET = "440105001";

    @Test
    void searchFindsGridsAreasEnterprisesAndHousesWithAPlaceToFlyTo() throws Exception {
        String token = Http.token("command");
        String[] grid = row("SELECT code, name FROM grid ORDER BY code LIMIT 1");
        List<JsonObject> byCode = items(search(grid[0].substring(0, 11), token));
        assertTrue(byCode.stream().anyMatch(i -> i.getString("kind").equals("grid") && i.getString("code").equals(grid[0])),
                "a grid code prefix finds the grid: " + byCode);
        JsonObject g = byCode.stream().filter(i -> i.getString("code").equals(grid[0])).findFirst().orElseThrow();
        assertEquals(4, g.getJsonArray("bbox").size(), "a grid comes with its box to fit");

        String[] street = row("SELECT code, name FROM admin_area WHERE code = '" + STREET + "'");
        assertTrue(items(search(street[1], token)).stream().anyMatch(i -> i.getString("kind").equals("street")
                && i.getString("code").equals(STREET)), "a street by its name");

        String[] enterprise = row("SELECT credit_code, name, ST_X(geom)::text FROM enterprise ORDER BY credit_code LIMIT 1");
        List<JsonObject> byCredit = items(search(enterprise[0].toLowerCase(), token));
        assertEquals(enterprise[1], byCredit.stream().filter(i -> i.getString("kind").equals("enterprise")).findFirst()
                .orElseThrow().getString("name"), "a credit code, typed in lower case");
        assertEquals(Double.parseDouble(enterprise[2]), byCredit.stream().filter(i -> i.getString("kind").equals("enterprise"))
                .findFirst().orElseThrow().getDouble("lon"), 1e-6);

        String[] house = row("SELECT code, address FROM house ORDER BY code LIMIT 1");
        String part = house[1].substring(house[1].length() - 8);
        List<JsonObject> byAddress = items(search(part, token));
        assertTrue(byAddress.stream().anyMatch(i -> i.getString("kind").equals("house")), "part of an address: " + byAddress);
        for (JsonObject i : byAddress) {
            if (i.getString("kind").equals("house")) {
                assertTrue(i.getString("name").contains(part), i.encode());
            }
        }
    }

    @Test
    void searchStaysInScopeAndTreatsWildcardsAsText() throws Exception {
        String token = Http.token("command-" + STREET);
        for (JsonObject i : items(search("4401", token))) {
            if (i.getString("kind").equals("grid")) {
                assertTrue(i.getString("code").startsWith(STREET), "only the street's grids: " + i.encode());
            }
        }
        assertEquals(0, items(search("%", Http.token("command"))).size(), "% is a character, not 'anything'");
        assertEquals(0, items(search("_", Http.token("command"))).size(), "_ too");
    }

    @Test
    void housesPageByKeysetWithACappedLimitAndACursor() throws Exception {
        String token = Http.token("command");
        // a road with a few dozen to a few thousand houses
        String road = row("""
                SELECT substring(address from 7 for 3) FROM house GROUP BY 1
                HAVING count(*) BETWEEN 12 AND 4000 ORDER BY count(*) DESC, 1 LIMIT 1""")[0];
        List<String> expected = new java.util.ArrayList<>();
        try (var c = TestServer.get().db.connection(); var ps = c.prepareStatement(
                "SELECT code FROM house WHERE address LIKE ? ORDER BY code LIMIT 15")) {
            ps.setString(1, "%" + road + "%");
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    expected.add(rs.getString(1));
                }
            }
        }
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 3; page++) {
            JsonObject answer = Http.json(Http.get("/api/v1/search?kind=house&limit=5&q=" + URLEncoder.encode(road, StandardCharsets.UTF_8)
                    + (cursor == null ? "" : "&cursor=" + cursor), token));
            List<JsonObject> items = items(answer);
            assertEquals(5, items.size(), answer.encode());
            items.forEach(i -> assertEquals("house", i.getString("kind")));
            items.forEach(i -> seen.add(i.getString("code")));
            cursor = answer.getJsonObject("next").getString("house");
            assertTrue(cursor != null, "there is more after page " + page + ": " + answer.encode());
            assertTrue(!answer.containsKey("total"), "no count of everything");
        }
        assertEquals(expected, seen, "three pages are the first 15 by code, none twice, none skipped");

        assertEquals(400, Http.get("/api/v1/search?q=" + URLEncoder.encode(road, StandardCharsets.UTF_8) + "&limit=21", token).statusCode());
        assertEquals(400, Http.get("/api/v1/search?q=x&cursor=bm90LWEtY3Vyc29y", token).statusCode(), "a cursor of ours only");
        assertEquals(400, Http.get("/api/v1/search?q=x&kind=grid&cursor=" + cursor, token).statusCode(), "a house cursor is for houses");
        assertEquals(400, Http.get("/api/v1/search?q=x&kind=planets", token).statusCode());
        assertEquals(400, Http.get("/api/v1/search?q=a%00b", token).statusCode(), "no control characters");
    }

    @Test
    void aShortPartFindsNoHouseByItsAddressButTheCodeStill() throws Exception {
        String token = Http.token("command");
        String[] house = row("SELECT code, address FROM house ORDER BY code LIMIT 1");
        String two = house[1].substring(6, 8);
        assertTrue(items(search(two, token)).stream().noneMatch(i -> i.getString("kind").equals("house")),
                "two characters would match addresses all over the district: no scan for them");
        assertTrue(items(search(house[0], token)).stream().anyMatch(i -> i.getString("code").equals(house[0])),
                "a house code finds its house");
    }

    @Test
    void theAddressIndexServesTheRequestRole() throws Exception {
        assertEquals("true", row("SELECT proleakproof::text FROM pg_proc WHERE proname = 'textlike'")[0],
                "LIKE may drive an index scan under row-level security");
        String plan;
        try (var c = TestServer.get().db.connection(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("SELECT set_config('role', 'gridctl_app', true), set_config('gridctl.scope_kind', 'district', true),"
                    + " set_config('gridctl.scope_code', '440105', true), set_config('enable_seqscan', 'off', true)");
            StringBuilder sb = new StringBuilder();
            try (var rs = st.executeQuery("EXPLAIN SELECT code FROM house WHERE address LIKE '%晓港湾路%'")) {
                while (rs.next()) {
                    sb.append(rs.getString(1)).append('\n');
                }
            }
            c.rollback();
            plan = sb.toString();
        }
        assertTrue(plan.contains("house_address_trgm"), "the trigram index answers an address part: " + plan);
    }

    @Test
    void eachUserHasASearchBudget() {
        String token = Http.token("peer");
        HttpResponse<String> refused = null;
        int passed = 0;
        for (int i = 0; i < 40 && refused == null; i++) {
            HttpResponse<String> r = Http.get("/api/v1/search?q=" + URLEncoder.encode("路" + i, StandardCharsets.UTF_8), token);
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                assertEquals(200, r.statusCode(), r.body());
                passed++;
            }
        }
        assertTrue(refused != null, "40 searches at once are past the budget");
        assertTrue(passed >= 20, "a burst of 20 passes first: " + passed);
        assertEquals("too_many_requests", Http.json(refused).getJsonObject("error").getString("code"));
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After in seconds: " + retryAfter);
        assertEquals(200, Http.get("/api/v1/search?q=x", Http.token("command-" + STREET)).statusCode(),
                "another user's budget is their own");
    }

    @Test
    void badSearchesAre400s() {
        String token = Http.token("command");
        for (String q : new String[] {"", "%20%20", "a".repeat(51)}) {
            HttpResponse<String> r = Http.get("/api/v1/search?q=" + q, token);
            assertEquals(400, r.statusCode(), q + ": " + r.body());
            assertEquals("invalid_parameter", Http.json(r).getJsonObject("error").getString("code"));
        }
        assertEquals(401, Http.get("/api/v1/search?q=x", null).statusCode());
    }

    @Test
    void aHouseAndAnEnterpriseAsTheDetailPanelShowsThem() throws Exception {
        String token = Http.token("command");
        String[] house = row("""
                SELECT h.code, h.address, h.grid_code, (SELECT count(*) FROM person p WHERE p.house_code = h.code)::text
                FROM house h ORDER BY h.code LIMIT 1""");
        JsonObject h = Http.json(Http.get("/api/v1/houses/" + house[0], token));
        assertEquals(house[1], h.getString("address"));
        assertEquals(house[2], h.getString("gridCode"));
        assertEquals(Long.parseLong(house[3]), h.getLong("residents"));
        assertTrue(h.getString("streetName").endsWith("街道"), h.encode());

        String[] e = row("SELECT credit_code, name, grid_code FROM enterprise ORDER BY credit_code LIMIT 1");
        JsonObject ent = Http.json(Http.get("/api/v1/enterprises/" + e[0], token));
        assertEquals(e[1], ent.getString("name"));
        assertEquals(e[2], ent.getString("gridCode"));

        assertEquals(400, Http.get("/api/v1/houses/abc", token).statusCode());
        assertEquals(400, Http.get("/api/v1/enterprises/not-a-credit-code", token).statusCode());
        assertEquals(404, Http.get("/api/v1/houses/" + "9".repeat(19), token).statusCode());
        String foreign = row("SELECT code FROM house WHERE street_code <> '" + STREET + "' ORDER BY code LIMIT 1")[0];
        assertEquals(404, Http.get("/api/v1/houses/" + foreign, Http.token("command-" + STREET)).statusCode(),
                "a house of another street is not there for a street user");
    }

    @Test
    void openCasesAsPointsAndPerGridMatchTheDatabase() throws Exception {
        String token = Http.token("command");
        JsonObject points = Http.json(Http.get("/api/v1/cases/map", token));
        long open = Long.parseLong(row("SELECT count(*)::text FROM civic_case WHERE state NOT IN ('closed', 'evaluated', 'rejected', 'returned_up')")[0]);
        assertEquals(open, points.getLong("total"));
        for (Object o : points.getJsonArray("items")) {
            JsonObject c = (JsonObject) o;
            assertTrue(c.containsKey("lon") && c.containsKey("lat") && c.containsKey("state"), c.encode());
            assertTrue(!List.of("closed", "evaluated", "rejected").contains(c.getString("state")), c.encode());
        }
        JsonArray byGrid = Http.json(Http.get("/api/v1/cases/by-grid", token)).getJsonArray("items");
        long sum = byGrid.stream().map(JsonObject.class::cast).mapToLong(g -> g.getLong("open")).sum();
        long withGrid = Long.parseLong(row("SELECT count(*)::text FROM civic_case WHERE grid_code IS NOT NULL AND state NOT IN ('closed', 'evaluated', 'rejected', 'returned_up')")[0]);
        assertEquals(withGrid, sum);
        for (Object o : Http.json(Http.get("/api/v1/cases/by-grid", Http.token("command-" + STREET))).getJsonArray("items")) {
            assertTrue(((JsonObject) o).getString("grid").startsWith(STREET), "a street user counts only their street");
        }
    }

    @Test
    void mapSettingsAndAreaLabels() throws Exception {
        String token = Http.token("command");
        JsonObject config = Http.json(Http.get("/api/v1/map-config", token));
        assertNull(config.getValue("baseMap"), "no base map unless one is configured (no internet here)");
        assertEquals(15, config.getJsonObject("layers").getJsonObject("houses").getInteger("minzoom"));
        for (Object o : Http.json(Http.get("/api/v1/areas?level=community", token)).getJsonArray("items")) {
            JsonObject a = (JsonObject) o;
            JsonObject label = a.getJsonObject("label");
            String inside = row("SELECT ST_Contains(geom, ST_SetSRID(ST_MakePoint(" + label.getDouble("lon") + ", "
                    + label.getDouble("lat") + "), 4326))::text FROM admin_area WHERE code = '" + a.getString("code") + "'")[0];
            assertEquals("true", inside, "the label of " + a.getString("name") + " is inside it");
        }
    }

    private static JsonObject search(String q, String token) {
        HttpResponse<String> r = Http.get("/api/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), token);
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r);
    }

    private static List<JsonObject> items(JsonObject answer) {
        return answer.getJsonArray("items").stream().map(JsonObject.class::cast).toList();
    }

    private static String[] row(String sql) throws Exception {
        return TestServer.get().firstRow(sql);
    }
}
