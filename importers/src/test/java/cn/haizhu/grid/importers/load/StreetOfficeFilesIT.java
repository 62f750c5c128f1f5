package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.codes.IdNumber;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files shaped like those a street office sends (issue 16): a persons register without 出生日期, residents
 * with other documents than the ID card, houses whose 用途 says 商业 or 厂房, against real PostGIS with the
 * 1% demo district loaded.
 */
class StreetOfficeFilesIT {
    static LoadedDistrict district;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        district = LoadedDistrict.load("it_street_office_files");
    }

    @AfterAll
    static void close() {
        district.db().close();
    }

    private static String id(String first17) {
        return LoadedDistrict.id(first17);
    }

    private Path write(String name, Charset cs, String... lines) throws Exception {
        return LoadedDistrict.write(dir, name, cs, lines);
    }

    private static ImportResult run(Dataset d, Path f, ValueMapping values) throws Exception {
        return district.importer().run(new ImportRequest(d, f, null, null, null, Map.of(), values, false,
                ImportRequest.MaxErrors.NONE, "it", null), ImportProgress.NONE);
    }

    private static String report(ImportResult r) throws Exception {
        StringWriter csv = new StringWriter();
        district.importer().writeRejects(r.jobId(), csv);
        return csv.toString();
    }

    /** (id_type, gender, birth_date, id_number_masked) of the person whose number is {@code number}, found by its keyed hash. */
    private static String stored(String number) throws Exception {
        try (Connection c = district.db().connection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id_type, gender, birth_date, id_number_masked, id_number_enc FROM person WHERE id_number_hash = ?")) {
            ps.setBytes(1, district.cipher().hash(IdNumber.normalise(number)));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                assertEquals(IdNumber.normalise(number), district.cipher().decrypt(rs.getBytes(5)), "stored encrypted, readable with the key");
                return rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4);
            }
        }
    }

    @Test
    void aRegisterWithoutBirthDateTakesItAndTheGenderFromTheNumber() throws Exception {
        String woman = id("44010519800101002");           // 17th digit 2: a woman, born 1980-01-01
        String man = id("44010519750315001");
        String contradicted = id("44010519660606003");    // a man, but the file says 女
        String hongKong = id("81000019900101123");
        String taiwan = id("83000019850505222");
        String foreigner = id("94484019800101003");       // the 2023 permanent residence card
        Path f = write("人口-街道.csv", Charset.forName("GBK"),
                "身份证号,姓名,性别,户籍类型,联系电话,房屋编码",
                woman + ",张丽,女,户籍,13800138000," + district.house(),
                man + ",李强,,流动,," + district.house(),                  // no gender: the number's
                contradicted + ",王五,女,户籍,," + district.house(),
                hongKong + ",陈家明,男,境外,," + district.house(),
                taiwan + ",林美玲,女,境外,," + district.house(),
                foreigner + ",John Smith,男,境外,," + district.house(),
                id("44010519870404007") + ",钱七,男,户籍,,99999999999999999");
        ImportResult r = run(Dataset.PERSONS, f, ValueMapping.NONE);
        String report = report(r);
        assertEquals("succeeded", r.status(), r + report);
        assertEquals(5, r.inserted(), r + report);
        assertEquals(2, r.rejected(), report);
        assertEquals("resident_id F 1980-01-01 440105********" + woman.substring(14), stored(woman));
        assertEquals("resident_id M 1975-03-15 440105********" + man.substring(14), stored(man));
        assertEquals("hk_macao_permit M 1990-01-01 810000********" + hongKong.substring(14), stored(hongKong));
        assertEquals("taiwan_permit F 1985-05-05 830000********" + taiwan.substring(14), stored(taiwan));
        assertEquals("foreign_permanent M 1980-01-01 944840********" + foreigner.substring(14), stored(foreigner));
        assertTrue(report.contains("4,error,gender,女,性别与身份证号不符"), report);
        // an unknown house is the house code's fault, not the ID number's
        assertTrue(report.contains("8,error,house_code,99999999999999999,房屋编码不存在"), report);
        assertFalse(report.contains("id_number_hash"), report);
        for (String n : List.of(woman, contradicted, hongKong, foreigner)) {
            assertFalse(report.contains(n), "numbers only masked in the report");
        }
    }

    @Test
    void anXlsxRegisterWithADocumentTypeColumnChecksEachByItsOwnRules() throws Exception {
        Path f = dir.resolve("境外人员.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(f)) {
            Sheet sh = wb.createSheet("人口");
            String[][] rows = {
                {"证件类型", "证件号码", "姓名", "性别", "出生日期", "户籍类型", "房屋编码"},
                {"护照", "E12345678", "Anna Müller", "女", "1992-07-08", "境外", district.house()},
                {"外国人永久居留证", "USA440812345678", "Tom Lee", "男", "1988-12-01", "境外", district.house()},
                {"护照", "G87654321", "Ken Ito", "男", "", "境外", district.house()},                     // no birth date to take
                {"港澳居民居住证", id("44010519800101002"), "何文", "女", "1980-01-01", "境外", district.house()},
                {"驾驶证", "440105000001", "赵八", "男", "1980-01-01", "户籍", district.house()},
                {"身份证", id("44010519950505003"), "孙九", "男", "", "户籍", district.house()},
            };
            for (int i = 0; i < rows.length; i++) {
                Row row = sh.createRow(i);
                for (int j = 0; j < rows[i].length; j++) {
                    row.createCell(j).setCellValue(rows[i][j]);
                }
            }
            wb.write(out);
        }
        ImportResult r = run(Dataset.PERSONS, f, ValueMapping.NONE);
        String report = report(r);
        assertEquals(3, r.inserted(), r + report);
        assertEquals(3, r.rejected(), report);
        assertEquals("passport F 1992-07-08 E*******8", stored("E12345678"));
        assertEquals("foreign_permanent M 1988-12-01 U*************8", stored("USA440812345678"));
        assertTrue(stored(id("44010519950505003")).startsWith("resident_id M 1995-05-05 "));
        assertTrue(report.contains("4,error,birth_date,,出生日期不能为空（护照号码不含出生日期）"), report);
        assertTrue(report.contains("5,error,id_number,440105********") && report.contains("港澳居民居住证号码不合规"), report);
        assertTrue(report.contains("6,error,id_type,驾驶证,未知的证件类型"), report);
        // the same keyed hash dedups whatever the document: the passport again is unchanged, not a second person
        ImportResult again = run(Dataset.PERSONS, f, ValueMapping.NONE);
        assertEquals(0, again.inserted(), again.toString());
        assertEquals(3, again.unchanged(), again.toString());
    }

    @Test
    void houseUsesFollowTheNationalClassesWithTheOfficersMappingAndUnknownWordsKeptAsOther() throws Exception {
        String at = district.houseAt()[0] + "," + district.houseAt()[1];
        Path f = write("房屋-街道.csv", StandardCharsets.UTF_8,
                "房屋编码,地址,用途,经度,纬度",
                "44010599999999100001,广州市海珠区测试路1号,商业," + at,
                "44010599999999100002,广州市海珠区测试路2号,厂房," + at,
                "44010599999999100003,广州市海珠区测试路3号,写字楼," + at,
                "44010599999999100004,广州市海珠区测试路4号,商住," + at,
                "44010599999999100005,广州市海珠区测试路5号,车棚," + at,
                "44010599999999100006,广州市海珠区测试路6号,茅草屋," + at,
                "44010599999999100007,广州市海珠区测试路7号,学校," + at);
        ImportResult r = run(Dataset.HOUSES, f, ValueMapping.parse(List.of("use=商住:商业金融信息", "use=车棚:其他")));
        String report = report(r);
        assertEquals(7, r.inserted(), r + report);
        assertEquals(0, r.rejected(), report);
        assertEquals(1, r.warned(), report);
        assertTrue(report.contains("7,warning,use,茅草屋,未知的房屋用途“茅草屋”，已按“其他”导入"), report);
        try (Connection c = district.db().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(use, ' ' ORDER BY code) FROM house WHERE code LIKE '440105999999991%'")) {
            rs.next();
            assertEquals("商业金融信息 工业交通仓储 办公 商业金融信息 其他 其他 教育医疗卫生科研", rs.getString(1));
        }
    }

    @Test
    void aValueMappingForAFieldTheDatasetLacksRefusesTheFile() throws Exception {
        Path f = write("房屋-x.csv", StandardCharsets.UTF_8, "房屋编码,地址,用途,经度,纬度",
                "44010599999999200001,广州市海珠区测试路1号,住宅," + district.houseAt()[0] + "," + district.houseAt()[1]);
        Importer.ImportRefused e = assertThrows(Importer.ImportRefused.class,
                () -> run(Dataset.HOUSES, f, ValueMapping.parse(List.of("usage=商住:住宅"))));
        assertTrue(e.getMessage().contains("--map-values names unknown field 'usage'"), e.getMessage());
    }

    @Test
    void theDatabaseRefusesAUseOutsideTheClasses() throws Exception {
        try (Connection c = district.db().connection(); Statement s = c.createStatement()) {
            var e = assertThrows(java.sql.SQLException.class, () -> s.execute("UPDATE house SET use = '商铺' WHERE code = '" + district.house() + "'"));
            assertTrue(e.getMessage().contains("house_use_check"), e.getMessage());
        }
        assertEquals(0, countOldWords(), "the demo holds no word of the old list");
    }

    private static long countOldWords() throws Exception {
        try (Connection c = district.db().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM house WHERE use NOT IN ('住宅', '商业金融信息', '办公', '工业交通仓储', "
                     + "'教育医疗卫生科研', '文化娱乐体育', '军事', '其他')")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
