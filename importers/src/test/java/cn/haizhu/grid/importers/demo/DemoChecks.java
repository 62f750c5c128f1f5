package cn.haizhu.grid.importers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.areas.ReferenceAreas;
import cn.haizhu.grid.data.codes.CreditCode;
import cn.haizhu.grid.data.codes.GridCode;
import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.codes.PhoneNumber;
import cn.haizhu.grid.importers.source.SourceRecord;
import cn.haizhu.grid.importers.source.csv.CsvSource;
import cn.haizhu.grid.importers.source.geojson.GeoJsonFeatures;
import cn.haizhu.grid.importers.source.geojson.GeoJsonFeatures.Feature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/**
 * Reads a generated demo folder back with the project's own CSV and GeoJSON readers and checks
 * every row against the documented format and the code validators. Streams the CSV files, so it
 * runs on the full-scale set too.
 */
final class DemoChecks {
    static final Pattern DECIMAL7 = Pattern.compile("\\d{2,3}\\.\\d{7}");
    static final Set<String> USES = Set.of("住宅", "商业金融信息", "办公", "工业交通仓储", "其他");
    static final Set<String> HOUSEHOLD_TYPES = Set.of("户籍", "流动", "境外");
    static final Set<String> TAGS = Set.of("独居老人", "残疾人", "低保户", "刑释人员", "社区矫正人员", "严重精神障碍患者", "留守儿童");
    static final Set<String> INDUSTRIES = Set.of("批发和零售业", "住宿和餐饮业", "信息传输软件和信息技术服务业", "租赁和商务服务业",
            "制造业", "房地产业", "科学研究和技术服务业", "居民服务修理和其他服务业", "交通运输仓储和邮政业", "文化体育和娱乐业");

    /** What the checks counted, for assertions on proportions. */
    record Stats(int houses, int persons, int enterprises, Map<String, Integer> uses, Map<String, Integer> householdTypes,
            Map<String, Integer> tags, int emptyHouses, int personsWithPhone) {
    }

    private DemoChecks() {
    }

    static Stats assertValid(DemoManifest m) throws IOException {
        for (Path f : m.files()) {
            assertPlainUtf8Lines(f);
        }
        Map<String, Geometry> grids = assertAreas(m);
        Map<String, IndexedPointInAreaLocator> locators = new HashMap<>();
        grids.forEach((code, g) -> locators.put(code, new IndexedPointInAreaLocator(g)));
        Map<String, Integer> uses = new TreeMap<>();
        Map<String, String> houseUse = new HashMap<>();
        int houses = 0;
        try (CsvSource in = open(m.housesFile())) {
            assertEquals(List.of("house_code", "address", "building", "unit", "floor", "room", "use", "lon", "lat"), in.columns());
            String lastGrid = "";
            int expectedSeq = 0;
            for (List<String> r = values(in.next()); r != null; r = values(in.next())) {
                assertEquals(9, r.size(), r.toString());
                String code = r.get(0);
                assertTrue(code.matches("\\d{19}"), code);
                String grid = code.substring(0, 14);
                expectedSeq = grid.equals(lastGrid) ? expectedSeq + 1 : 1;
                lastGrid = grid;
                assertEquals(expectedSeq, Integer.parseInt(code.substring(14)), "house codes run 00001.. within grid " + grid);
                assertTrue(r.get(1).startsWith("广州市海珠区") && r.get(1).matches(".+\\d+号.*\\d+[房铺室]"), r.get(1));
                assertTrue(r.get(2).matches("\\d*") && r.get(3).matches("\\d*") && r.get(5).matches("\\d{3,4}"), r.toString());
                int floor = Integer.parseInt(r.get(4));
                assertTrue(floor >= 1 && floor <= 33, r.toString());
                assertTrue(USES.contains(r.get(6)), r.get(6));
                uses.merge(r.get(6), 1, Integer::sum);
                IndexedPointInAreaLocator locator = locators.get(grid);
                assertNotNull(locator, "house " + code + " names no grid");
                assertEquals(Location.INTERIOR, locator.locate(point(r.get(7), r.get(8))), "house " + code + " is not strictly inside its grid");
                assertEquals(null, houseUse.put(code, r.get(6)), "repeated house code " + code);
                houses++;
            }
        }
        assertEquals(m.houses(), houses);

        Map<String, Integer> types = new TreeMap<>();
        Map<String, Integer> tags = new TreeMap<>();
        Set<String> ids = new HashSet<>(m.persons() * 2);
        Map<String, Integer> occupants = new HashMap<>();
        List<String[]> lonely = new ArrayList<>();
        int persons = 0;
        int phones = 0;
        try (CsvSource in = open(m.personsFile())) {
            assertEquals(List.of("id_number", "name", "gender", "birth_date", "household_type", "phone", "tags", "house_code"), in.columns());
            for (List<String> r = values(in.next()); r != null; r = values(in.next())) {
                assertEquals(8, r.size(), r.toString());
                String id = r.get(0);
                assertEquals(Optional.empty(), IdNumber.problem(id), id);
                assertTrue(ids.add(id), "repeated ID number " + id);
                assertTrue(r.get(1).matches("\\p{IsHan}{2,4}"), r.get(1));
                assertEquals(IdNumber.gender(id) == 'M' ? "男" : "女", r.get(2), id);
                LocalDate birth = LocalDate.parse(r.get(3));
                assertEquals(IdNumber.birthDate(id), birth, id);
                assertTrue(HOUSEHOLD_TYPES.contains(r.get(4)), r.get(4));
                types.merge(r.get(4), 1, Integer::sum);
                if (!r.get(5).isEmpty()) {
                    assertEquals(Optional.of(PhoneNumber.Kind.MOBILE), PhoneNumber.kind(r.get(5)), r.get(5));
                    phones++;
                }
                int age = Period.between(birth, DemoGenerator.AS_OF).getYears();
                if (!r.get(6).isEmpty()) {
                    Set<String> own = new HashSet<>();
                    for (String t : r.get(6).split(";")) {
                        assertTrue(TAGS.contains(t), t);
                        assertTrue(own.add(t), "repeated tag in " + r);
                        tags.merge(t, 1, Integer::sum);
                    }
                    assertTrue(!own.contains("独居老人") || age >= 60, r.toString());
                    assertTrue(!own.contains("留守儿童") || age < 16, r.toString());
                    if (own.contains("独居老人")) {
                        lonely.add(new String[] {r.get(7), id});
                    }
                }
                assertTrue(houseUse.containsKey(r.get(7)), "person lives in unknown house " + r.get(7));
                occupants.merge(r.get(7), 1, Integer::sum);
                persons++;
            }
        }
        assertEquals(m.persons(), persons);
        for (String[] l : lonely) {
            assertEquals(1, occupants.get(l[0]), "独居老人 " + l[1] + " does not live alone");
        }

        Set<String> codes = new HashSet<>();
        Set<String> names = new HashSet<>();
        IndexedPointInAreaLocator district = new IndexedPointInAreaLocator(
                GeoJsonFeatures.read(m.districtFile()).get(0).geometry());
        int enterprises = 0;
        try (CsvSource in = open(m.enterprisesFile())) {
            assertEquals(List.of("credit_code", "name", "industry", "legal_person", "address", "lon", "lat"), in.columns());
            for (List<String> r = values(in.next()); r != null; r = values(in.next())) {
                assertEquals(7, r.size(), r.toString());
                String code = r.get(0);
                assertEquals(Optional.empty(), CreditCode.problem(code), code);
                assertTrue(code.startsWith("91440105") || code.startsWith("92440105"), code);
                assertTrue(codes.add(code), "repeated credit code " + code);
                assertTrue(r.get(1).startsWith("广州") && names.add(r.get(1)), "name not unique or not from Guangzhou: " + r.get(1));
                assertTrue(INDUSTRIES.contains(r.get(2)), r.get(2));
                assertTrue(r.get(3).matches("\\p{IsHan}{2,4}"), r.get(3));
                assertTrue(r.get(4).startsWith("广州市海珠区"), r.get(4));
                assertEquals(Location.INTERIOR, district.locate(point(r.get(5), r.get(6))), "enterprise " + code + " is outside the district");
                enterprises++;
            }
        }
        assertEquals(m.enterprises(), enterprises);
        return new Stats(houses, persons, enterprises, uses, types, tags, houses - occupants.size(), phones);
    }

    /** Checks the four polygon layers; returns the grids by code. */
    static Map<String, Geometry> assertAreas(DemoManifest m) throws IOException {
        List<Feature> district = GeoJsonFeatures.read(m.districtFile());
        assertEquals(1, district.size());
        assertEquals(Map.of("code", "440105", "name", "海珠区"), district.get(0).properties());
        Geometry whole = multiPolygon(district.get(0));

        List<Feature> streets = GeoJsonFeatures.read(m.streetsFile());
        assertEquals(ReferenceAreas.streets().size(), streets.size());
        List<Geometry> streetGeoms = new ArrayList<>();
        for (int i = 0; i < streets.size(); i++) {
            var ref = ReferenceAreas.streets().get(i);
            assertEquals(Map.of("code", ref.code(), "name", ref.name(), "district_code", ref.districtCode()), streets.get(i).properties());
            streetGeoms.add(multiPolygon(streets.get(i)));
        }
        List<Feature> communities = GeoJsonFeatures.read(m.communitiesFile());
        assertEquals(ReferenceAreas.communities().size(), communities.size());
        Map<String, Geometry> communityGeoms = new LinkedHashMap<>();
        for (int i = 0; i < communities.size(); i++) {
            var ref = ReferenceAreas.communities().get(i);
            assertEquals(Map.of("code", ref.code(), "name", ref.name(), "street_code", ref.streetCode()), communities.get(i).properties());
            communityGeoms.put(ref.code(), multiPolygon(communities.get(i)));
        }
        List<Feature> gridFeatures = GeoJsonFeatures.read(m.gridsFile());
        assertEquals(m.grids(), gridFeatures.size());
        Map<String, Geometry> grids = new LinkedHashMap<>();
        Map<String, List<Geometry>> gridsOfCommunity = new LinkedHashMap<>();
        for (Feature f : gridFeatures) {
            String code = f.text("code");
            assertEquals(Optional.empty(), GridCode.problem(code), code);
            String community = code.substring(0, 12);
            List<Geometry> siblings = gridsOfCommunity.computeIfAbsent(community, k -> new ArrayList<>());
            assertEquals(GridCode.of(community, siblings.size() + 1), code, "grids of a community are numbered 01, 02, … in file order");
            String communityName = ReferenceAreas.communities().stream().filter(c -> c.code().equals(community))
                    .findFirst().orElseThrow().name();
            assertEquals(Map.of("code", code, "name", communityName.replace("居委会", "") + code.substring(12) + "网格",
                    "community_code", community, "street_code", code.substring(0, 9)), f.properties());
            Geometry g = multiPolygon(f);
            siblings.add(g);
            grids.put(code, g);
        }
        assertEquals(communityGeoms.keySet(), gridsOfCommunity.keySet(), "every community has grids");
        Polygon outline = Outline.haizhu();
        PartitionChecks.assertPartition("grids.geojson", new ArrayList<>(grids.values()), outline, 1e-6);
        PartitionChecks.assertPartition("streets.geojson", streetGeoms, whole, 1e-15);
        PartitionChecks.assertPartition("communities.geojson", new ArrayList<>(communityGeoms.values()), whole, 1e-15);
        gridsOfCommunity.forEach((c, parts) -> PartitionChecks.assertPartition("grids of " + c, parts, communityGeoms.get(c), 1e-15));
        return grids;
    }

    /** A MultiPolygon whose rings follow RFC 7946: exterior counter-clockwise, holes clockwise. */
    private static Geometry multiPolygon(Feature f) {
        Geometry g = f.geometry();
        assertTrue(g instanceof MultiPolygon, f.properties() + " is a " + g.getGeometryType());
        for (int i = 0; i < g.getNumGeometries(); i++) {
            Polygon p = (Polygon) g.getGeometryN(i);
            assertTrue(Orientation.isCCW(p.getExteriorRing().getCoordinates()), f.properties() + ": exterior ring is clockwise");
            for (int h = 0; h < p.getNumInteriorRing(); h++) {
                assertFalse(Orientation.isCCW(p.getInteriorRingN(h).getCoordinates()), f.properties() + ": hole is counter-clockwise");
            }
        }
        return g;
    }

    /** UTF-8 without BOM, '\n' line ends only, ending in '\n', no quoted CSV fields. */
    static void assertPlainUtf8Lines(Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        boolean first = true;
        int last = -1;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                if (first) {
                    assertFalse(n >= 3 && (buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB, file + " starts with a BOM");
                    first = false;
                }
                for (int i = 0; i < n; i++) {
                    assertTrue(buffer[i] != '\r', file + " has a carriage return");
                    assertTrue(buffer[i] != '"' || file.toString().endsWith(".geojson"), file + " has a quoted field");
                }
                last = buffer[n - 1];
            }
        }
        assertEquals('\n', last, file + " does not end with a line break");
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            char[] chars = new char[1 << 16];
            while (reader.read(chars) > 0) {
                // a malformed byte sequence throws here
            }
        }
    }

    private static List<String> values(SourceRecord r) {
        return r == null ? null : r.values();
    }

    private static CsvSource open(Path file) throws IOException {
        return CsvSource.open(file, StandardCharsets.UTF_8);
    }

    private static Coordinate point(String lon, String lat) {
        assertTrue(DECIMAL7.matcher(lon).matches() && DECIMAL7.matcher(lat).matches(), lon + "," + lat + " do not have 7 decimals");
        return new Coordinate(Double.parseDouble(lon), Double.parseDouble(lat));
    }
}
