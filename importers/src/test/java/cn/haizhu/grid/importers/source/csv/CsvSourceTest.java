package cn.haizhu.grid.importers.source.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {
    static final Charset GBK = Charset.forName("GBK");
    static final String HEADER = "身份证号,姓名,地址,经度,纬度\n";
    static final String ROWS = "44010519900307123X,张三,广州市海珠区江南大道中1号,113.2712345678901,23.1012345678901\n"
            + "440105198512120016,李四,\"海珠区新港西路, 135号\",113.30,23.09\n";

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static List<SourceRecord> all(CsvSource s) throws IOException {
        List<SourceRecord> out = new ArrayList<>();
        for (SourceRecord r; (r = s.next()) != null; ) {
            out.add(r);
        }
        return out;
    }

    private static void assertChinese(CsvSource s) throws IOException {
        assertEquals(List.of("身份证号", "姓名", "地址", "经度", "纬度"), s.columns());
        List<SourceRecord> rows = all(s);
        assertEquals(2, rows.size());
        assertEquals(2, rows.get(0).row());
        assertEquals(List.of("44010519900307123X", "张三", "广州市海珠区江南大道中1号", "113.2712345678901", "23.1012345678901"),
                rows.get(0).values());
        assertEquals("海珠区新港西路, 135号", rows.get(1).values().get(2));
        assertEquals(3, rows.get(1).row());
        assertNull(rows.get(0).geometry());
        assertEquals(1.0, s.progress(), 1e-9);
    }

    @Test
    void utf8IsDetected() throws IOException {
        try (CsvSource s = CsvSource.open(write("a.csv", (HEADER + ROWS).getBytes(StandardCharsets.UTF_8)))) {
            assertEquals(StandardCharsets.UTF_8, s.encoding());
            assertFalse(s.encodingDeclared());
            assertChinese(s);
        }
    }

    @Test
    void utf8BomIsSkippedAndWinsOverADeclaredGbk() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        b.write((HEADER + ROWS).getBytes(StandardCharsets.UTF_8));
        Path p = write("bom.csv", b.toByteArray());
        try (CsvSource s = CsvSource.open(p)) {
            assertChinese(s);
        }
        try (CsvSource s = CsvSource.open(p, GBK)) {
            assertEquals(StandardCharsets.UTF_8, s.encoding());
            assertChinese(s);
        }
    }

    @Test
    void utf16LittleEndianBom() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
        b.write((HEADER + ROWS).getBytes(StandardCharsets.UTF_16LE));
        try (CsvSource s = CsvSource.open(write("u16.csv", b.toByteArray()))) {
            assertEquals(StandardCharsets.UTF_16LE, s.encoding());
            assertChinese(s);
        }
    }

    @Test
    void gbkIsDetectedWithoutDeclaration() throws IOException {
        try (CsvSource s = CsvSource.open(write("gbk.csv", (HEADER + ROWS).getBytes(GBK)))) {
            assertEquals("GB18030", s.encoding().name());
            assertChinese(s);
        }
    }

    @Test
    void gbkDeclaredAsGbk() throws IOException {
        try (CsvSource s = CsvSource.open(write("gbk.csv", (HEADER + ROWS).getBytes(GBK)), GBK)) {
            assertTrue(s.encodingDeclared());
            assertChinese(s);
        }
    }

    @Test
    void gbkDeclaredAsUtf8FailsNamingTheRowInsteadOfProducingMojibake() throws IOException {
        // ASCII header so the first bad bytes are in data row 3
        String text = "id,name,addr\n1,ok,fine\n2,王五,海珠区\n";
        Path p = write("lie.csv", text.getBytes(GBK));
        try (CsvSource s = CsvSource.open(p, StandardCharsets.UTF_8)) {
            SourceRecord first = s.next();
            assertEquals(List.of("1", "ok", "fine"), first.values());
            IOException e = assertThrows(IOException.class, s::next);
            assertTrue(e.getMessage().contains("row 3"), e.getMessage());
            assertTrue(e.getMessage().contains("the file is not valid UTF-8; try --encoding GBK"), e.getMessage());
        }
    }

    @Test
    void gbkHeaderDeclaredAsUtf8FailsAtRowOne() throws IOException {
        Path p = write("lie.csv", (HEADER + ROWS).getBytes(GBK));
        IOException e = assertThrows(IOException.class, () -> CsvSource.open(p, StandardCharsets.UTF_8));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        assertTrue(e.getMessage().contains("not valid UTF-8; try --encoding GBK"), e.getMessage());
    }

    @Test
    void utf8AfterTheSniffWindowIsNotReadAsGbk() throws IOException {
        // a UTF-8 file whose first 64 KB are ASCII and whose later rows are GBK: an error, never mojibake
        StringBuilder sb = new StringBuilder("id,name\n");
        for (int i = 0; sb.length() < CsvSource.SNIFF_BYTES + 100; i++) {
            sb.append(i).append(",ascii\n");
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        b.write("99999,张三\n".getBytes(GBK));
        try (CsvSource s = CsvSource.open(write("late.csv", b.toByteArray()))) {
            IOException e = assertThrows(IOException.class, () -> all(s));
            assertTrue(e.getMessage().contains("not valid UTF-8 (detected from its first 64 KB); try --encoding GBK"),
                    e.getMessage());
        }
    }

    @Test
    void quotedFieldsWithCommasDoubledQuotesAndLineBreaks() throws IOException {
        String text = " 身份证号 ,姓名 ,备注\r\n"
                + "1,\"张\"\"三\"\"\",\"第一行\r\n第二行\"\r\n"
                + "2,李四,\"a,b\nc\n\"\r\n"
                + "\r\n"
                + "3,王五,last";
        try (CsvSource s = CsvSource.open(write("q.csv", text.getBytes(StandardCharsets.UTF_8)))) {
            assertEquals(List.of("身份证号", "姓名", "备注"), s.columns());
            SourceRecord a = s.next();
            assertEquals(2, a.row());
            assertEquals(List.of("1", "张\"三\"", "第一行\r\n第二行"), a.values());
            SourceRecord b = s.next();
            // a spreadsheet shows the multi-line record above as one row
            assertEquals(3, b.row());
            assertEquals(4, s.line());
            assertEquals(List.of("2", "李四", "a,b\nc\n"), b.values());
            SourceRecord c = s.next();
            // the blank line is row 4 and is skipped
            assertEquals(5, c.row());
            assertEquals(List.of("3", "王五", "last"), c.values());
            assertNull(s.next());
            assertNull(s.next());
        }
    }

    @Test
    void loneCarriageReturnsEndLines() throws IOException {
        try (CsvSource s = CsvSource.open(write("mac.csv", "a,b\r1,2\r3,4\r".getBytes(StandardCharsets.US_ASCII)))) {
            assertEquals(List.of("1", "2"), s.next().values());
            SourceRecord r = s.next();
            assertEquals(3, r.row());
            assertEquals(List.of("3", "4"), r.values());
            assertNull(s.next());
        }
    }

    @Test
    void unterminatedQuoteNamesTheRow() throws IOException {
        String text = "a,b\n1,ok\n2,\"never closed\n3,x\n4,y\n";
        try (CsvSource s = CsvSource.open(write("t.csv", text.getBytes(StandardCharsets.UTF_8)))) {
            assertEquals(2, s.next().row());
            IOException e = assertThrows(IOException.class, s::next);
            assertTrue(e.getMessage().contains("row 3"), e.getMessage());
            assertTrue(e.getMessage().contains("not closed"), e.getMessage());
        }
    }

    @Test
    void anUnclosedQuoteInALargeFileStopsAtTheRecordCapInsteadOfFillingTheHeap() throws IOException {
        byte[] body = new byte[CsvSource.MAX_RECORD_CHARS + 1024];
        java.util.Arrays.fill(body, (byte) 'x');
        byte[] head = "a,b\n1,\"".getBytes(StandardCharsets.UTF_8);
        byte[] file = new byte[head.length + body.length];
        System.arraycopy(head, 0, file, 0, head.length);
        System.arraycopy(body, 0, file, head.length, body.length);
        try (CsvSource s = CsvSource.open(write("unclosed.csv", file))) {
            IOException e = assertThrows(IOException.class, s::next);
            assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("longer than 32 million characters")
                    && e.getMessage().contains("without its closing"), e.getMessage());
        }
    }

    @Test
    void ragedRowsAreReturnedAsIs() throws IOException {
        try (CsvSource s = CsvSource.open(write("r.csv", "a,b\n1,2,3\n4\n".getBytes(StandardCharsets.UTF_8)))) {
            assertEquals(List.of("1", "2", "3"), s.next().values());
            assertEquals(List.of("4"), s.next().values());
        }
    }

    @Test
    void tabSeparatedHeaderSwitchesTheDelimiter() throws IOException {
        String text = "身份证号\t姓名\t地址\n1\t张三\t海珠区, 江南大道\n";
        try (CsvSource s = CsvSource.open(write("t.txt", text.getBytes(GBK)))) {
            assertEquals('\t', s.delimiter());
            assertEquals(List.of("身份证号", "姓名", "地址"), s.columns());
            assertEquals(List.of("1", "张三", "海珠区, 江南大道"), s.next().values());
        }
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        Path p = write("e.csv", new byte[0]);
        IOException e = assertThrows(IOException.class, () -> CsvSource.open(p));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void progressGrowsWithBytes() throws IOException {
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 50_000; i++) {
            sb.append(i).append(",海珠区\n");
        }
        try (CsvSource s = CsvSource.open(write("big.csv", sb.toString().getBytes(StandardCharsets.UTF_8)))) {
            double start = s.progress();
            assertTrue(start > 0 && start < 0.5, "progress " + start);
            int n = 0;
            while (s.next() != null) {
                n++;
            }
            assertEquals(50_000, n);
            assertEquals(1.0, s.progress(), 1e-9);
        }
    }
}
