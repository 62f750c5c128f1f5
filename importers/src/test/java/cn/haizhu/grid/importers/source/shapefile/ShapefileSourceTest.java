package cn.haizhu.grid.importers.source.shapefile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceRecord;
import com.linuxense.javadbf.DBFDataType;
import com.linuxense.javadbf.DBFField;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKTReader;

class ShapefileSourceTest {
    static final Charset GBK = Charset.forName("GBK");
    /** EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E) as ArcGIS writes it in a .prj. */
    static final String PRJ_4547 = TestShapefileWriter.PRJ_4547;

    // Haizhu in EPSG:4547 metres: x ≈ 430 km, y ≈ 2555 km
    static final String GRID_WITH_HOLE = "POLYGON ((430000 2555000, 430400 2555000, 430400 2555400, 430000 2555400, 430000 2555000),"
            + " (430100 2555100, 430100 2555200, 430200 2555200, 430200 2555100, 430100 2555100))";
    static final String GRID_MULTI = "MULTIPOLYGON (((431000 2555000, 431300 2555000, 431300 2555300, 431000 2555300, 431000 2555000),"
            + " (431100 2555100, 431100 2555200, 431200 2555200, 431200 2555100, 431100 2555100)),"
            + " ((432000 2555000, 432100 2555000, 432100 2555100, 432000 2555100, 432000 2555000)))";

    @TempDir
    Path tmp;

    static DBFField[] gridFields() {
        return new DBFField[] {
            new DBFField("GRID_CODE", DBFDataType.CHARACTER, 14),
            new DBFField("名称", DBFDataType.CHARACTER, 60),
            new DBFField("AREA_M2", DBFDataType.NUMERIC, 12, 2),
        };
    }

    static List<Object[]> gridRows() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"44010500110101", "下渡社区01网格", new BigDecimal("150000.50")});
        rows.add(new Object[] {"44010500110102", "下渡社区02网格", new BigDecimal("100000")});
        rows.add(new Object[] {"44010500110103", null, null});
        return rows;
    }

    static List<TestShapefileWriter.Shape> gridShapes() throws Exception {
        WKTReader wkt = new WKTReader();
        List<TestShapefileWriter.Shape> shapes = new ArrayList<>();
        shapes.add(TestShapefileWriter.Shape.of(wkt.read(GRID_WITH_HOLE)));
        shapes.add(TestShapefileWriter.Shape.of(wkt.read(GRID_MULTI)));
        shapes.add(null);
        return shapes;
    }

    private Path writeGrids(Path dir, Charset dbfCharset, int ldid, String cpg) throws Exception {
        TestShapefileWriter.write(dir, "grid", TestShapefileWriter.POLYGON, gridShapes(), gridFields(), gridRows(),
                dbfCharset, ldid, cpg, PRJ_4547);
        return dir.resolve("grid.shp");
    }

    private static List<SourceRecord> readAll(RecordSource s) throws IOException {
        List<SourceRecord> out = new ArrayList<>();
        for (SourceRecord r; (r = s.next()) != null; ) {
            out.add(r);
        }
        return out;
    }

    private void assertGrids(RecordSource src, String basis) throws Exception {
        assertEquals(List.of("GRID_CODE", "名称", "AREA_M2"), src.columns());
        assertTrue(src.hasGeometry());
        assertEquals(PRJ_4547, src.declaredCrs().orElseThrow());
        assertEquals(basis, ((ShapefileSource) src).charsetBasis());
        assertTrue(src.progress() >= 0 && src.progress() < 0.5, "progress before reading: " + src.progress());
        List<SourceRecord> rows = readAll(src);
        assertEquals(1.0, src.progress(), 1e-9);
        assertEquals(3, rows.size());
        WKTReader wkt = new WKTReader();

        SourceRecord first = rows.get(0);
        assertEquals(1, first.row());
        assertEquals(List.of("44010500110101", "下渡社区01网格", "150000.50"), first.values());
        Polygon p = assertInstanceOf(Polygon.class, first.geometry());
        assertEquals(1, p.getNumInteriorRing());
        assertTrue(p.equalsTopo(wkt.read(GRID_WITH_HOLE)));
        assertTrue(p.isValid());

        SourceRecord second = rows.get(1);
        assertEquals("下渡社区02网格", second.values().get(1));
        assertEquals("100000.00", second.values().get(2));
        MultiPolygon mp = assertInstanceOf(MultiPolygon.class, second.geometry());
        assertEquals(2, mp.getNumGeometries());
        assertTrue(mp.equalsTopo(wkt.read(GRID_MULTI)));
        assertTrue(mp.isValid());

        SourceRecord third = rows.get(2);
        assertEquals(3, third.row());
        assertNull(third.geometry());
        assertEquals("44010500110103", third.values().get(0));
        assertNull(third.values().get(1));
        assertNull(third.values().get(2));
        assertNull(src.next());
    }

    @Test
    void gbkWithCpg() throws Exception {
        try (RecordSource src = ShapefileSource.open(writeGrids(tmp, GBK, 0x00, "GBK"), null)) {
            assertGrids(src, "cpg");
        }
    }

    @Test
    void gbkFromLanguageDriverByte() throws Exception {
        try (RecordSource src = ShapefileSource.open(writeGrids(tmp, GBK, 0x4D, null), null)) {
            assertGrids(src, "ldid");
        }
    }

    @Test
    void utf8WithCpg() throws Exception {
        try (RecordSource src = ShapefileSource.open(writeGrids(tmp, StandardCharsets.UTF_8, 0x00, "UTF-8"), null)) {
            assertGrids(src, "cpg");
        }
    }

    @Test
    void withoutHintsUtf8IsRecognisedAndGbkIsTheDefault() throws Exception {
        try (RecordSource src = ShapefileSource.open(writeGrids(tmp.resolve("u"), StandardCharsets.UTF_8, 0x00, null), null)) {
            assertGrids(src, "content");
            assertEquals(StandardCharsets.UTF_8, ((ShapefileSource) src).charset());
        }
        try (RecordSource src = ShapefileSource.open(writeGrids(tmp.resolve("g"), GBK, 0x57, null), null)) {
            assertGrids(src, "content");
            assertEquals("GB18030", ((ShapefileSource) src).charset().name());
        }
    }

    @Test
    void explicitEncodingWinsOverAWrongCpg() throws Exception {
        try (RecordSource src = ShapefileSource.open(writeGrids(tmp, GBK, 0x00, "UTF-8"), GBK)) {
            assertGrids(src, "explicit");
        }
    }

    @Test
    void cpgNames() {
        assertEquals("GB18030", DbfEncoding.fromCpg("936").name());
        assertEquals("GB18030", DbfEncoding.fromCpg("GB2312\r\n").name());
        assertEquals("GB18030", DbfEncoding.fromCpg("ANSI 936").name());
        assertEquals("GB18030", DbfEncoding.fromCpg("cp936").name());
        assertEquals(StandardCharsets.UTF_8, DbfEncoding.fromCpg("65001"));
        assertEquals(StandardCharsets.UTF_8, DbfEncoding.fromCpg("utf-8"));
        assertEquals("windows-1252", DbfEncoding.fromCpg("1252").name());
        assertNull(DbfEncoding.fromCpg("no-such-charset"));
        assertNull(DbfEncoding.fromCpg(""));
        assertNull(DbfEncoding.fromLdid(0x00));
        assertNull(DbfEncoding.fromLdid(0x57));
        assertEquals("GB18030", DbfEncoding.fromLdid(0x7A).name());
    }

    @Test
    void zipWithTheShapefileInASubfolder() throws Exception {
        Path dir = tmp.resolve("src");
        writeGrids(dir, GBK, 0x00, "GBK");
        Path zip = tmp.resolve("网格.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
             Stream<Path> files = Files.list(dir)) {
            out.putNextEntry(new ZipEntry("海珠区/"));
            out.closeEntry();
            for (Path f : files.sorted().toList()) {
                // upper-case extensions, as some Windows tools write them
                String name = f.getFileName().toString();
                String upper = name.substring(0, name.lastIndexOf('.')) + name.substring(name.lastIndexOf('.')).toUpperCase();
                out.putNextEntry(new ZipEntry("海珠区/" + upper));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("__MACOSX/海珠区/._grid.shp"));
            out.write(new byte[] {0, 5, 22, 7});
            out.closeEntry();
        }
        List<Path> tempsBefore = haizhuTemps();
        RecordSource src = ShapefileSource.open(zip, null);
        try {
            assertGrids(src, "cpg");
            assertEquals(tempsBefore.size() + 1, haizhuTemps().size());
        } finally {
            src.close();
        }
        assertEquals(tempsBefore, haizhuTemps());
    }

    @Test
    void zipWithoutShapefileOrWithSeveral() throws Exception {
        Path empty = tmp.resolve("empty.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(empty))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.closeEntry();
        }
        IOException e = assertThrows(IOException.class, () -> ShapefileSource.open(empty, null));
        assertTrue(e.getMessage().contains("no .shp"), e.getMessage());

        Path two = tmp.resolve("two.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(two))) {
            for (String n : List.of("a.shp", "b/b.shp")) {
                out.putNextEntry(new ZipEntry(n));
                out.closeEntry();
            }
        }
        e = assertThrows(IOException.class, () -> ShapefileSource.open(two, null));
        assertTrue(e.getMessage().contains("a.shp") && e.getMessage().contains("b/b.shp"), e.getMessage());

        Path notZip = tmp.resolve("broken.zip");
        Files.writeString(notZip, "not a zip at all");
        e = assertThrows(IOException.class, () -> ShapefileSource.open(notZip, null));
        assertTrue(e.getMessage().contains("broken.zip"), e.getMessage());
    }

    private static List<Path> haizhuTemps() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("haizhu-shp-")).sorted().toList();
        }
    }

    @Test
    void pointZShapefileKeepsXyAndSkipsZm() throws Exception {
        List<TestShapefileWriter.Shape> shapes = new ArrayList<>();
        shapes.add(new TestShapefileWriter.Shape(List.<Coordinate[]>of(new Coordinate[] {new Coordinate(430123.25, 2555456.75, 12)})));
        shapes.add(new TestShapefileWriter.Shape(List.<Coordinate[]>of(new Coordinate[] {new Coordinate(430200, 2555500, 8)})));
        DBFField[] fields = {new DBFField("NAME", DBFDataType.CHARACTER, 40), new DBFField("FLOORS", DBFDataType.NUMERIC, 3, 0)};
        List<Object[]> rows = List.of(new Object[] {"江南大道中1号", new BigDecimal(12)}, new Object[] {"新港西路2号", new BigDecimal(7)});
        TestShapefileWriter.write(tmp, "house", TestShapefileWriter.POINT_Z, shapes, fields, rows, GBK, 0x4D, null, null);
        try (RecordSource src = ShapefileSource.open(tmp.resolve("house.shp"), null)) {
            assertTrue(src.declaredCrs().isEmpty());
            List<SourceRecord> all = readAll(src);
            assertEquals(2, all.size());
            Point p = assertInstanceOf(Point.class, all.get(0).geometry());
            assertEquals(430123.25, p.getX());
            assertEquals(2555456.75, p.getY());
            assertEquals(List.of("江南大道中1号", "12"), all.get(0).values());
            assertEquals(List.of("新港西路2号", "7"), all.get(1).values());
        }
    }

    @Test
    void holesGoToTheShellThatContainsThemWhateverTheRingOrder() throws Exception {
        WKTReader wkt = new WKTReader();
        Polygon a = (Polygon) wkt.read("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))").norm();
        Polygon b = (Polygon) wkt.read("POLYGON ((20 0, 30 0, 30 10, 20 10, 20 0), (22 2, 22 4, 24 4, 24 2, 22 2))").norm();
        // file order: b's hole, a's shell, b's shell, a's hole
        List<Coordinate[]> parts = List.of(b.getInteriorRingN(0).getCoordinates(), a.getExteriorRing().getCoordinates(),
                b.getExteriorRing().getCoordinates(), a.getInteriorRingN(0).getCoordinates());
        TestShapefileWriter.write(tmp, "mixed", TestShapefileWriter.POLYGON, List.of(new TestShapefileWriter.Shape(parts)),
                new DBFField[] {new DBFField("ID", DBFDataType.CHARACTER, 4)}, List.<Object[]>of(new Object[] {"1"}),
                StandardCharsets.US_ASCII, 0, null, null);
        try (RecordSource src = ShapefileSource.open(tmp.resolve("mixed.shp"), null)) {
            Geometry g = src.next().geometry();
            MultiPolygon mp = assertInstanceOf(MultiPolygon.class, g);
            assertTrue(mp.isValid());
            assertTrue(mp.equalsTopo(a.union(b)));
            assertEquals(1, ((Polygon) mp.getGeometryN(0)).getNumInteriorRing());
            assertEquals(1, ((Polygon) mp.getGeometryN(1)).getNumInteriorRing());
        }
    }

    @Test
    void deletedDbfRecordsAreSkippedWithTheirShapes() throws Exception {
        Path shp = writeGrids(tmp, GBK, 0x4D, null);
        TestShapefileWriter.markDeleted(tmp.resolve("grid.dbf"), 0);
        try (RecordSource src = ShapefileSource.open(shp, null)) {
            List<SourceRecord> all = readAll(src);
            assertEquals(2, all.size());
            assertEquals(2, all.get(0).row());
            assertEquals("下渡社区02网格", all.get(0).values().get(1));
            assertInstanceOf(MultiPolygon.class, all.get(0).geometry());
        }
    }

    @Test
    void truncatedShpNamesTheRecordAndOffset() throws Exception {
        Path shp = writeGrids(tmp, GBK, 0x4D, null);
        byte[] full = Files.readAllBytes(shp);
        // record 1: 8 + 4+32+8+8+10*16 = 220 bytes from offset 100; cut record 2 in its middle
        Files.write(shp, java.util.Arrays.copyOf(full, 100 + 220 + 50));
        try (RecordSource src = ShapefileSource.open(shp, null)) {
            assertInstanceOf(Polygon.class, src.next().geometry());
            IOException e = assertThrows(IOException.class, src::next);
            assertTrue(e.getMessage().startsWith("shapefile truncated at record 2 (byte offset 320"), e.getMessage());
        }
    }

    @Test
    void missingDbfOrShxIsNamed() throws Exception {
        Path shp = writeGrids(tmp.resolve("a"), GBK, 0x4D, null);
        Files.delete(tmp.resolve("a/grid.dbf"));
        IOException e = assertThrows(IOException.class, () -> ShapefileSource.open(shp, null));
        assertTrue(e.getMessage().contains("grid.dbf"), e.getMessage());

        Path shp2 = writeGrids(tmp.resolve("b"), GBK, 0x4D, null);
        Files.delete(tmp.resolve("b/grid.shx"));
        e = assertThrows(IOException.class, () -> ShapefileSource.open(shp2, null));
        assertTrue(e.getMessage().contains("grid.shx"), e.getMessage());
    }

    @Test
    void sideFilesMatchCaseInsensitively() throws Exception {
        Path dir = tmp.resolve("c");
        writeGrids(dir, GBK, 0x00, "GBK");
        Files.move(dir.resolve("grid.dbf"), dir.resolve("grid.DBF"));
        Files.move(dir.resolve("grid.cpg"), dir.resolve("grid.Cpg"));
        try (RecordSource src = ShapefileSource.open(dir.resolve("grid.shp"), null)) {
            assertGrids(src, "cpg");
        }
    }

    @Test
    void recordCountMismatchIsAnError() throws Exception {
        Path shp = writeGrids(tmp.resolve("a"), GBK, 0x4D, null);
        List<Object[]> four = new ArrayList<>(gridRows());
        four.add(new Object[] {"44010500110104", "多出来的", null});
        TestShapefileWriter.writeDbf(tmp.resolve("a/grid.dbf"), gridFields(), four, GBK, 0x4D);
        IOException e = assertThrows(IOException.class, () -> ShapefileSource.open(shp, null));
        assertTrue(e.getMessage().contains("record count mismatch"), e.getMessage());

        // .shx agrees with the .dbf but the .shp holds fewer shapes
        Path dir = tmp.resolve("b");
        Path shp2 = writeGrids(dir, GBK, 0x4D, null);
        List<TestShapefileWriter.Shape> two = gridShapes().subList(0, 2);
        TestShapefileWriter.writeShpShx(shp2, tmp.resolve("b-unused.shx"), TestShapefileWriter.POLYGON, two);
        try (RecordSource src = ShapefileSource.open(shp2, null)) {
            src.next();
            src.next();
            e = assertThrows(IOException.class, src::next);
            assertTrue(e.getMessage().contains("record count mismatch"), e.getMessage());
        }
    }

    @Test
    void notAShapefile() throws Exception {
        Path shp = writeGrids(tmp, GBK, 0x4D, null);
        try (OutputStream out = Files.newOutputStream(shp)) {
            out.write("this is not a shapefile, it is a text file that is long enough to have 100 bytes......................".getBytes());
        }
        IOException e = assertThrows(IOException.class, () -> ShapefileSource.open(shp, null));
        assertTrue(e.getMessage().contains("not a shapefile"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("nothing.shp")));
        assertThrows(IOException.class, () -> ShapefileSource.open(tmp.resolve("nothing.shp"), null));
    }

    /** A shapefile as GDAL writes it (GBK .dbf with a .cpg, .prj); skipped where GDAL is not installed. */
    @Test
    void readsWhatGdalWrites() throws Exception {
        Path geojson = tmp.resolve("in.geojson");
        Files.writeString(geojson, """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"名称":"下渡社区01网格","houses":120},
                  "geometry":{"type":"Polygon","coordinates":[[[113.30,23.09],[113.31,23.09],[113.31,23.10],[113.30,23.10],[113.30,23.09]],
                   [[113.302,23.092],[113.302,23.094],[113.304,23.094],[113.304,23.092],[113.302,23.092]]]}},
                 {"type":"Feature","properties":{"名称":"下渡社区02网格","houses":80},
                  "geometry":{"type":"MultiPolygon","coordinates":[[[[113.40,23.09],[113.41,23.09],[113.41,23.10],[113.40,23.10],[113.40,23.09]]],
                   [[[113.42,23.09],[113.43,23.09],[113.43,23.10],[113.42,23.10],[113.42,23.09]]]]}}
                ]}""", StandardCharsets.UTF_8);
        Path out = tmp.resolve("gdal");
        Assumptions.assumeTrue(run("ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=GBK", "-nlt", "MULTIPOLYGON",
                out.toString(), geojson.toString(), "-nln", "grid"), "ogr2ogr (GDAL) not available");
        try (RecordSource src = ShapefileSource.open(out.resolve("grid.shp"), null)) {
            assertEquals(List.of("名称", "houses"), src.columns());
            assertTrue(src.declaredCrs().orElseThrow().startsWith("GEOGCS["), src.declaredCrs().toString());
            List<SourceRecord> rows = readAll(src);
            assertEquals(List.of("下渡社区01网格", "120"), rows.get(0).values());
            assertEquals(List.of("下渡社区02网格", "80"), rows.get(1).values());
            Polygon p = assertInstanceOf(Polygon.class, rows.get(0).geometry());
            assertEquals(1, p.getNumInteriorRing());
            assertEquals(2, rows.get(1).geometry().getNumGeometries());
        }
    }

    static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
