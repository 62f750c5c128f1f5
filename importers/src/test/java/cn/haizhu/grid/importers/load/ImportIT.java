package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports as a data officer runs them, against real PostGIS with the 1% demo district loaded. */
class ImportIT {
    static Database db;
    static PersonalDataCipher cipher;
    static Importer importer;
    static String house;        // an existing house code
    static double[] houseAt;    // and its location

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        LoadedDistrict d = LoadedDistrict.load("it_import");
        db = d.db();
        cipher = d.cipher();
        importer = d.importer();
        house = d.house();
        houseAt = d.houseAt();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static long sql(String query) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String id(String first17) {
        return LoadedDistrict.id(first17);
    }

    private Path write(String name, Charset cs, String... lines) throws Exception {
        return LoadedDistrict.write(dir, name, cs, lines);
    }

    private static ImportRequest request(Dataset d, Path f, String crs, boolean dryRun, String maxErrors) {
        return new ImportRequest(d, f, null, crs, null, Map.of(), dryRun,
                maxErrors == null ? ImportRequest.MaxErrors.NONE : ImportRequest.MaxErrors.parse(maxErrors), "it");
    }

    @Test
    void aGbkFileWithChineseHeadersLoadsItsGoodRowsAndExplainsEveryBadOne() throws Exception {
        String good1 = id("44010519800101002");
        String good2 = id("44010519900215004");
        String badCheck = good1.substring(0, 17) + (good1.charAt(17) == '0' ? '1' : '0');
        Path f = write("人口.csv", Charset.forName("GBK"),
                "身份证号,姓名,性别,出生日期,户籍类型,联系电话,重点人群,房屋编码",
                good1 + ",张伟,女,1980-01-01,户籍,13800138000,," + house,
                good2 + ",李娜,女,1990-02-15,流动,,独居老人," + house,
                badCheck + ",王五,男,1980-01-01,户籍,,," + house,
                id("44010519850303005") + ",赵六,女,1985-03-03,户籍,,," + house,
                id("44010519870404007") + ",钱七,男,1987-04-04,户籍,,,99999999999999999",
                good1 + ",张伟,女,1980-01-01,户籍,13800138000,," + house);
        ImportResult r = importer.run(request(Dataset.PERSONS, f, null, false, null), ImportProgress.NONE);
        assertEquals("succeeded", r.status(), r.toString());
        assertEquals(6, r.read());
        assertEquals(2, r.inserted());
        assertEquals(4, r.rejected(), r.toString());
        StringWriter csv = new StringWriter();
        importer.writeRejects(r.jobId(), csv);
        String report = csv.toString();
        assertTrue(report.contains("身份证号不合规"), report);
        assertTrue(report.contains("性别与身份证号不符"), report);
        assertTrue(report.contains("房屋编码不存在"), report);
        assertTrue(report.contains("与本文件第 2 行重复"), report);
        assertTrue(!report.contains(badCheck), "ID numbers are masked in the report");
        assertEquals(4, sql("SELECT rows_rejected FROM import_job WHERE id = '" + r.jobId() + "'"));
    }

    @Test
    void reimportingIsANoOpAndAChangedFileUpdatesOnlyTheChangedRows() throws Exception {
        String a = id("44010519700707001");
        String b = id("44010519710808001");
        Path f = write("p.csv", StandardCharsets.UTF_8,
                "id_number,name,gender,birth_date,household_type,phone,tags,house_code",
                a + ",甲,男,1970-07-07,户籍,13900139000,," + house,
                b + ",乙,男,1971-08-08,户籍,,," + house);
        assertEquals(2, importer.run(request(Dataset.PERSONS, f, null, false, null), ImportProgress.NONE).inserted());
        long changes = sql("SELECT count(*) FROM change_log");
        ImportResult again = importer.run(request(Dataset.PERSONS, f, null, false, null), ImportProgress.NONE);
        assertEquals(0, again.inserted() + again.updated(), again.toString());
        assertEquals(2, again.unchanged());
        assertEquals(changes, sql("SELECT count(*) FROM change_log"), "no spurious change-log entries");
        Path changed = write("p2.csv", StandardCharsets.UTF_8,
                "id_number,name,gender,birth_date,household_type,phone,tags,house_code",
                a + ",甲,男,1970-07-07,户籍,13900139001,," + house,
                b + ",乙,男,1971-08-08,户籍,,," + house);
        ImportResult update = importer.run(request(Dataset.PERSONS, changed, null, false, null), ImportProgress.NONE);
        assertEquals(1, update.updated(), update.toString());
        assertEquals(1, update.unchanged());
        assertEquals(changes + 1, sql("SELECT count(*) FROM change_log"));
    }

    @Test
    void overMaxErrorsNothingIsAppliedAndDryRunWritesNothing() throws Exception {
        Path f = write("p3.csv", StandardCharsets.UTF_8,
                "id_number,name,gender,birth_date,household_type,house_code",
                id("44010519600606001") + ",丙,男,1960-06-06,户籍," + house,
                "123,丁,男,1960-06-06,户籍," + house,
                "456,戊,男,1960-06-06,户籍," + house);
        long before = sql("SELECT count(*) FROM person");
        ImportResult aborted = importer.run(request(Dataset.PERSONS, f, null, false, "1"), ImportProgress.NONE);
        assertEquals("aborted", aborted.status());
        assertEquals(before, sql("SELECT count(*) FROM person"), "nothing applied");
        ImportResult pct = importer.run(request(Dataset.PERSONS, f, null, false, "50%"), ImportProgress.NONE);
        assertEquals("aborted", pct.status(), "2 of 3 rejected is over 50%");
        ImportResult dry = importer.run(request(Dataset.PERSONS, f, null, true, null), ImportProgress.NONE);
        assertEquals("dry_run", dry.status());
        assertEquals(1, dry.inserted(), "the dry run says what would load");
        assertEquals(before, sql("SELECT count(*) FROM person"), "and writes nothing");
    }

    @Test
    void aCityRefusesTheStreetsRecordsAndSaysWhereTheyAreImported() throws Exception {
        // a city's edit of a street's record would be a request two levels down, which no owner answers (docs/SYNC.md)
        String code;
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT code FROM platform_node")) {
            rs.next();
            code = rs.getString(1);
        }
        Path f = write("city-houses.csv", StandardCharsets.UTF_8, "房屋编码,地址,房屋用途,经度,纬度",
                "44010599999999000009,测试地址9号,住宅," + houseAt[0] + "," + houseAt[1]);
        long houses = sql("SELECT count(*) FROM house");
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("UPDATE platform_node SET code = '440100'");
        }
        try {
            var e = assertThrows(Importer.ImportRefused.class,
                    () -> importer.run(request(Dataset.HOUSES, f, null, false, null), ImportProgress.NONE));
            assertTrue(e.getMessage().contains("does not import houses") && e.getMessage().contains("市级平台不导入"), e.getMessage());
            assertEquals(1, sql("SELECT count(*) FROM import_job WHERE id = '" + e.jobId() + "' AND status = 'failed'"));
        } finally {
            try (Connection c = db.connection(); java.sql.PreparedStatement s = c.prepareStatement("UPDATE platform_node SET code = ?")) {
                s.setString(1, code);
                s.executeUpdate();
            }
        }
        assertEquals(houses, sql("SELECT count(*) FROM house"), "and loads nothing");
        ImportResult atDistrict = importer.run(request(Dataset.HOUSES, f, null, true, null), ImportProgress.NONE);
        assertEquals(1, atDistrict.inserted() + atDistrict.updated(), "the district imports the same file: " + atDistrict);
    }

    @Test
    void housesInGcj02LandInTheirGridAndSwappedCoordinatesAreRejectedWithAHint() throws Exception {
        double[] gcj = CoordinatesForTests.wgs84ToGcj02(houseAt[0], houseAt[1]);
        Path f = write("h.csv", StandardCharsets.UTF_8,
                "房屋编码,地址,房屋用途,经度,纬度",
                "44010599999999000001,测试地址1号,住宅," + gcj[0] + "," + gcj[1],
                "44010599999999000002,测试地址2号,住宅," + gcj[1] + "," + gcj[0]);
        ImportResult r = importer.run(request(Dataset.HOUSES, f, "GCJ-02", false, null), ImportProgress.NONE);
        assertEquals(1, r.inserted(), r.toString());
        assertEquals(1, r.rejected());
        assertEquals(1, sql("SELECT count(*) FROM house WHERE code = '44010599999999000001' AND ST_DWithin(geom::geography, "
                + "ST_SetSRID(ST_MakePoint(" + houseAt[0] + "," + houseAt[1] + "),4326)::geography, 1)"),
                "the GCJ-02 point comes back within a metre of the WGS84 one");
        StringWriter csv = new StringWriter();
        importer.writeRejects(r.jobId(), csv);
        assertTrue(csv.toString().contains("颠倒"), csv.toString());
    }

    @Test
    void aGbkShapefileInCgcs2000GaussKrugerLandsWhereItShould() throws Exception {
        // the house's WGS84 point projected to EPSG:4547 by proj4j's forward transform; the importer
        // must bring it back from the .prj alone (no --crs), reading GBK attributes from the LDID byte
        var factory = new org.locationtech.proj4j.CoordinateTransformFactory();
        var crsFactory = new org.locationtech.proj4j.CRSFactory();
        var toGk = factory.createTransform(crsFactory.createFromName("EPSG:4326"), crsFactory.createFromName("EPSG:4547"));
        var gk = new org.locationtech.proj4j.ProjCoordinate();
        toGk.transform(new org.locationtech.proj4j.ProjCoordinate(houseAt[0], houseAt[1]), gk);
        var gf = new org.locationtech.jts.geom.GeometryFactory();
        Path shpDir = dir.resolve("房屋");
        cn.haizhu.grid.importers.source.shapefile.TestShapefileWriter.write(shpDir, "fangwu",
                cn.haizhu.grid.importers.source.shapefile.TestShapefileWriter.POINT,
                List.of(cn.haizhu.grid.importers.source.shapefile.TestShapefileWriter.Shape.of(
                        gf.createPoint(new org.locationtech.jts.geom.Coordinate(gk.x, gk.y)))),
                new com.linuxense.javadbf.DBFField[] {
                    new com.linuxense.javadbf.DBFField("房屋编码", com.linuxense.javadbf.DBFDataType.CHARACTER, 24),
                    new com.linuxense.javadbf.DBFField("地址", com.linuxense.javadbf.DBFDataType.CHARACTER, 60),
                    new com.linuxense.javadbf.DBFField("房屋用途", com.linuxense.javadbf.DBFDataType.CHARACTER, 10)},
                List.<Object[]>of(new Object[] {"44010599999999000009", "广州市海珠区测试路9号", "商铺"}),
                Charset.forName("GBK"), 0x4D, null, cn.haizhu.grid.importers.source.shapefile.TestShapefileWriter.PRJ_4547);
        ImportResult r = importer.run(request(Dataset.HOUSES, shpDir.resolve("fangwu.shp"), null, false, "0"), ImportProgress.NONE);
        assertEquals("succeeded", r.status(), r.toString());
        assertEquals(1, r.inserted());
        assertEquals(1, sql("SELECT count(*) FROM house WHERE code = '44010599999999000009' AND address = '广州市海珠区测试路9号'"
                + " AND use = '商业金融信息' AND ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(" + houseAt[0] + "," + houseAt[1]
                + "),4326)::geography, 0.01)"), "GBK text read right, the point back within a centimetre");
    }

    @Test
    void aJobKilledMidWayLeavesNothingBehindAndARerunFinishesIt() throws Exception {
        // 20,000 valid persons in the demo's first house; the job's database session is killed just
        // before its merge (what kill -9 of the importer or a database restart does to a transaction)
        StringBuilder csv = new StringBuilder("id_number,name,gender,birth_date,household_type,house_code\n");
        java.time.LocalDate day = java.time.LocalDate.of(1950, 1, 1);
        for (int i = 0; i < 20_000; i++) {
            java.time.LocalDate birth = day.plusDays(i / 400);
            String first17 = "440105" + birth.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                    + String.format("%03d", (i % 400) * 2 + 1);   // odd sequence: male
            csv.append(first17).append(IdNumber.checkChar(first17)).append(",某").append(i).append(",男,")
                    .append(birth).append(",户籍,").append(house).append('\n');
        }
        Path f = write("many.csv", StandardCharsets.UTF_8, csv.toString().split("\n"));
        long persons = sql("SELECT count(*) FROM person");
        long changes = sql("SELECT count(*) FROM change_log");
        ImportProgress killer = (phase, read, rejected, fraction) -> {
            if ("merging".equals(phase)) {
                try (Connection c = db.connection(); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND state = 'idle in transaction' AND pid <> pg_backend_pid()");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        assertThrows(Exception.class, () -> importer.run(request(Dataset.PERSONS, f, null, false, null), killer));
        assertEquals(persons, sql("SELECT count(*) FROM person"), "nothing of the killed job is in the table");
        assertEquals(changes, sql("SELECT count(*) FROM change_log"), "nor in the change log");
        assertEquals(1, sql("SELECT count(*) FROM import_job WHERE file_name = 'many.csv' AND status = 'failed'"),
                "the job record says it failed");
        ImportResult rerun = importer.run(request(Dataset.PERSONS, f, null, false, "0"), ImportProgress.NONE);
        assertEquals("succeeded", rerun.status(), rerun.toString());
        assertEquals(20_000, rerun.inserted() + rerun.updated() + rerun.unchanged(), rerun.toString());
        assertEquals(persons + rerun.inserted(), sql("SELECT count(*) FROM person"));
    }

    @Test
    void aFileWithoutTheRequiredColumnsIsRefusedBeforeAnythingLoads() throws Exception {
        Path f = write("bad.csv", StandardCharsets.UTF_8, "姓名,性别", "张三,男");
        var e = assertThrows(Importer.ImportRefused.class,
                () -> importer.run(request(Dataset.PERSONS, f, null, false, null), ImportProgress.NONE));
        assertTrue(e.getMessage().contains("id_number"), e.getMessage());
        assertTrue(e.getMessage().contains("身份证号"), "names the accepted headers: " + e.getMessage());
        assertEquals(1, sql("SELECT count(*) FROM import_job WHERE id = '" + e.jobId() + "' AND status = 'failed'"));
    }

    @Test
    void aRefusedArchiveFailsTheJobWithItsReasonInChineseAndEnglishAndLoadsNothing() throws Exception {
        Path zip = dir.resolve("房屋.zip");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : List.of("fangwu.shp", "fangwu.shx", "fangwu.dbf", "old/backup.zip")) {
                out.putNextEntry(new java.util.zip.ZipEntry(name));
                out.write(new byte[] {1, 2, 3});
                out.closeEntry();
            }
        }
        long houses = sql("SELECT count(*) FROM house");
        var e = assertThrows(Importer.ImportRefused.class,
                () -> importer.run(request(Dataset.HOUSES, zip, null, false, null), ImportProgress.NONE));
        assertTrue(e.getMessage().contains("另一个压缩包") && e.getMessage().contains("nested archives are refused"),
                e.getMessage());
        assertEquals(1, sql("SELECT count(*) FROM import_job WHERE id = '" + e.jobId() + "' AND status = 'failed'"
                + " AND message LIKE '%另一个压缩包%old/backup.zip%'"));
        assertEquals(houses, sql("SELECT count(*) FROM house"));
    }
}
