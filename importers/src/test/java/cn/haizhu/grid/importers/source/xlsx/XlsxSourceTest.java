package cn.haizhu.grid.importers.source.xlsx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFRichTextString;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XlsxSourceTest {
    @TempDir
    Path dir;

    private static List<SourceRecord> all(XlsxSource s) throws IOException {
        List<SourceRecord> out = new ArrayList<>();
        for (SourceRecord r; (r = s.next()) != null; ) {
            out.add(r);
        }
        return out;
    }

    private Path save(Workbook wb, String name) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p)) {
            wb.write(out);
        }
        wb.close();
        return p;
    }

    private static CellStyle style(Workbook wb, String format) {
        CellStyle s = wb.createCellStyle();
        s.setDataFormat(wb.createDataFormat().getFormat(format));
        return s;
    }

    /** A register as data officers get it: title rows above the header, gaps, IDs typed as numbers. */
    private Path register(Workbook wb) throws IOException {
        Sheet sh = wb.createSheet("人口");
        CellStyle date = style(wb, "yyyy-mm-dd");
        CellStyle dateTime = style(wb, "yyyy/m/d h:mm:ss");
        CellStyle idFormat = style(wb, "0");
        CellStyle padded = style(wb, "0000");
        CellStyle grouped = style(wb, "#,##0.00");
        CellStyle twoDecimals = style(wb, "0.00");
        CellStyle percent = style(wb, "0%");
        // row 1 empty, row 2 is the header (Excel row numbers must come through)
        Row h = sh.createRow(1);
        String[] header = {" 身份证号 ", "姓名", "出生日期", "登记时间", "经度", "纬度", "门牌", "面积", "比例", "在册", "备注"};
        for (int i = 0; i < header.length; i++) {
            h.createCell(i).setCellValue(header[i]);
        }
        Row r = sh.createRow(2);
        Cell id = r.createCell(0);
        id.setCellValue(440105199003071234d); // Excel keeps 15 significant digits: a damaged ID
        id.setCellStyle(idFormat);
        r.createCell(1).setCellValue("张三");
        Cell born = r.createCell(2);
        born.setCellValue(LocalDate.of(1990, 3, 7));
        born.setCellStyle(date);
        Cell at = r.createCell(3);
        at.setCellValue(LocalDateTime.of(2024, 5, 1, 8, 30, 15));
        at.setCellStyle(dateTime);
        r.createCell(4).setCellValue(113.2712345678901);
        Cell lat = r.createCell(5);
        lat.setCellValue(23.1012345678901);
        lat.setCellStyle(twoDecimals); // the display rounds: the stored value must win
        Cell no = r.createCell(6);
        no.setCellValue(12);
        no.setCellStyle(padded);
        Cell area = r.createCell(7);
        area.setCellValue(1234.5);
        area.setCellStyle(grouped);
        Cell share = r.createCell(8);
        share.setCellValue(0.5);
        share.setCellStyle(percent);
        r.createCell(9).setCellValue(true);
        r.createCell(10).setCellValue("_x000D_ stays literal? no: Excel escape");

        Row r2 = sh.createRow(3);
        // blank cells in the middle: only A, D and F exist
        r2.createCell(0).setCellValue("44010519851212001X");
        Cell big = r2.createCell(3);
        big.setCellValue(1e20);
        r2.createCell(5).setCellValue(-0.000012);
        // a styled but empty row, as Excel leaves below the data, and then a row after a gap
        sh.createRow(4).createCell(2).setCellStyle(date);
        Row r6 = sh.createRow(6);
        r6.createCell(1).setCellValue("王五");
        r6.createCell(13).setCellValue("beyond the header");
        return save(wb, wb instanceof SXSSFWorkbook ? "s.xlsx" : "x.xlsx");
    }

    private static void assertRegister(XlsxSource s, boolean sharedStrings) throws IOException {
        assertEquals("人口", s.sheetName());
        assertEquals(List.of("身份证号", "姓名", "出生日期", "登记时间", "经度", "纬度", "门牌", "面积", "比例", "在册", "备注"),
                s.columns());
        List<SourceRecord> rows = all(s);
        assertEquals(3, rows.size());
        SourceRecord a = rows.get(0);
        assertEquals(3, a.row());
        assertEquals(List.of("440105199003071230", "张三", "1990-03-07", "2024-05-01T08:30:15", "113.2712345678901",
                "23.1012345678901", "0012", "1234.50", "0.5", "true", "\r stays literal? no: Excel escape"), a.values());
        SourceRecord b = rows.get(1);
        assertEquals(4, b.row());
        assertEquals(Arrays.asList("44010519851212001X", "", "", "100000000000000000000", "", "-0.000012", "", "", "", "", ""),
                b.values());
        SourceRecord c = rows.get(2);
        assertEquals(7, c.row());
        assertEquals(14, c.values().size());
        assertEquals("王五", c.values().get(1));
        assertEquals("", c.values().get(0));
        assertEquals("beyond the header", c.values().get(13));
        assertNull(s.next());
        assertEquals(1.0, s.progress(), 1e-9);
    }

    @Test
    void xssfWorkbookWithSharedStrings() throws IOException {
        XSSFWorkbook wb = new XSSFWorkbook();
        Path p = register(wb);
        try (XlsxSource s = XlsxSource.open(p)) {
            assertRegister(s, true);
        }
    }

    @Test
    void sxssfWorkbookWithInlineStrings() throws IOException {
        Path p = register(new SXSSFWorkbook());
        try (XlsxSource s = XlsxSource.open(p)) {
            assertRegister(s, false);
        }
    }

    @Test
    void formulasGiveTheirCachedValueAndRichTextIsJoined() throws IOException {
        XSSFWorkbook wb = new XSSFWorkbook();
        Sheet sh = wb.createSheet("calc");
        Row h = sh.createRow(0);
        h.createCell(0).setCellValue("a");
        h.createCell(1).setCellValue("b");
        h.createCell(2).setCellValue("sum");
        h.createCell(3).setCellValue("text");
        Row r = sh.createRow(1);
        r.createCell(0).setCellValue(2);
        r.createCell(1).setCellValue(3.25);
        r.createCell(2).setCellFormula("A2+B2");
        r.createCell(3).setCellFormula("\"海珠\"&\"区\"");
        Row r2 = sh.createRow(2);
        XSSFRichTextString rich = new XSSFRichTextString("江南");
        rich.append("大道", wb.createFont());
        r2.createCell(3).setCellValue(rich);
        r2.createCell(0).setCellFormula("1/0");
        wb.getCreationHelper().createFormulaEvaluator().evaluateAll();
        Path p = save(wb, "f.xlsx");
        try (XlsxSource s = XlsxSource.open(p)) {
            assertEquals(List.of("2", "3.25", "5.25", "海珠区"), s.next().values());
            assertEquals(List.of("#DIV/0!", "", "", "江南大道"), s.next().values());
        }
    }

    @Test
    void namedSheetAndMissingSheet() throws IOException {
        XSSFWorkbook wb = new XSSFWorkbook();
        wb.createSheet("说明").createRow(0).createCell(0).setCellValue("read me");
        Sheet data = wb.createSheet("企业");
        data.createRow(0).createCell(0).setCellValue("统一社会信用代码");
        data.createRow(1).createCell(0).setCellValue("91440105MA59ABCD1X");
        Path p = save(wb, "two.xlsx");
        try (XlsxSource s = XlsxSource.open(p)) {
            assertEquals(List.of("read me"), s.columns());
        }
        try (XlsxSource s = XlsxSource.open(p, "企业")) {
            assertEquals(List.of("统一社会信用代码"), s.columns());
            assertEquals(List.of("91440105MA59ABCD1X"), s.next().values());
        }
        IOException e = assertThrows(IOException.class, () -> XlsxSource.open(p, "人口"));
        assertTrue(e.getMessage().contains("no sheet named '人口'") && e.getMessage().contains("企业"), e.getMessage());
    }

    @Test
    void emptySheetIsAnError() throws IOException {
        XSSFWorkbook wb = new XSSFWorkbook();
        wb.createSheet("空");
        Path p = save(wb, "empty.xlsx");
        IOException e = assertThrows(IOException.class, () -> XlsxSource.open(p));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void truncatedWorkbookIsRejectedClearly() throws IOException {
        Path good = register(new SXSSFWorkbook());
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.xlsx");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = assertThrows(IOException.class, () -> XlsxSource.open(cut));
        assertTrue(e.getMessage().contains("not an .xlsx workbook (Excel 2007+); save it as .xlsx or CSV"), e.getMessage());
    }

    @Test
    void csvRenamedToXlsxIsRejectedClearly() throws IOException {
        Path p = dir.resolve("fake.xlsx");
        Files.write(p, "身份证号,姓名\n".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> XlsxSource.open(p));
        assertTrue(e.getMessage().contains("not an .xlsx workbook"), e.getMessage());
    }

    @Test
    void oldXlsIsRejectedWithAdvice() throws IOException {
        HSSFWorkbook wb = new HSSFWorkbook();
        wb.createSheet("s").createRow(0).createCell(0).setCellValue("a");
        Path p = save(wb, "old.xlsx");
        IOException e = assertThrows(IOException.class, () -> XlsxSource.open(p));
        assertTrue(e.getMessage().contains("old Excel format .xls"), e.getMessage());
    }

    @Test
    void aCellBeyondColumnXfdIsADamagedFileNotAMillionCellRow() throws IOException {
        Path good = twoColumns();
        for (String ref : List.of("XFE1", "ZZZZZZZZZZ1")) {
            Path bad = rewrite(good, "xl/worksheets/sheet1.xml", "r=\"B1\"", "r=\"" + ref + "\"");
            IOException e = assertThrows(IOException.class, () -> XlsxSource.open(bad));
            assertTrue(e.getMessage().contains("beyond column XFD"), ref + ": " + e.getMessage());
        }
    }

    @Test
    void aCellLongerThanExcelCouldHoldIsADamagedFileNotAGigabyteString() throws IOException {
        Path good = twoColumns();
        // random characters: text that repeats would be stopped earlier, by POI's zip-bomb ratio check
        java.util.Random random = new java.util.Random(7);
        StringBuilder text = new StringBuilder();
        while (text.length() <= XlsxText.MAX_CELL_CHARS) {
            text.append((char) (0x4E00 + random.nextInt(0x5000)));
        }
        String huge = text.toString();
        // inline text (in the sheet) and a shared string (in sharedStrings.xml): both are read in chunks and capped
        Path inline = rewrite(good, "xl/worksheets/sheet1.xml", "<c r=\"B1\"[^>]*>.*?</c>",
                "<c r=\"B1\" t=\"inlineStr\"><is><t>" + huge + "</t></is></c>");
        IOException e = assertThrows(IOException.class, () -> XlsxSource.open(inline));
        assertTrue(e.getMessage().contains("cell B1 holds more than"), e.getMessage());
        Path shared = rewrite(good, "xl/sharedStrings.xml", "<t>b</t>", "<t>" + huge + "</t>");
        e = assertThrows(IOException.class, () -> XlsxSource.open(shared));
        assertTrue(e.getMessage().contains("shared string 2 holds more than"), e.getMessage());
    }

    private Path twoColumns() throws IOException {
        XSSFWorkbook wb = new XSSFWorkbook();
        Row header = wb.createSheet("s").createRow(0);
        header.createCell(0).setCellValue("a");
        header.createCell(1).setCellValue("b");
        return save(wb, "good.xlsx");
    }

    /** The workbook with one part changed: what matches the regular expression {@code from} replaced. */
    private Path rewrite(Path xlsx, String part, String from, String to) throws IOException {
        Path out = dir.resolve("rewritten-" + Math.abs((part + to).hashCode()) + ".xlsx");
        boolean replaced = false;
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(xlsx.toFile());
             java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(out))) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().equals(part)) {
                    String xml = new String(b, StandardCharsets.UTF_8);
                    replaced = java.util.regex.Pattern.compile(from).matcher(xml).find();
                    b = xml.replaceFirst(from, java.util.regex.Matcher.quoteReplacement(to)).getBytes(StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                zip.write(b);
                zip.closeEntry();
            }
        }
        assertTrue(replaced, from + " not in " + part);
        return out;
    }
}
