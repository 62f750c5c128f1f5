package cn.haizhu.grid.importers.source.flatgeobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKTReader;
import org.wololo.flatgeobuf.generated.ColumnType;
import org.wololo.flatgeobuf.generated.GeometryType;

class FlatGeobufSourceTest {
    static final List<TestFlatGeobufWriter.Col> COLS = List.of(
            new TestFlatGeobufWriter.Col("grid_code", ColumnType.String),
            new TestFlatGeobufWriter.Col("名称", ColumnType.String),
            new TestFlatGeobufWriter.Col("houses", ColumnType.Int),
            new TestFlatGeobufWriter.Col("population", ColumnType.Long),
            new TestFlatGeobufWriter.Col("area_km2", ColumnType.Double),
            new TestFlatGeobufWriter.Col("active", ColumnType.Bool),
            new TestFlatGeobufWriter.Col("updated", ColumnType.DateTime));

    @TempDir
    Path tmp;

    private Path writeGrids(boolean index) throws Exception {
        WKTReader wkt = new WKTReader();
        List<Geometry> geoms = List.of(
                wkt.read("MULTIPOLYGON (((113.30 23.09, 113.30 23.10, 113.31 23.10, 113.31 23.09, 113.30 23.09),"
                        + " (113.302 23.092, 113.304 23.092, 113.304 23.094, 113.302 23.094, 113.302 23.092)))"),
                wkt.read("MULTIPOLYGON (((113.40 23.09, 113.40 23.10, 113.41 23.10, 113.41 23.09, 113.40 23.09)),"
                        + " ((113.42 23.09, 113.42 23.10, 113.43 23.10, 113.43 23.09, 113.42 23.09)))"),
                wkt.read("MULTIPOLYGON (((113.20 23.00, 113.20 23.01, 113.21 23.01, 113.21 23.00, 113.20 23.00)))"));
        List<Object[]> props = List.of(
                new Object[] {"44010500110101", "下渡社区01网格", 120, 3456L, 0.25, true, "2024-03-05T08:30:00Z"},
                new Object[] {"44010500110102", "下渡社区02网格", 80, 12345678901L, 3.0, false, null},
                new Object[] {"44010500110103", null, null, null, null, null, null});
        Path file = tmp.resolve(index ? "grids-indexed.fgb" : "grids.fgb");
        TestFlatGeobufWriter.write(file, (byte) GeometryType.MultiPolygon, 4490, COLS, geoms, props, index);
        return file;
    }

    private static List<SourceRecord> readAll(RecordSource s) throws IOException {
        List<SourceRecord> out = new ArrayList<>();
        for (SourceRecord r; (r = s.next()) != null; ) {
            out.add(r);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gridsWithAndWithoutSpatialIndex(boolean index) throws Exception {
        try (RecordSource src = FlatGeobufSource.open(writeGrids(index))) {
            assertEquals(List.of("grid_code", "名称", "houses", "population", "area_km2", "active", "updated"), src.columns());
            assertEquals("EPSG:4490", src.declaredCrs().orElseThrow());
            assertTrue(src.hasGeometry());
            List<SourceRecord> rows = readAll(src);
            assertEquals(1.0, src.progress(), 1e-9);
            assertEquals(3, rows.size());
            // an indexed file stores features in Hilbert order: find them by code
            SourceRecord first = byCode(rows, "44010500110101");
            assertEquals(List.of("44010500110101", "下渡社区01网格", "120", "3456", "0.25", "true", "2024-03-05T08:30:00Z"),
                    first.values());
            MultiPolygon mp = assertInstanceOf(MultiPolygon.class, first.geometry());
            assertEquals(1, ((Polygon) mp.getGeometryN(0)).getNumInteriorRing());
            SourceRecord second = byCode(rows, "44010500110102");
            assertEquals(Arrays.asList("44010500110102", "下渡社区02网格", "80", "12345678901", "3", "false", null),
                    second.values());
            assertEquals(2, second.geometry().getNumGeometries());
            SourceRecord third = byCode(rows, "44010500110103");
            assertEquals(Arrays.asList("44010500110103", null, null, null, null, null, null), third.values());
            if (!index) {
                assertEquals(List.of(1L, 2L, 3L), rows.stream().map(SourceRecord::row).toList());
            }
        }
    }

    private static SourceRecord byCode(List<SourceRecord> rows, String code) {
        return rows.stream().filter(r -> code.equals(r.values().get(0))).findFirst().orElseThrow();
    }

    @Test
    void points() throws Exception {
        WKTReader wkt = new WKTReader();
        Path file = tmp.resolve("houses.fgb");
        TestFlatGeobufWriter.write(file, (byte) GeometryType.Point, 4326,
                List.of(new TestFlatGeobufWriter.Col("address", ColumnType.String)),
                List.of(wkt.read("POINT (113.3205 23.0957)"), wkt.read("POINT (113.365 23.102)")),
                List.of(new Object[] {"江南大道中1号"}, new Object[] {"新港西路2号"}), false);
        try (RecordSource src = FlatGeobufSource.open(file)) {
            SourceRecord r = src.next();
            Point p = assertInstanceOf(Point.class, r.geometry());
            assertEquals(113.3205, p.getX());
            assertEquals(23.0957, p.getY());
            assertEquals(List.of("江南大道中1号"), r.values());
            assertEquals("新港西路2号", src.next().values().get(0));
            assertNull(src.next());
        }
    }

    @Test
    void truncatedFile() throws Exception {
        Path file = writeGrids(false);
        byte[] full = Files.readAllBytes(file);
        Path cut = tmp.resolve("cut.fgb");
        Files.write(cut, Arrays.copyOf(full, full.length - 20));
        try (RecordSource src = FlatGeobufSource.open(cut)) {
            src.next();
            src.next();
            IOException e = assertThrows(IOException.class, src::next);
            assertTrue(e.getMessage().startsWith("flatgeobuf truncated at feature 3 (byte offset "), e.getMessage());
        }
        // cut exactly between features: the header's feature count gives it away
        Path between = tmp.resolve("between.fgb");
        int lastSize = lastFeatureSize(full);
        Files.write(between, Arrays.copyOf(full, full.length - lastSize));
        try (RecordSource src = FlatGeobufSource.open(between)) {
            src.next();
            src.next();
            IOException e = assertThrows(IOException.class, src::next);
            assertTrue(e.getMessage().contains("truncated at feature 3"), e.getMessage());
        }
        // cut inside the header
        Path header = tmp.resolve("header.fgb");
        Files.write(header, Arrays.copyOf(full, 40));
        IOException e = assertThrows(IOException.class, () -> FlatGeobufSource.open(header));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    /** Walks the size prefixes from the first feature to find the last feature's length. */
    private static int lastFeatureSize(byte[] file) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int pos = 12 + b.getInt(8);
        int last = 0;
        while (pos < file.length) {
            last = 4 + b.getInt(pos);
            pos += last;
        }
        return last;
    }

    @Test
    void notAFlatGeobuf() throws Exception {
        Path f = tmp.resolve("grids.fgb");
        Files.writeString(f, "{\"type\":\"FeatureCollection\",\"features\":[]}", StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> FlatGeobufSource.open(f));
        assertTrue(e.getMessage().contains("not a FlatGeobuf"), e.getMessage());
    }

    @Test
    void corruptFeatureIsAnIOException() throws Exception {
        Path file = writeGrids(false);
        byte[] b = Files.readAllBytes(file);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int first = 12 + bb.getInt(8);
        // overwrite the first feature's body (keep its size prefix) with garbage offsets
        for (int i = first + 4; i < first + 4 + bb.getInt(first); i++) {
            b[i] = (byte) 0x7F;
        }
        Path bad = tmp.resolve("bad.fgb");
        Files.write(bad, b);
        try (RecordSource src = FlatGeobufSource.open(bad)) {
            IOException e = assertThrows(IOException.class, src::next);
            assertTrue(e.getMessage().contains("feature 1"), e.getMessage());
        }
    }

    /** A file as GDAL writes it (with its spatial index); skipped where GDAL is not installed. */
    @Test
    void readsWhatGdalWrites() throws Exception {
        Path geojson = tmp.resolve("in.geojson");
        Files.writeString(geojson, """
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"名称":"下渡社区01网格","houses":120,"area":0.25},
                  "geometry":{"type":"Polygon","coordinates":[[[113.30,23.09],[113.31,23.09],[113.31,23.10],[113.30,23.10],[113.30,23.09]]]}},
                 {"type":"Feature","properties":{"名称":"下渡社区02网格","houses":80,"area":1.5},
                  "geometry":{"type":"Polygon","coordinates":[[[113.40,23.09],[113.41,23.09],[113.41,23.10],[113.40,23.10],[113.40,23.09]]]}}
                ]}""", StandardCharsets.UTF_8);
        Path fgb = tmp.resolve("gdal.fgb");
        Assumptions.assumeTrue(run("ogr2ogr", "-f", "FlatGeobuf", fgb.toString(), geojson.toString()),
                "ogr2ogr (GDAL) not available");
        try (RecordSource src = FlatGeobufSource.open(fgb)) {
            assertEquals(List.of("名称", "houses", "area"), src.columns());
            assertEquals("EPSG:4326", src.declaredCrs().orElseThrow());
            List<SourceRecord> rows = readAll(src);
            assertEquals(2, rows.size());
            assertTrue(rows.stream().anyMatch(r -> r.values().equals(List.of("下渡社区01网格", "120", "0.25"))), rows.toString());
            assertTrue(rows.stream().anyMatch(r -> r.values().equals(List.of("下渡社区02网格", "80", "1.5"))), rows.toString());
            assertTrue(rows.stream().allMatch(r -> r.geometry() != null && r.geometry().getArea() > 0));
        }
    }

    static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Found by Jazzer: a part whose z vector declares 3,688,562,698 items (negative as an int) and whose
     * xy vector 185 million; then lengths whose int sum wrapped. Before the checks the decoder
     * allocated hundreds of MB for these files of under 1 KB.
     */
    @ParameterizedTest
    @ValueSource(strings = {"crash-f046b6b0d1fe3d6b2bfc7fe3fd54e93dc7e980ba", "crash-89a6d91a73191f579b7c5a7ab087f347d475a243"})
    void vectorLengthsAreCheckedInFullBeforeTheDecoderAllocates(String input) throws Exception {
        Path file = tmp.resolve("lengths.fgb");
        try (var in = FlatGeobufSourceTest.class.getResourceAsStream(
                "/cn/haizhu/grid/importers/source/RecordSourcesFuzzTestInputs/flatGeobuf/" + input)) {
            Files.write(file, in.readAllBytes());
        }
        try (RecordSource src = FlatGeobufSource.open(file)) {
            IOException e = assertThrows(IOException.class, () -> {
                while (src.next() != null) {
                    // read on
                }
            });
            assertTrue(e.getMessage().contains("a geometry vector declares")
                    || e.getMessage().contains("more coordinates and parts than the feature's bytes hold"), e.getMessage());
        }
    }
}
