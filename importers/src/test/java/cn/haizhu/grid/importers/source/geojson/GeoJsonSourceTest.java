package cn.haizhu.grid.importers.source.geojson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;

class GeoJsonSourceTest {
    static final String MIXED = """
            {"type": "FeatureCollection",
             "name": "网格",
             "features": [
              {"type": "Feature", "id": 7,
               "properties": {"网格编码": "44010500110101", "名称": "江南中一网格", "面积": 12345.678901234567},
               "geometry": {"type": "Polygon", "coordinates": [[[113.2712345678901,23.1],[113.28,23.1],[113.28,23.11],[113.2712345678901,23.1]],
                                                                [[113.272,23.101],[113.273,23.101],[113.273,23.102],[113.272,23.101]]]}},
              {"type": "Feature", "geometry": {"coordinates": [113.3, 23.09, 12.5], "type": "Point"},
               "properties": {"名称": "门牌", "人口": 3, "标签": ["出租屋", "重点"], "扩展": {"楼层": 5, "x": 1.10}, "有效": true, "空": null}},
              {"type": "Feature", "properties": {"名称": "无几何"}, "geometry": null},
              {"type": "Feature", "properties": null, "geometry": {"type": "MultiPolygon", "coordinates": [[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}},
              {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[0,0],[1,1e-3]]}},
              {"type": "Feature", "properties": {}, "geometry": {"type": "MultiLineString", "coordinates": [[[0,0],[1,1]],[[2,2],[3,3]]]}},
              {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": [[0,0],[1,1]]}},
              {"type": "Feature", "properties": {}, "geometry": {"type": "GeometryCollection", "geometries": [
                  {"type": "Point", "coordinates": [5,5]}, {"type": "LineString", "coordinates": [[0,0],[1,1]]}]}}
             ],
             "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}
            }
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return write(name, text, StandardCharsets.UTF_8);
    }

    private Path write(String name, String text, Charset cs) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, text.getBytes(cs));
        return p;
    }

    private static List<SourceRecord> all(GeoJsonSource s) throws IOException {
        List<SourceRecord> out = new ArrayList<>();
        for (SourceRecord r; (r = s.next()) != null; ) {
            out.add(r);
        }
        return out;
    }

    @Test
    void mixedGeometriesNullGeometryAndACrsAfterTheFeatures() throws IOException {
        try (GeoJsonSource s = GeoJsonSource.open(write("grids.geojson", MIXED))) {
            assertEquals(Optional.of("EPSG:4547"), s.declaredCrs());
            assertTrue(s.hasGeometry());
            // the union of property names, in order of first appearance
            assertEquals(List.of("网格编码", "名称", "面积", "人口", "标签", "扩展", "有效", "空"), s.columns());
            List<SourceRecord> rows = all(s);
            assertEquals(8, rows.size());

            SourceRecord a = rows.get(0);
            assertEquals(1, a.row());
            assertEquals(Arrays.asList("44010500110101", "江南中一网格", "12345.678901234567", null, null, null, null, null),
                    a.values());
            Polygon poly = (Polygon) a.geometry();
            assertEquals(1, poly.getNumInteriorRing());
            assertEquals(113.2712345678901, poly.getExteriorRing().getCoordinateN(0).x, 0.0);
            assertEquals(4547, poly.getSRID());

            SourceRecord b = rows.get(1);
            assertEquals(Arrays.asList(null, "门牌", null, "3", "[\"出租屋\",\"重点\"]", "{\"楼层\":5,\"x\":1.10}", "true", null),
                    b.values());
            assertEquals("Point", b.geometry().getGeometryType());
            assertEquals(12.5, b.geometry().getCoordinate().getZ(), 0.0);

            SourceRecord c = rows.get(2);
            assertNull(c.geometry());
            assertEquals("无几何", c.values().get(1));

            assertEquals(8, rows.get(3).values().size());
            assertEquals(2, rows.get(3).geometry().getNumGeometries());
            assertEquals("MultiPolygon", rows.get(3).geometry().getGeometryType());
            assertEquals("LineString", rows.get(4).geometry().getGeometryType());
            assertEquals(0.001, rows.get(4).geometry().getCoordinates()[1].y, 0.0);
            assertEquals("MultiLineString", rows.get(5).geometry().getGeometryType());
            assertEquals("MultiPoint", rows.get(6).geometry().getGeometryType());
            Geometry gc = rows.get(7).geometry();
            assertEquals("GeometryCollection", gc.getGeometryType());
            assertEquals(2, gc.getNumGeometries());
            assertNull(s.next());
            assertEquals(1.0, s.progress(), 0.01);
        }
    }

    @Test
    void noCrsMeansRfc7946Default() throws IOException {
        String text = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"a\":1},"
                + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[113.123456789012345,23.987654321098765]}}]}";
        try (GeoJsonSource s = GeoJsonSource.open(write("a.json", text))) {
            assertEquals(Optional.empty(), s.declaredCrs());
            SourceRecord r = s.next();
            assertEquals(113.123456789012345, r.geometry().getCoordinate().x, 0.0);
            assertEquals(23.987654321098765, r.geometry().getCoordinate().y, 0.0);
            assertEquals(4326, r.geometry().getSRID());
        }
    }

    @Test
    void crsNames() {
        assertEquals("EPSG:4547", GeoJsonSource.crsName("EPSG:4547"));
        assertEquals("EPSG:4490", GeoJsonSource.crsName("urn:ogc:def:crs:EPSG:8.5:4490"));
        assertEquals("EPSG:3857", GeoJsonSource.crsName("http://www.opengis.net/def/crs/EPSG/0/3857"));
        assertEquals("EPSG:4326", GeoJsonSource.crsName("urn:ogc:def:crs:OGC:1.3:CRS84"));
        // a code no EPSG register has, too long for an int: named as written, for the CRS lookup to refuse
        assertEquals("EPSG:44010500110101", GeoJsonSource.crsName("EPSG:44010500110101"));
        assertEquals("EPSG:4547", GeoJsonSource.crsName("EPSG:0004547"));
        assertEquals("CGCS2000 / local", GeoJsonSource.crsName("CGCS2000 / local"));
    }

    @Test
    void singleFeature() throws IOException {
        String text = "{\"properties\":{\"名称\":\"海珠区\"},\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:4490\"}},"
                + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]},\"type\":\"Feature\"}";
        try (GeoJsonSource s = GeoJsonSource.open(write("one.geojson", text))) {
            assertEquals(Optional.of("EPSG:4490"), s.declaredCrs());
            SourceRecord r = s.next();
            assertEquals(1, r.row());
            assertEquals(List.of("海珠区"), r.values());
            assertEquals(4490, r.geometry().getSRID());
            assertNull(s.next());
        }
    }

    @Test
    void newlineDelimitedAndRecordSeparatedSequences() throws IOException {
        String lines = "{\"type\":\"Feature\",\"properties\":{\"a\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}}\n"
                + "{\"type\":\"Feature\",\"properties\":{\"b\":\"x\"},\"geometry\":null}\n"
                + "\u001e{\"type\":\"Feature\",\"properties\":{\"a\":2.50},\"geometry\":{\"type\":\"Point\",\"coordinates\":[3,4]}}\n";
        try (GeoJsonSource s = GeoJsonSource.open(write("seq.geojsonl", lines))) {
            assertEquals(List.of("a", "b"), s.columns());
            List<SourceRecord> rows = all(s);
            assertEquals(3, rows.size());
            assertEquals(Arrays.asList("1", null), rows.get(0).values());
            assertEquals(Arrays.asList(null, "x"), rows.get(1).values());
            assertEquals(Arrays.asList("2.50", null), rows.get(2).values());
            assertEquals(3, rows.get(2).row());
        }
    }

    @Test
    void truncatedFileFailsOnOpenWithLineAndColumn() throws IOException {
        String cut = MIXED.substring(0, MIXED.indexOf("\"MultiPolygon\""));
        Path p = write("cut.geojson", cut);
        IOException e = assertThrows(IOException.class, () -> GeoJsonSource.open(p));
        assertTrue(e.getMessage().matches(".*invalid JSON at line \\d+, column \\d+.*"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void syntaxErrorNamesLineAndColumn() throws IOException {
        Path p = write("bad.geojson", "{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\" \"properties\":{}}]}");
        IOException e = assertThrows(IOException.class, () -> GeoJsonSource.open(p));
        assertTrue(e.getMessage().contains("invalid JSON at line 3, column"), e.getMessage());
    }

    @Test
    void unclosedRingNamesTheFeature() throws IOException {
        String text = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
                + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}}]}";
        try (GeoJsonSource s = GeoJsonSource.open(write("ring.geojson", text))) {
            IOException e = assertThrows(IOException.class, s::next);
            assertTrue(e.getMessage().contains("feature 1 has an unusable geometry"), e.getMessage());
        }
    }

    @Test
    void notFeatures() throws IOException {
        Path p = write("geom.json", "{\"type\":\"Point\",\"coordinates\":[1,2]}");
        IOException e = assertThrows(IOException.class, () -> GeoJsonSource.open(p));
        assertTrue(e.getMessage().contains("not GeoJSON features"), e.getMessage());
    }

    @Test
    void declaredGbk() throws IOException {
        String text = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"名称\":\"海珠\"},\"geometry\":null}]}";
        Path p = write("gbk.geojson", text, Charset.forName("GBK"));
        assertThrows(IOException.class, () -> GeoJsonSource.open(p));
        try (GeoJsonSource s = GeoJsonSource.open(p, Charset.forName("GBK"))) {
            assertEquals(List.of("名称"), s.columns());
            assertEquals(List.of("海珠"), s.next().values());
        }
    }
}
