package cn.haizhu.grid.importers.source.geopackage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mil.nga.geopackage.BoundingBox;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageManager;
import mil.nga.geopackage.db.GeoPackageDataType;
import mil.nga.geopackage.db.TableColumnKey;
import mil.nga.geopackage.features.columns.GeometryColumns;
import mil.nga.geopackage.features.user.FeatureColumn;
import mil.nga.geopackage.features.user.FeatureDao;
import mil.nga.geopackage.features.user.FeatureRow;
import mil.nga.geopackage.features.user.FeatureTableMetadata;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.geopackage.srs.SpatialReferenceSystem;
import mil.nga.sf.GeometryType;
import mil.nga.sf.wkb.GeometryReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.io.WKTReader;

public class GeoPackageSourceTest {
    static final String GRID = "POLYGON ((113.30 23.09, 113.31 23.09, 113.31 23.10, 113.30 23.10, 113.30 23.09),"
            + " (113.302 23.092, 113.302 23.094, 113.304 23.094, 113.304 23.092, 113.302 23.092))";

    @TempDir
    Path tmp;

    private Path write() throws Exception {
        return writeSample(tmp.resolve("haizhu.gpkg"));
    }

    /** A GeoPackage with an "enterprises" point layer first and a "grids" polygon layer second, EPSG:4326. */
    public static Path writeSample(Path file) throws Exception {
        GeoPackageManager.create(file.toFile());
        GeoPackage gp = GeoPackageManager.open(file.toFile());
        try {
            SpatialReferenceSystem srs = gp.getSpatialReferenceSystemDao().getOrCreateCode("EPSG", 4326);
            WKTReader wkt = new WKTReader();
            table(gp, srs, "enterprises", GeometryType.POINT, List.of(
                    new Object[] {"广州市海珠区某某科技有限公司", 35L, 1.5, "2024-03-05", "POINT (113.3205 23.0957)"},
                    new Object[] {"琶洲会展服务中心", null, null, null, "POINT (113.3650 23.1020)"},
                    new Object[] {"无坐标商户", 3L, 2.0, "2023-12-31", null}), wkt);
            table(gp, srs, "grids", GeometryType.POLYGON, List.<Object[]>of(
                    new Object[] {"下渡社区01网格", 1L, 0.25, "2024-01-01", GRID}), wkt);
        } finally {
            gp.close();
        }
        return file;
    }

    private static void table(GeoPackage gp, SpatialReferenceSystem srs, String name, GeometryType type,
                              List<Object[]> rows, WKTReader wkt) throws Exception {
        GeometryColumns gc = new GeometryColumns();
        gc.setId(new TableColumnKey(name, "geom"));
        gc.setGeometryType(type);
        gc.setZ((byte) 0);
        gc.setM((byte) 0);
        gc.setSrs(srs);
        List<FeatureColumn> cols = List.of(
                FeatureColumn.createColumn("名称", GeoPackageDataType.TEXT),
                FeatureColumn.createColumn("staff", GeoPackageDataType.INTEGER),
                FeatureColumn.createColumn("area_km2", GeoPackageDataType.REAL),
                FeatureColumn.createColumn("surveyed", GeoPackageDataType.DATE));
        gp.createFeatureTable(FeatureTableMetadata.create(gc, cols, new BoundingBox(113.2, 23.0, 113.4, 23.2)));
        FeatureDao dao = gp.getFeatureDao(name);
        for (Object[] r : rows) {
            FeatureRow row = dao.newRow();
            row.setValue("名称", r[0]);
            row.setValue("staff", r[1]);
            row.setValue("area_km2", r[2]);
            row.setValue("surveyed", r[3]);
            if (r[4] != null) {
                Geometry jts = wkt.read((String) r[4]);
                row.setGeometry(GeoPackageGeometryData.create(srs.getSrsId(),
                        GeometryReader.readGeometry(new WKBWriter().write(jts))));
            }
            dao.insert(row);
        }
    }

    private static List<SourceRecord> readAll(RecordSource s) throws IOException {
        List<SourceRecord> out = new ArrayList<>();
        for (SourceRecord r; (r = s.next()) != null; ) {
            out.add(r);
        }
        return out;
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)   // reading the endless view would never return
    void aLayerThatIsAViewIsRefusedForItIsAQueryTheSenderWrote() throws Exception {
        Path file = write();
        sql(file, "CREATE VIEW endless AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
                + " SELECT i AS fid, NULL AS geom FROM n",
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('endless', 'features', 'endless', 4326)",
                "INSERT INTO gpkg_geometry_columns VALUES ('endless', 'geom', 'POINT', 4326, 0, 0)");
        IOException e = assertThrows(IOException.class, () -> GeoPackageSource.open(file, "endless"));
        assertTrue(e.getMessage().contains("layer endless is a view, not a table"), e.getMessage());
    }

    private static void sql(Path file, String... statements) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @Test
    void firstFeatureTableByDefault() throws Exception {
        try (RecordSource src = GeoPackageSource.open(write(), null)) {
            assertEquals("enterprises", ((GeoPackageSource) src).layer());
            assertEquals(List.of("id", "名称", "staff", "area_km2", "surveyed"), src.columns());
            assertTrue(src.hasGeometry());
            assertEquals("EPSG:4326", src.declaredCrs().orElseThrow());
            assertEquals(0.0, src.progress(), 1e-9);
            List<SourceRecord> rows = readAll(src);
            assertEquals(1.0, src.progress(), 1e-9);
            assertEquals(3, rows.size());
            assertEquals(List.of("1", "广州市海珠区某某科技有限公司", "35", "1.5", "2024-03-05"), rows.get(0).values());
            Point p = assertInstanceOf(Point.class, rows.get(0).geometry());
            assertEquals(113.3205, p.getX(), 1e-12);
            assertEquals(23.0957, p.getY(), 1e-12);
            assertEquals(2, rows.get(1).row());
            assertEquals("琶洲会展服务中心", rows.get(1).values().get(1));
            assertNull(rows.get(1).values().get(2));
            assertNull(rows.get(1).values().get(4));
            assertNull(rows.get(2).geometry());
            assertEquals("2023-12-31", rows.get(2).values().get(4));
        }
    }

    @Test
    void namedLayer() throws Exception {
        try (RecordSource src = GeoPackageSource.open(write(), "grids")) {
            SourceRecord r = src.next();
            assertEquals("下渡社区01网格", r.values().get(1));
            Polygon p = assertInstanceOf(Polygon.class, r.geometry());
            assertEquals(1, p.getNumInteriorRing());
            assertTrue(p.equalsExact(new WKTReader().read(GRID)));
            assertNull(src.next());
        }
    }

    @Test
    void unknownLayerListsTheLayers() throws Exception {
        Path file = write();
        IOException e = assertThrows(IOException.class, () -> GeoPackageSource.open(file, "houses"));
        assertTrue(e.getMessage().contains("houses") && e.getMessage().contains("enterprises, grids"), e.getMessage());
    }

    @Test
    void notAGeoPackage() throws Exception {
        Path text = tmp.resolve("grids.gpkg");
        Files.writeString(text, "网格名称,编码\n下渡社区01网格,44010500110101\n");
        IOException e = assertThrows(IOException.class, () -> GeoPackageSource.open(text, null));
        assertTrue(e.getMessage().contains("not a GeoPackage"), e.getMessage());

        // an SQLite header followed by garbage: the database itself is corrupt
        Path corrupt = tmp.resolve("corrupt.gpkg");
        byte[] b = new byte[8192];
        System.arraycopy("SQLite format 3\0".getBytes(), 0, b, 0, 16);
        for (int i = 16; i < b.length; i++) {
            b[i] = (byte) (i * 31);
        }
        Files.write(corrupt, b);
        e = assertThrows(IOException.class, () -> GeoPackageSource.open(corrupt, null));
        assertTrue(e.getMessage().contains("corrupt.gpkg"), e.getMessage());

        assertThrows(IOException.class, () -> GeoPackageSource.open(tmp.resolve("missing.gpkg"), null));
        assertTrue(Files.notExists(tmp.resolve("missing.gpkg")), "opening must not create the file");
    }

    @Test
    void truncatedGeoPackage() throws Exception {
        Path file = write();
        byte[] full = Files.readAllBytes(file);
        Path cut = tmp.resolve("cut.gpkg");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length / 3));
        IOException e = assertThrows(IOException.class, () -> {
            try (RecordSource src = GeoPackageSource.open(cut, "grids")) {
                while (src.next() != null) {
                    // read to the end
                }
            }
        });
        assertTrue(e.getMessage().contains("cut.gpkg"), e.getMessage());
    }
}
