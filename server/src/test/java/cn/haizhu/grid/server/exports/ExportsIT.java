package cn.haizhu.grid.server.exports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.importers.load.Dataset;
import cn.haizhu.grid.importers.load.ImportProgress;
import cn.haizhu.grid.importers.load.ImportRequest;
import cn.haizhu.grid.importers.load.ImportResult;
import cn.haizhu.grid.importers.load.Importer;
import cn.haizhu.grid.server.TestServer;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports of the 1% demo, each format read back by a real client: GDAL's ogrinfo for the GeoPackage, the
 * zipped Shapefile (GBK and UTF-8) and the GeoJSON (counts, CRS, Chinese text), POI for the XLSX, the
 * bytes Excel looks for in the CSV; and an unmasked houses export imported again changes nothing.
 */
class ExportsIT {
    static TestServer server;
    static Exporter exporter;
    static long houses;
    /** A house whose address has Chinese text, to find again in every file. */
    static String houseCode;
    static String houseAddress;
    static String street;
    static long streetHouses;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.get();
        exporter = new Exporter(server.db);
        houses = Long.parseLong(server.firstRow("SELECT count(*) FROM house")[0]);
        String[] h = server.firstRow("SELECT code, address, street_code FROM house WHERE address ~ '[一-龥]' ORDER BY code LIMIT 1");
        houseCode = h[0];
        houseAddress = h[1];
        street = h[2];
        streetHouses = Long.parseLong(server.firstRow("SELECT count(*) FROM house WHERE street_code = '" + street + "'")[0]);
    }

    static ExportRequest request(ExportCollection c, ExportFormat f, String street, Charset dbf) {
        return new ExportRequest(c, f, new ExportRequest.Reader("exports-it", DataScope.district("440105"), null),
                street, null, null, dbf);
    }

    private Path export(ExportCollection c, ExportFormat f, String street, Charset dbf, String name) throws Exception {
        Path file = dir.resolve(name);
        long rows = exporter.toFile(request(c, f, street, dbf), file);
        assertTrue(rows > 0, "rows exported");
        return file;
    }

    @Test
    void geoPackageOfHousesReadsInGdalWithCountCrsAndChineseText() throws Exception {
        Gdal.assumeInstalled();
        Path gpkg = export(ExportCollection.HOUSES, ExportFormat.GPKG, null, null, "房屋.gpkg");
        String summary = Gdal.ogrinfo("-so", "-al", gpkg.toString());
        assertEquals(houses, Gdal.featureCount(summary), summary);
        assertTrue(summary.contains("Geometry: Point"), summary);
        assertTrue(summary.contains("ID[\"EPSG\",4326]") || summary.contains("AUTHORITY[\"EPSG\",\"4326\"]"), summary);
        assertTrue(summary.contains("address: String"), summary);
        String one = Gdal.ogrinfo("-al", "-q", "-where", "house_code = '" + houseCode + "'", gpkg.toString());
        assertTrue(one.contains("address (String) = " + houseAddress), one);
        // the spatial index answers a box around the house (GDAL uses the R-tree for -spat)
        String[] xy = server.firstRow("SELECT ST_X(geom), ST_Y(geom) FROM house WHERE code = '" + houseCode + "'");
        double x = Double.parseDouble(xy[0]), y = Double.parseDouble(xy[1]);
        String near = Gdal.ogrinfo("-al", "-q", "-spat", String.valueOf(x - 1e-6), String.valueOf(y - 1e-6),
                String.valueOf(x + 1e-6), String.valueOf(y + 1e-6), gpkg.toString());
        assertTrue(near.contains(houseCode), near);
    }

    @Test
    void geoPackageOfGridsHoldsEveryPolygonInCgcs2000WhenAsked() throws Exception {
        Gdal.assumeInstalled();
        Path gpkg = dir.resolve("网格.gpkg");
        exporter.toFile(new ExportRequest(ExportCollection.GRIDS, ExportFormat.GPKG,
                new ExportRequest.Reader("exports-it", DataScope.district("440105"), null), null, null, ExportCrs.CGCS2000, null), gpkg);
        String summary = Gdal.ogrinfo("-so", "-al", gpkg.toString());
        long grids = Long.parseLong(server.firstRow("SELECT count(*) FROM grid")[0]);
        assertEquals(grids, Gdal.featureCount(summary), summary);
        assertTrue(summary.contains("Geometry: Multi Polygon"), summary);
        assertTrue(summary.contains("4490"), summary);
    }

    @Test
    void shapefileZipInGbkAndUtf8KeepsTheChineseText() throws Exception {
        Gdal.assumeInstalled();
        for (Charset cs : List.of(ExportCrs.GBK, StandardCharsets.UTF_8)) {
            Path zip = export(ExportCollection.HOUSES, ExportFormat.SHP, null, cs, "houses-" + cs.name() + ".zip");
            String vsi = "/vsizip/" + zip + "/houses.shp";
            String summary = Gdal.ogrinfo("-so", "-al", vsi);
            assertEquals(houses, Gdal.featureCount(summary), cs + ": " + summary);
            assertTrue(summary.contains("Geometry: Point"), summary);
            assertTrue(summary.contains("WGS") && summary.contains("84"), summary);
            String one = Gdal.ogrinfo("-al", "-q", "-where", "house_code = '" + houseCode + "'", vsi);
            assertTrue(one.contains("address (String) = " + houseAddress), cs + ": " + one);
            // the DBF's names fit the format's 10 bytes
            assertTrue(summary.contains("comm_code: String"), summary);
        }
    }

    @Test
    void shapefileOfGridsHasPolygonsWithOuterRingsClockwise() throws Exception {
        Gdal.assumeInstalled();
        Path zip = export(ExportCollection.GRIDS, ExportFormat.SHP, null, StandardCharsets.UTF_8, "grids.zip");
        String vsi = "/vsizip/" + zip + "/grids.shp";
        String summary = Gdal.ogrinfo("-so", "-al", vsi);
        assertEquals(Long.parseLong(server.firstRow("SELECT count(*) FROM grid")[0]), Gdal.featureCount(summary), summary);
        assertTrue(summary.contains("Geometry: Polygon"), summary);
        // a grid's area as GDAL computes it from the file equals PostGIS's from the table
        String[] g = server.firstRow("SELECT code, ST_Area(geom) FROM grid ORDER BY code LIMIT 1");
        String sql = Gdal.ogrinfo("-q", "-dialect", "SQLite", "-sql", "SELECT ST_Area(geometry) AS a FROM grids WHERE code = '" + g[0] + "'", vsi);
        double area = Double.parseDouble(sql.replaceAll("(?s).*a \\(Real\\) = ([0-9.eE+-]+).*", "$1"));
        assertEquals(Double.parseDouble(g[1]), area, 1e-12);
    }

    @Test
    void csvOpensInExcelWithItsByteOrderMarkAndChineseText() throws Exception {
        Path csv = export(ExportCollection.HOUSES, ExportFormat.CSV, null, null, "房屋.csv");
        byte[] head = Arrays.copyOf(Files.readAllBytes(csv), 3);
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, head, "UTF-8 byte-order mark first: Excel reads it as UTF-8");
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(houses + 1, lines.size());
        assertEquals("\uFEFFhouse_code,address,building,unit,floor,room,use,grid_code,community_code,street_code,lon,lat", lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(houseCode + "," + houseAddress + ",")), "the house with its Chinese address");
        assertTrue(new String(Files.readAllBytes(csv), StandardCharsets.UTF_8).contains("\r\n"), "CRLF line ends");
    }

    @Test
    void xlsxReadsBackWithPoi() throws Exception {
        Path xlsx = export(ExportCollection.HOUSES, ExportFormat.XLSX, street, null, "房屋.xlsx");
        try (InputStream in = Files.newInputStream(xlsx); XSSFWorkbook book = new XSSFWorkbook(in)) {
            Sheet sheet = book.getSheetAt(0);
            assertEquals("房屋", sheet.getSheetName());
            assertEquals(streetHouses, sheet.getLastRowNum(), "a header row and the street's houses");
            assertEquals("house_code", sheet.getRow(0).getCell(0).getStringCellValue());
            boolean found = false;
            for (Row r : sheet) {
                if (r.getRowNum() > 0 && r.getCell(0).getStringCellValue().equals(houseCode)) {
                    assertEquals(houseAddress, r.getCell(1).getStringCellValue());
                    assertTrue(r.getCell(10).getNumericCellValue() > 113, "longitude as a number");
                    found = true;
                }
            }
            assertTrue(found, "the house is in its street's export");
        }
    }

    @Test
    void geoJsonReadsInGdal() throws Exception {
        Gdal.assumeInstalled();
        Path json = export(ExportCollection.ENTERPRISES, ExportFormat.GEOJSON, null, null, "企业.geojson");
        String summary = Gdal.ogrinfo("-so", "-al", json.toString());
        assertEquals(Long.parseLong(server.firstRow("SELECT count(*) FROM enterprise")[0]), Gdal.featureCount(summary), summary);
        assertTrue(summary.contains("credit_code: String"), summary);
    }

    @Test
    void aStreetExportHoldsThatStreetOnlyAndAReaderOfAnotherStreetGetsNothing() throws Exception {
        Path csv = export(ExportCollection.HOUSES, ExportFormat.CSV, street, null, "street.csv");
        assertEquals(streetHouses + 1, Files.readAllLines(csv).size());
        String other = server.firstRow("SELECT code FROM admin_area WHERE level = 'street' AND code <> '" + street + "' ORDER BY code LIMIT 1")[0];
        Path none = dir.resolve("none.csv");
        long rows = exporter.toFile(new ExportRequest(ExportCollection.HOUSES, ExportFormat.CSV,
                new ExportRequest.Reader("exports-it", DataScope.street(other), null), street, null, null, null), none);
        assertEquals(0, rows, "row-level security: a reader of street " + other + " sees none of " + street);
        assertEquals(1, Files.readAllLines(none).size(), "the header only");
    }

    @Test
    void reimportingAnUnmaskedHousesExportChangesNothing() throws Exception {
        for (ExportFormat f : List.of(ExportFormat.GPKG, ExportFormat.CSV)) {
            Path file = export(ExportCollection.HOUSES, f, null, null, "roundtrip." + f.extension());
            long before = Long.parseLong(server.firstRow("SELECT count(*) FROM change_log")[0]);
            ImportResult r = new Importer(server.db, server.cipher).run(new ImportRequest(Dataset.HOUSES, file, null, null, null,
                    Map.of(), false, ImportRequest.MaxErrors.parse("0"), "exports-it"), ImportProgress.NONE);
            assertEquals("succeeded", r.status(), f + ": " + r);
            assertEquals(houses, r.read(), f + ": " + r);
            assertEquals(0, r.inserted(), f + ": " + r);
            assertEquals(0, r.updated(), f + ": " + r);
            assertEquals(before, Long.parseLong(server.firstRow("SELECT count(*) FROM change_log")[0]), f + ": no change-log entry");
        }
    }

    @Test
    void aFailedExportLeavesNoFile() throws Exception {
        Path gpkg = dir.resolve("no-such-folder").resolve("x.gpkg");
        try {
            exporter.toFile(request(ExportCollection.HOUSES, ExportFormat.GPKG, null, null), gpkg);
        } catch (java.io.IOException expected) {
            // SQLite cannot create the file
        }
        assertFalse(Files.exists(gpkg));
    }
}
