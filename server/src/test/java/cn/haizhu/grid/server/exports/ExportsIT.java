package cn.haizhu.grid.server.exports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.Gridctl;
import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.importers.load.Dataset;
import cn.haizhu.grid.importers.load.ImportProgress;
import cn.haizhu.grid.importers.load.ImportRequest;
import cn.haizhu.grid.importers.load.ImportResult;
import cn.haizhu.grid.importers.load.Importer;
import cn.haizhu.grid.server.TestServer;
import cn.haizhu.grid.server.features.filter.FilterException;
import cn.haizhu.grid.server.features.filter.Queryable;
import cn.haizhu.grid.server.features.filter.QueryableType;
import cn.haizhu.grid.server.features.filter.Queryables;
import cn.haizhu.grid.server.people.Disclosure;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import picocli.CommandLine;

/**
 * Exports of the 1% demo, each format read back by a real client: GDAL's ogrinfo for the GeoPackage, the
 * zipped Shapefile (GBK and UTF-8) and the GeoJSON (counts, CRS, Chinese text), POI for the XLSX, the
 * bytes Excel looks for in the CSV; an unmasked houses export imported again changes nothing; CQL2
 * filters (every queryable a column of its export's query, {@code ./gridctl export --filter}); persons
 * in either view; one audit entry per export; and the streamed formats' first bytes before any row.
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
        exporter = new Exporter(server.db, () -> server.cipher);
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

    /** Runs {@code ./gridctl export ARGS} against the test database as the node's operator: the exit code, and what it said on stderr in {@code err}. */
    private static int cli(StringWriter err, String... args) {
        GridConfig cfg = server.config.withDatabase(server.db.url(), server.db.user(), server.db.password());
        CommandLine cli = new CommandLine(new ExportCommand(() -> cfg));
        cli.setErr(new PrintWriter(err, true));
        return Gridctl.execute(cli, args);
    }

    private static long audits() throws Exception {
        return Long.parseLong(server.firstRow("SELECT count(*) FROM pii_audit")[0]);
    }

    /** The newest audit entry: username, role, action, subject, row_count, purpose, masked, client_ip, request_path. */
    private static String[] lastAudit() throws Exception {
        return server.firstRow("SELECT username, role, action, subject, row_count, purpose, masked::text, client_ip, request_path "
                + "FROM pii_audit ORDER BY id DESC LIMIT 1");
    }

    @Test
    void theCommandLineExportsWhatAFilterSelectsAndAuditsIt() throws Exception {
        Path csv = dir.resolve("filtered.csv");
        StringWriter err = new StringWriter();
        long before = audits();
        int code = cli(err, "houses", csv.toString(), "--filter", "street_code = '" + street + "' AND floor >= 3 AND use IS NOT NULL");
        assertEquals(0, code, err.toString());
        long expected = server.count("SELECT count(*) FROM house WHERE street_code = ? AND floor >= 3 AND use IS NOT NULL", street);
        assertTrue(expected > 0 && expected < streetHouses, "the filter selects some of the street's houses: " + expected);
        assertEquals(expected + 1, Files.readAllLines(csv).size());
        assertEquals(before + 1, audits(), "one audit entry per export");
        String[] a = lastAudit();
        assertTrue(a[0].startsWith(ExportCommand.OPERATOR_PREFIX), a[0]);
        assertEquals("operator", a[1]);
        assertEquals("export", a[2]);
        assertEquals("export houses csv filter=street_code = '" + street + "' AND floor >= 3 AND use IS NOT NULL", a[3]);
        assertNull(a[4], "written before the first row: no count");
        assertEquals("true", a[6]);
        assertEquals("local", a[7]);
    }

    @Test
    void theCommandLineRefusesABadFilterWithExitCode2AndWritesNothing() throws Exception {
        long before = audits();
        for (String[] bad : List.of(new String[] {"floor >>> 3", "position"},
                new String[] {"house_code = '1'", "not a queryable"},
                new String[] {"S_INTERSECTS(geometry, POINT(1 2)) AND floor = 'x'", "does not compare"})) {
            Path csv = dir.resolve("bad.csv");
            StringWriter err = new StringWriter();
            assertEquals(2, cli(err, "houses", csv.toString(), "--filter", bad[0]), bad[0]);
            assertTrue(err.toString().startsWith("gridctl: filter: at position "), err.toString());
            assertTrue(err.toString().contains(bad[1]), err.toString());
            assertFalse(Files.exists(csv), "nothing written");
            assertFalse(Files.exists(dir.resolve("bad.csv.partial")), "nothing written");
        }
        StringWriter err = new StringWriter();
        assertEquals(2, cli(err, "houses", dir.resolve("crs.csv").toString(), "--filter", "floor = 1", "--filter-crs", "EPSG:9999"));
        assertTrue(err.toString().contains("filter-crs"), err.toString());
        assertEquals(2, cli(err, "houses", dir.resolve("u.csv").toString(), "--unmask", "--purpose", "核查"));
        assertEquals(2, cli(err, "persons", dir.resolve("p.csv").toString(), "--unmask"), "--unmask needs --purpose");
        assertTrue(err.toString().contains("--purpose"), err.toString());
        assertEquals(before, audits(), "a refused export is not run, so not audited either");
    }

    @Test
    void everyQueryableOfAnExportNamesAColumnOnItsQuerysAlias() throws Exception {
        for (ExportCollection c : ExportCollection.values()) {
            List<String> terms = new java.util.ArrayList<>();
            for (Queryable q : Queryables.ofExport(c.code()).orElseThrow().all()) {
                terms.add(q.type() == QueryableType.GEOMETRY ? "S_INTERSECTS(" + q.name() + ", POINT(113.3 23.1))" : q.name() + " IS NULL");
            }
            ExportRequest r = new ExportRequest(c, ExportFormat.CSV, new ExportRequest.Reader("exports-it", DataScope.district("440105"), null),
                    null, ExportFilter.of(c, String.join(" OR ", terms), null), null, null);
            exporter.toStream(r, OutputStream.nullOutputStream());   // an unknown column would be an SQLException
        }
        // persons' queryables hold no personal field
        for (String personal : List.of("id_number", "name", "phone", "birth_date", "tags", "id_number_hash")) {
            assertThrows(FilterException.class, () -> ExportFilter.of(ExportCollection.PERSONS, personal + " IS NULL", null), personal);
        }
    }

    @Test
    void aFilterPlaceholderThatStandsTwiceIsBoundTwice() {
        ExportRequest.Condition c = ExportFilter.of(ExportCollection.HOUSES,
                "floor > 2 AND S_INTERSECTS(geometry, BBOX(113.2, 23.0, 113.4, 23.2)) AND use = '住宅'", null);
        assertEquals(4, c.sql().chars().filter(ch -> ch == '?').count(), c.sql());
        assertFalse(c.sql().contains("$"), c.sql());
        assertEquals(c.parameters().get(1), c.parameters().get(2), "the box, once for && and once for ST_Intersects");
        assertEquals(List.of(2L, "住宅"), List.of(c.parameters().get(0), c.parameters().get(3)));
    }

    @Test
    void personsLeaveMaskedByDefaultAtTheirHousesPoint() throws Exception {
        Path csv = dir.resolve("persons.csv");
        ExportRequest r = new ExportRequest(ExportCollection.PERSONS, ExportFormat.CSV,
                new ExportRequest.Reader("exports-it", DataScope.district("440105"), null), street, null, null, null);
        long rows = exporter.toFile(r, csv);
        assertEquals(server.count("SELECT count(*) FROM person WHERE street_code = ?", street), rows);
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals("\uFEFFid,name,gender,household_type,id_type,id_number,phone,birth_date,birth_decade,tags,house_code,"
                + "grid_code,community_code,street_code,lon,lat", lines.get(0));
        String[] f = lines.get(1).split(",", -1);
        String[] stored = server.firstRow("SELECT p.name, p.id_number_masked, coalesce(p.phone_masked, ''), "
                + "(extract(year FROM p.birth_date)::int / 10 * 10)::text, p.house_code, ST_X(h.geom)::text, ST_Y(h.geom)::text "
                + "FROM person p JOIN house h ON h.code = p.house_code WHERE p.gid = '" + f[0] + "'");
        assertEquals(stored[0], f[1]);
        assertTrue(f[5].matches("\\d{6}\\*{8}\\d{3}[\\dX]"), f[5]);
        assertEquals(stored[1], f[5]);
        assertEquals(stored[2], f[6]);
        assertEquals("", f[7], "the birth date is withheld");
        assertEquals(stored[3], f[8], "the decade of birth instead");
        assertEquals("", f[9], "the tags are withheld");
        assertEquals(stored[4], f[10]);
        assertEquals(Double.parseDouble(stored[5]), Double.parseDouble(f[14]), 1e-12, "at the house's point");
        assertEquals(Double.parseDouble(stored[6]), Double.parseDouble(f[15]), 1e-12);
        String[] a = lastAudit();
        assertEquals("export persons csv street=" + street, a[3]);
        assertEquals("true", a[6], "masked");
    }

    @Test
    void theOperatorExportsPersonsUnmaskedWithAPurposeAndAFilter() throws Exception {
        String grid = server.firstRow("SELECT grid_code FROM person WHERE street_code = '" + street + "' ORDER BY grid_code LIMIT 1")[0];
        Path xlsx = dir.resolve("persons.xlsx");
        StringWriter err = new StringWriter();
        assertEquals(0, cli(err, "persons", xlsx.toString(), "--filter", "grid_code = '" + grid + "' AND gender = 'F'",
                "--unmask", "--purpose", "人口普查核对"), err.toString());
        long expected = server.count("SELECT count(*) FROM person WHERE grid_code = ? AND gender = 'F'", grid);
        assertTrue(expected > 0, "women in grid " + grid);
        try (InputStream in = Files.newInputStream(xlsx); XSSFWorkbook book = new XSSFWorkbook(in)) {
            Sheet sheet = book.getSheetAt(0);
            assertEquals("实有人口", sheet.getSheetName());
            assertEquals(expected, sheet.getLastRowNum());
            Row first = sheet.getRow(1);
            String gid = first.getCell(0).getStringCellValue();
            String id = first.getCell(5).getStringCellValue();
            assertTrue(IdNumber.problem(id).isEmpty(), "a real, valid ID number: " + IdNumber.mask(id));
            String[] stored = server.firstRow("SELECT encode(id_number_enc, 'hex'), birth_date::text FROM person WHERE gid = '" + gid + "'");
            assertEquals(server.cipher.decrypt(java.util.HexFormat.of().parseHex(stored[0])), id);
            assertEquals(stored[1], first.getCell(7).getStringCellValue(), "the birth date in full");
            assertEquals("F", first.getCell(2).getStringCellValue());
        }
        String[] a = lastAudit();
        assertEquals("export persons xlsx filter=grid_code = '" + grid + "' AND gender = 'F'", a[3]);
        assertEquals("人口普查核对", a[5]);
        assertEquals("false", a[6], "unmasked");
    }

    @Test
    void anUnmaskedExportOfAnotherCollectionIsNoRequest() {
        assertThrows(IllegalArgumentException.class, () -> new ExportRequest(ExportCollection.HOUSES, ExportFormat.CSV,
                new ExportRequest.Reader("exports-it", DataScope.district("440105"), null), null, null, null, null,
                new Disclosure(true, "核查")));
    }

    /** An output stream that keeps what each write handed it: the first write is what left first. */
    private static final class Writes extends OutputStream {
        final List<byte[]> writes = new java.util.ArrayList<>();

        @Override
        public void write(int b) {
            writes.add(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(Arrays.copyOfRange(b, off, off + len));
        }
    }

    @Test
    void csvAndGeoJsonHandOnTheirHeadBeforeTheFirstRow() throws Exception {
        Writes csv = new Writes();
        exporter.toStream(request(ExportCollection.HOUSES, ExportFormat.CSV, null, null), csv);
        assertEquals("\uFEFFhouse_code,address,building,unit,floor,room,use,grid_code,community_code,street_code,lon,lat\r\n",
                new String(csv.writes.get(0), StandardCharsets.UTF_8), "the header row leaves alone, as soon as the query answers");
        assertTrue(csv.writes.size() > 10, "then the rows, as they come: " + csv.writes.size() + " writes");
        Writes json = new Writes();
        exporter.toStream(request(ExportCollection.HOUSES, ExportFormat.GEOJSON, null, null), json);
        assertEquals("{\"type\":\"FeatureCollection\",\"name\":\"houses\",\"features\":[",
                new String(json.writes.get(0), StandardCharsets.UTF_8));
        assertTrue(json.writes.size() > 10, json.writes.size() + " writes");
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (byte[] w : json.writes) {
            whole.write(w);
        }
        assertTrue(whole.toString(StandardCharsets.UTF_8).endsWith("]}"));
    }
}
