package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.demo.DemoDataset;
import cn.haizhu.grid.importers.source.shapefile.TestShapefileWriter;
import com.linuxense.javadbf.DBFDataType;
import com.linuxense.javadbf.DBFField;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.ProjCoordinate;

/**
 * Grid polygons imported as a data officer imports them (GeoJSON, Shapefile, CSV with WKT), against
 * real PostGIS holding the 1% demo district — whose own grids loaded through the same importer.
 * At that scale every community has exactly one demo grid (sequence 01), so each test works in a
 * community of its own and gives its grids sequences from 90 up.
 */
class GridImportIT {
    static Database db;
    static PersonalDataCipher cipher = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());
    static Importer importer;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        db = TestDatabases.fresh("it_grid_import");
        new DemoDataset(0.01, 20240105L, TestDatabases.projectDir().resolve("var/test-data")).ensureLoaded(db, cipher);
        importer = new Importer(db, cipher);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** The demo grid of the k-th community (code order): its code and a point inside it. */
    record Community(String grid, String code, double lon, double lat) {
        String grid(int sequence) {
            return code + sequence;
        }
    }

    static Community community(int k) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT code, community_code, ST_X(p), ST_Y(p) FROM (SELECT code, community_code,"
                     + " ST_PointOnSurface(geom) p FROM grid WHERE code LIKE '%01' ORDER BY code OFFSET " + k + " LIMIT 1) g")) {
            rs.next();
            return new Community(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getDouble(4));
        }
    }

    static long sql(String query, Object... params) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static double number(String query, Object... params) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    static String text(String query, Object... params) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    // ---- building files ---------------------------------------------------------------------------

    /** A square ring of half-size d degrees around (x, y), counter-clockwise. */
    static double[][] square(double x, double y, double d) {
        return new double[][] {{x - d, y - d}, {x + d, y - d}, {x + d, y + d}, {x - d, y + d}, {x - d, y - d}};
    }

    /** The bow-tie: a ring that crosses itself in the middle (two triangles tip to tip). */
    static double[][] bowTie(double x, double y, double d) {
        return new double[][] {{x - d, y - d}, {x + d, y + d}, {x + d, y - d}, {x - d, y + d}, {x - d, y - d}};
    }

    /**
     * A square whose ring dips in to touch itself and so encloses a triangular hole (how ESRI
     * tools write holes): invalid in PostGIS ("Ring Self-intersection"), and ST_MakeValid turns it
     * into one polygon with a hole of the same area. The ring also repeats a vertex.
     */
    static double[][] selfTouching(double x, double y, double d) {
        double u = d / 5;   // the unit of the 10 x 10 figure
        double[][] figure = {{0, 0}, {10, 0}, {10, 0}, {10, 10}, {5, 10}, {7, 5}, {3, 5}, {5, 10}, {0, 10}, {0, 0}};
        double[][] ring = new double[figure.length][];
        for (int i = 0; i < figure.length; i++) {
            ring[i] = new double[] {x - d + figure[i][0] * u, y - d + figure[i][1] * u};
        }
        return ring;
    }

    static String polygonJson(double[][] ring) {
        StringBuilder sb = new StringBuilder("{\"type\":\"Polygon\",\"coordinates\":[[");
        for (int i = 0; i < ring.length; i++) {
            sb.append(i == 0 ? "" : ",").append('[').append(ring[i][0]).append(',').append(ring[i][1]).append(']');
        }
        return sb.append("]]}").toString();
    }

    static String wkt(double[][] ring) {
        StringBuilder sb = new StringBuilder("POLYGON((");
        for (int i = 0; i < ring.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(ring[i][0]).append(' ').append(ring[i][1]);
        }
        return sb.append("))").toString();
    }

    /** A feature with properties (key, value, key, value…) and a geometry given as GeoJSON text. */
    static String feature(String geometryJson, String... properties) {
        StringBuilder sb = new StringBuilder("{\"type\":\"Feature\",\"properties\":{");
        for (int i = 0; i < properties.length; i += 2) {
            sb.append(i == 0 ? "" : ",").append('"').append(properties[i]).append("\":\"").append(properties[i + 1]).append('"');
        }
        return sb.append("},\"geometry\":").append(geometryJson).append('}').toString();
    }

    Path geojson(String name, String... features) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",\n", features) + "]}",
                StandardCharsets.UTF_8);
        return f;
    }

    static ImportRequest request(Path f, String maxErrors) {
        return new ImportRequest(Dataset.GRIDS, f, null, null, null, Map.of(), false,
                maxErrors == null ? ImportRequest.MaxErrors.NONE : ImportRequest.MaxErrors.parse(maxErrors), "it");
    }

    static ImportResult run(Path f) throws Exception {
        return importer.run(request(f, null), ImportProgress.NONE);
    }

    static String report(ImportResult r) throws Exception {
        StringWriter csv = new StringWriter();
        importer.writeRejects(r.jobId(), csv);
        return csv.toString();
    }

    // ---- the tests --------------------------------------------------------------------------------

    @Test
    void splittingAGridMovesItsHousesAndResidentsAndReimportingIsANoOp() throws Exception {
        Community k = community(0);
        String west = k.grid();
        String east = k.grid(99);
        long houses = sql("SELECT count(*) FROM house WHERE grid_code = ?", west);
        assertTrue(houses > 2, "the demo grid has houses to move: " + houses);
        // the demo grid cut halfway between its westernmost and easternmost houses, both halves as GeoJSON from PostGIS
        List<String> features = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("""
                WITH g AS (SELECT geom, ST_Envelope(geom) box,
                                  (SELECT (min(ST_X(h.geom)) + max(ST_X(h.geom))) / 2 FROM house h
                                   WHERE h.grid_code = grid.code) AS cut
                           FROM grid WHERE code = ?)
                SELECT ST_AsGeoJSON(ST_Intersection(geom, ST_MakeEnvelope(ST_XMin(box) - 1, ST_YMin(box) - 1, cut, ST_YMax(box) + 1, 4326)), 15),
                       ST_AsGeoJSON(ST_Intersection(geom, ST_MakeEnvelope(cut, ST_YMin(box) - 1, ST_XMax(box) + 1, ST_YMax(box) + 1, 4326)), 15)
                FROM g""")) {
            ps.setString(1, west);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                features.add(feature(rs.getString(1), "网格编码", west, "网格名称", "西半"));
                features.add(feature(rs.getString(2), "网格编码", east, "网格名称", "东半"));
            }
        }
        Path f = geojson("split.geojson", features.toArray(String[]::new));
        ImportResult first = run(f);
        assertEquals("succeeded", first.status(), first.toString());
        assertEquals(1, first.inserted(), first.toString());
        assertEquals(1, first.updated(), first.toString());
        assertEquals(0, first.rejected() + first.warned(), report(first));
        assertEquals(k.code() + "", text("SELECT community_code FROM grid WHERE code = ?", east), "derived from the code");
        assertEquals(k.code().substring(0, 9), text("SELECT street_code FROM grid WHERE code = ?", east));

        long moved = sql("SELECT count(*) FROM house WHERE grid_code = ?", east);
        assertTrue(moved > 0 && moved < houses, "some of the houses moved to the new grid: " + moved + " of " + houses);
        assertEquals(0, sql("SELECT count(*) FROM house h JOIN grid g ON g.code = h.grid_code WHERE NOT ST_Intersects(g.geom, h.geom)"),
                "every house lies in the grid it carries");
        assertEquals(0, sql("SELECT count(*) FROM enterprise e JOIN grid g ON g.code = e.grid_code WHERE NOT ST_Intersects(g.geom, e.geom)"),
                "every enterprise too");
        assertEquals(0, sql("SELECT count(*) FROM person p JOIN house h ON h.code = p.house_code WHERE p.grid_code <> h.grid_code"),
                "residents follow their house");
        assertEquals(moved, sql("SELECT house_count FROM grid_stats WHERE grid_code = ?", east), "the grid figures are refreshed");

        long changes = sql("SELECT count(*) FROM change_log");
        long t0 = System.nanoTime();
        ImportResult again = run(f);
        assertEquals(0, again.inserted() + again.updated(), again.toString());
        assertEquals(2, again.unchanged());
        assertEquals(changes, sql("SELECT count(*) FROM change_log"), "no change-log entries from a re-import");
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "a re-import is quick");
    }

    @Test
    void aChangedPolygonUpdatesExactlyThatRow() throws Exception {
        Community k = community(1);
        String a = k.grid(98);
        String b = k.grid(97);
        double d = 0.0002;
        Path f1 = geojson("v1.geojson",
                feature(polygonJson(square(k.lon() - 3 * d, k.lat(), d)), "code", a, "name", "甲网格"),
                feature(polygonJson(square(k.lon() + 3 * d, k.lat(), d)), "code", b, "name", "乙网格",
                        "community_code", k.code(), "street_code", k.code().substring(0, 9)));
        ImportResult first = run(f1);
        assertEquals(2, first.inserted(), first.toString());
        long gridChanges = sql("SELECT count(*) FROM change_log WHERE table_name = 'grid'");
        long bVersion = sql("SELECT version FROM grid WHERE code = ?", b);
        Path f2 = geojson("v2.geojson",
                feature(polygonJson(square(k.lon() - 3 * d, k.lat() + d / 2, d)), "code", a, "name", "甲网格"),
                feature(polygonJson(square(k.lon() + 3 * d, k.lat(), d)), "code", b, "name", "乙网格",
                        "community_code", k.code(), "street_code", k.code().substring(0, 9)));
        ImportResult second = run(f2);
        assertEquals(1, second.updated(), second.toString());
        assertEquals(1, second.unchanged(), second.toString());
        assertEquals(0, second.inserted());
        assertEquals(gridChanges + 1, sql("SELECT count(*) FROM change_log WHERE table_name = 'grid'"), "one grid changed");
        assertEquals(bVersion, sql("SELECT version FROM grid WHERE code = ?", b), "the other is untouched");
        assertEquals(k.lat() + d / 2, number("SELECT ST_Y(ST_Centroid(geom)) FROM grid WHERE code = ?", a), 1e-9);
    }

    @Test
    void aBowTieIsRejectedWithItsReasonWhileTheGoodRowsLoad() throws Exception {
        Community k = community(2);
        double d = 0.0002;
        Path f = geojson("bowtie.geojson",
                feature(polygonJson(square(k.lon(), k.lat(), d)), "code", k.grid(96)),
                feature(polygonJson(bowTie(k.lon() + 3 * d, k.lat(), d)), "code", k.grid(95)),
                feature(polygonJson(square(k.lon() - 3 * d, k.lat(), d)), "code", k.grid(94)),
                feature(polygonJson(square(k.lon(), k.lat() + 3 * d, d)), "code", k.grid(96)),
                feature(polygonJson(square(k.lon(), k.lat() - 3 * d, d)), "code", k.grid(93), "community_code", "440105018999"),
                feature("{\"type\":\"LineString\",\"coordinates\":[[" + k.lon() + "," + k.lat() + "],[" + (k.lon() + d) + ","
                        + k.lat() + "]]}", "code", k.grid(92)),
                feature(polygonJson(square(k.lon(), k.lat(), d)), "code", "4401050011010"));
        ImportResult r = run(f);
        assertEquals("succeeded", r.status(), r.toString());
        assertEquals(7, r.read());
        assertEquals(2, r.inserted(), r.toString());
        assertEquals(5, r.rejected(), r.toString());
        assertEquals(0, sql("SELECT count(*) FROM grid WHERE code = ?", k.grid(95)), "the bow-tie is not loaded");
        String report = report(r);
        assertTrue(report.startsWith("\uFEFFrow,severity,field,value,reason_zh,reason_en"), report);
        assertTrue(report.contains("2,error,geometry,"), report);
        assertTrue(report.contains("自相交（8字形）多边形"), report);
        assertTrue(report.contains("self-intersecting (bow-tie) polygon"), report);
        assertTrue(report.contains("与本文件第 1 行重复"), report);
        assertTrue(report.contains("社区编码应为网格编码的前 12 位"), report);
        assertTrue(report.contains("应为面（Polygon/MultiPolygon），实为 LineString"), report);
        assertTrue(report.contains("网格编码不合规"), report);
        assertEquals(5, sql("SELECT rows_rejected FROM import_job WHERE id = ?", r.jobId()));
    }

    @Test
    void aRepairablePolygonLoadsWithAWarningThatDoesNotCountAsAnError() throws Exception {
        Community k = community(3);
        double d = 0.0002;
        double[][] ring = selfTouching(k.lon(), k.lat(), d);
        assertFalse(sql("SELECT ST_IsValid(ST_GeomFromText(?, 4326))::int", wkt(ring)) == 1, "the test polygon is invalid");
        Path f = geojson("repair.geojson",
                feature(polygonJson(ring), "code", k.grid(91), "name", "待修复网格"),
                feature(polygonJson(square(k.lon() + 3 * d, k.lat(), d)), "code", k.grid(90)));
        ImportResult r = importer.run(request(f, "0"), ImportProgress.NONE);
        assertEquals("succeeded", r.status(), "warnings are not errors, even with --max-errors 0: " + r);
        assertEquals(2, r.inserted(), r.toString());
        assertEquals(0, r.rejected());
        assertEquals(1, r.warned());
        assertEquals(1, sql("SELECT rows_warned FROM import_job WHERE id = ?", r.jobId()));
        assertEquals(0, sql("SELECT rows_rejected FROM import_job WHERE id = ?", r.jobId()));
        assertEquals(1, sql("SELECT ST_IsValid(geom)::int FROM grid WHERE code = ?", k.grid(91)));
        assertEquals(1, sql("SELECT ST_NumGeometries(geom) FROM grid WHERE code = ?", k.grid(91)), "one polygon");
        assertEquals(1, sql("SELECT ST_NumInteriorRings(ST_GeometryN(geom, 1)) FROM grid WHERE code = ?", k.grid(91)),
                "the self-touching loop became a hole");
        double original = number("SELECT ST_Area(ST_GeomFromText(?, 4326))", wkt(ring));
        assertEquals(original, number("SELECT ST_Area(geom) FROM grid WHERE code = ?", k.grid(91)), original * 1e-9);
        String report = report(r);
        assertTrue(report.contains("1,warning,geometry,"), report);
        assertTrue(report.contains("已用 ST_MakeValid 自动修复"), report);
        assertTrue(report.contains("repaired with ST_MakeValid"), report);

        ImportResult again = run(f);
        assertEquals(0, again.inserted() + again.updated(), "the repaired polygon is stable: " + again);
        assertEquals(1, again.warned(), "and still reported");
    }

    @Test
    void aShapefileInCgcs2000GaussKrugerLandsWhereItShould() throws Exception {
        Community k = community(4);
        double d = 0.0003;
        double[][] ring = square(k.lon(), k.lat(), d);
        var crsFactory = new CRSFactory();
        var toGk = new CoordinateTransformFactory().createTransform(crsFactory.createFromName("EPSG:4326"),
                crsFactory.createFromName("EPSG:4547"));
        Coordinate[] projected = new Coordinate[ring.length];
        for (int i = 0; i < ring.length; i++) {
            ProjCoordinate out = new ProjCoordinate();
            toGk.transform(new ProjCoordinate(ring[i][0], ring[i][1]), out);
            projected[i] = new Coordinate(out.x, out.y);
        }
        assertTrue(projected[0].x > 400_000 && projected[0].y > 2_500_000, "Gauss-Kruger metres: " + projected[0]);
        var gf = new GeometryFactory();
        Path shp = dir.resolve("网格");
        TestShapefileWriter.write(shp, "wangge", TestShapefileWriter.POLYGON,
                List.of(TestShapefileWriter.Shape.of(gf.createPolygon(projected))),
                new DBFField[] {new DBFField("GRID_CODE", DBFDataType.CHARACTER, 14), new DBFField("网格名称", DBFDataType.CHARACTER, 40)},
                List.<Object[]>of(new Object[] {k.grid(99), "测试网格"}), Charset.forName("GBK"), 0x4D, null,
                TestShapefileWriter.PRJ_4547);
        ImportResult r = importer.run(request(shp.resolve("wangge.shp"), "0"), ImportProgress.NONE);
        assertEquals("succeeded", r.status(), r.toString());
        assertEquals(1, r.inserted());
        assertEquals("测试网格", text("SELECT name FROM grid WHERE code = ?", k.grid(99)));
        String expected = wkt(ring);
        assertTrue(number("SELECT ST_HausdorffDistance(geom, ST_GeomFromText(?, 4326)) FROM grid WHERE code = ?", expected, k.grid(99))
                < 1e-7, "every corner back within about a centimetre of where it was (1e-7 degrees is 1 cm)");
        double area = number("SELECT ST_Area(ST_GeomFromText(?, 4326)::geography)", expected);
        assertEquals(area, number("SELECT area_m2 FROM grid WHERE code = ?", k.grid(99)), area * 1e-6);
    }

    @Test
    void aPolygonOutsideTheDistrictIsRejectedWithAHint() throws Exception {
        Community k = community(5);
        double d = 0.0002;
        Path f = geojson("outside.geojson",
                feature(polygonJson(square(113.9, 22.5, d)), "code", k.grid(98)),             // Shenzhen
                feature(polygonJson(square(k.lat(), k.lon(), d)), "code", k.grid(97)),          // lat/lon swapped
                feature(polygonJson(square(k.lon(), k.lat(), d)), "code", k.grid(96)));
        ImportResult r = run(f);
        assertEquals(1, r.inserted(), r.toString());
        assertEquals(2, r.rejected(), r.toString());
        String report = report(r);
        assertTrue(report.contains("不在本区范围内"), report);
        assertTrue(report.contains("outside the district"), report);
        assertTrue(report.contains("经纬度疑似颠倒"), report);
        assertEquals(0, sql("SELECT count(*) FROM grid WHERE code IN (?, ?)", k.grid(98), k.grid(97)));
    }

    @Test
    void aCsvWithAWktColumnLoads() throws Exception {
        Community k = community(6);
        Path f = dir.resolve("网格.csv");
        Files.writeString(f, "网格编码,网格名称,WKT\n" + k.grid(95) + ",文本网格,\"" + wkt(square(k.lon(), k.lat(), 0.0002)) + "\"\n"
                + k.grid(94) + ",坏网格,\"POLYGON((1 2, 3\"\n", StandardCharsets.UTF_8);
        ImportResult r = run(f);
        assertEquals(1, r.inserted(), r.toString());
        assertEquals(1, r.rejected(), r.toString());
        assertTrue(report(r).contains("不是可读的 WKT"), report(r));
    }

    @Test
    void aFileWithoutTheCodeColumnOrWithoutPolygonsIsRefusedBeforeAnythingLoads() throws Exception {
        Community k = community(7);
        long grids = sql("SELECT count(*) FROM grid");
        Path f = geojson("nocode.geojson", feature(polygonJson(square(k.lon(), k.lat(), 0.0002)), "名称", "无编码网格"));
        var e = assertThrows(Importer.ImportRefused.class, () -> run(f));
        assertTrue(e.getMessage().contains("required column code not found"), e.getMessage());
        assertTrue(e.getMessage().contains("网格编码"), "names the accepted headers: " + e.getMessage());
        assertEquals(1, sql("SELECT count(*) FROM import_job WHERE id = ? AND status = 'failed'", e.jobId()));

        Path csv = dir.resolve("nogeom.csv");
        Files.writeString(csv, "网格编码,网格名称\n" + k.grid(95) + ",无几何\n", StandardCharsets.UTF_8);
        var noPolygons = assertThrows(Importer.ImportRefused.class, () -> run(csv));
        assertTrue(noPolygons.getMessage().contains("no polygons"), noPolygons.getMessage());
        assertEquals(grids, sql("SELECT count(*) FROM grid"), "nothing loaded");
    }
}
