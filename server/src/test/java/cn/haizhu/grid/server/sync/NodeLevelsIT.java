package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.NodeServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * One jar, three levels: a street and a city node start as ./gridctl run starts them, with no
 * records of their own (those come by sync), with the area tree that lets their walls show their
 * place, and tell the pages which platform they are (/api/v1/me, node). The district is the
 * TestServer, as before.
 */
class NodeLevelsIT {
    @Test
    void theDistrictSaysItIsTheDistrict() {
        JsonObject node = Http.json(Http.get("/api/v1/me", Http.token("command"))).getJsonObject("node");
        assertEquals(new JsonObject().put("code", "440105").put("level", "district").put("levelZh", "区级平台")
                .put("levelEn", "district platform").put("name", "海珠区").put("nameEn", "Haizhu"), node);
    }

    @Test
    void aStreetNodeStartsWithItsStreetAndNoRecordsOfItsOwn() throws Exception {
        NodeServer street = NodeServer.get("440105001");
        String token = street.token("command");
        JsonObject me = street.getJson("/api/v1/me", token);
        assertEquals("street", me.getJsonObject("node").getString("level"));
        assertEquals("赤岗街道", me.getJsonObject("node").getString("name"));
        assertNull(me.getJsonObject("node").getString("nameEn"), "no English name in the reference data: the page shows the Chinese one");
        assertEquals(new JsonObject().put("kind", "street").put("code", "440105001"), me.getJsonObject("scope"));

        // its area tree: the district outline, its street, its 16 communities (the reference data's count)
        long communities = cn.haizhu.grid.data.areas.ReferenceAreas.communities().stream()
                .filter(c -> c.streetCode().equals("440105001")).count();
        assertEquals(1, street.count("SELECT count(*) FROM admin_area WHERE level = 'district' AND code = '440105'"));
        assertEquals(1, street.count("SELECT count(*) FROM admin_area WHERE level = 'street'"));
        assertEquals(communities, street.count("SELECT count(*) FROM admin_area WHERE level = 'community' AND street_code = '440105001'"));
        assertEquals(communities + 2, street.count("SELECT count(*) FROM admin_area"), "nothing outside its street");
        // the same record as at the district: same gid, same polygon, the district's origin
        assertEquals(0, street.count("SELECT count(*) FROM admin_area WHERE gid <> gridctl_area_gid(code) OR origin <> '440105'"));
        String[] atDistrict = cn.haizhu.grid.server.TestServer.get().firstRow(
                "SELECT gid::text, md5(ST_AsBinary(geom)) FROM admin_area WHERE code = '440105001'");
        try (var c = street.db.connection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT gid::text, md5(ST_AsBinary(geom)) FROM admin_area WHERE code = '440105001'")) {
            rs.next();
            assertEquals(atDistrict[0], rs.getString(1), "one gid for the street at the street and at the district");
            assertEquals(atDistrict[1], rs.getString(2), "the very polygon the demo district holds");
        }
        // no records of its own
        for (String table : List.of("grid", "house", "person", "enterprise", "civic_case")) {
            assertEquals(0, street.count("SELECT count(*) FROM " + table), table + " comes by sync, not by a demo load");
        }
        JsonObject stats = street.getJson("/api/v1/stats/district", token);
        assertEquals(1, stats.getJsonArray("streets").size());
        assertEquals(communities, stats.getJsonObject("totals").getLong("communities"));
        assertEquals(0L, stats.getJsonObject("totals").getLong("persons"));
        assertEquals(1, street.getJson("/api/v1/areas?level=street", token).getJsonArray("items").size());
    }

    @Test
    void aCityNodeStartsWithItsElevenDistrictsCountingZero() throws Exception {
        NodeServer city = NodeServer.get("440100");
        String token = city.token("command");
        JsonObject node = city.getJson("/api/v1/me", token).getJsonObject("node");
        assertEquals("city", node.getString("level"));
        assertEquals("广州市", node.getString("name"));
        assertEquals("Guangzhou", node.getString("nameEn"));

        JsonArray cities = city.getJson("/api/v1/areas?level=city", token).getJsonArray("items");
        assertEquals(1, cities.size());
        assertEquals("440100", cities.getJsonObject(0).getString("code"));
        JsonArray districts = city.getJson("/api/v1/areas?level=district", token).getJsonArray("items");
        Set<String> codes = new TreeSet<>();
        districts.forEach(d -> codes.add(((JsonObject) d).getString("code")));
        assertEquals(Set.of("440103", "440104", "440105", "440106", "440111", "440112", "440113", "440114", "440115",
                "440117", "440118"), codes);
        assertTrue(districts.stream().allMatch(d -> "440100".equals(((JsonObject) d).getString("parentCode"))),
                "every district hangs under the city");
        // Guangzhou is about 7,434 km²; the outlines are ~100 m precise
        double km2 = cities.getJsonObject(0).getDouble("areaKm2");
        assertTrue(km2 > 7000 && km2 < 7900, "the city's outline is the union of its districts: " + km2 + " km²");
        assertEquals(0, city.count("SELECT count(*) FROM admin_area WHERE gid <> gridctl_area_gid(code)"));
        // each district's outline is a copy of that district's record (its origin), below any version the district
        // makes: the district's own outline replaces it at the first sync, no request, no conflict
        assertEquals(0, city.count("SELECT count(*) FROM admin_area WHERE level = 'district' AND (origin <> code OR version <> 0)"));
        for (String table : List.of("grid", "house", "person", "enterprise", "civic_case")) {
            assertEquals(0, city.count("SELECT count(*) FROM " + table), table + " comes by sync, not by a demo load");
        }

        JsonObject stats = city.getJson("/api/v1/stats/district", token);
        assertEquals("440100", stats.getJsonObject("district").getString("code"));
        assertEquals(11, stats.getJsonArray("districts").size());
        assertEquals(11L, stats.getJsonObject("totals").getLong("districts"));
        JsonObject haizhu = stats.getJsonArray("districts").stream().map(JsonObject.class::cast)
                .filter(d -> d.getString("code").equals("440105")).findFirst().orElseThrow();
        assertEquals(0L, haizhu.getLong("persons"), "zero until Haizhu's records come by sync");

        // a district's records, once the city holds them, count in its row (here written straight in,
        // as a sync apply will): one street, one grid of Haizhu
        try (var c = city.db.connection(); var s = c.createStatement()) {
            s.execute("""
                    INSERT INTO admin_area (code, level, name, parent_code, street_code, geom)
                    SELECT '440105001', 'street', '赤岗街道', '440105', '440105001', geom FROM admin_area WHERE code = '440105';
                    INSERT INTO admin_area (code, level, name, parent_code, street_code, geom)
                    SELECT '440105001101', 'community', '下渡社区居委会', '440105001', '440105001', geom FROM admin_area WHERE code = '440105';
                    INSERT INTO grid (code, name, community_code, street_code, geom)
                    SELECT '44010500110101', '下渡01', '440105001101', '440105001', ST_Multi(ST_Buffer(ST_PointOnSurface(geom)::geography, 50)::geometry)
                    FROM admin_area WHERE code = '440105';
                    SELECT refresh_grid_stats();""");
        }
        JsonObject after = city.getJson("/api/v1/stats/district", token);
        JsonObject haizhuAfter = after.getJsonArray("districts").stream().map(JsonObject.class::cast)
                .filter(d -> d.getString("code").equals("440105")).findFirst().orElseThrow();
        assertEquals(1L, haizhuAfter.getLong("grids"));
        assertEquals(1L, haizhuAfter.getLong("streets"));
        assertEquals(1L, after.getJsonObject("totals").getLong("grids"));
    }
}
