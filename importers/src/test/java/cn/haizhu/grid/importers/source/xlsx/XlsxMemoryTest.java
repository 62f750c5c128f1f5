package cn.haizhu.grid.importers.source.xlsx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evidence that reading an xlsx does not hold the sheet: 200,000 rows of distinct IDs, names and
 * addresses (600k entries in the shared-string table, as Excel writes them) are read in a separate JVM whose
 * heap is capped at {@value #HEAP}. Held as Java objects, the rows alone would need several times
 * that (200k rows x 6 cells, ~100 MB); POI's in-heap shared-string table alone would need ~50 MB.
 */
class XlsxMemoryTest {
    static final String HEAP = "-Xmx40m";
    static final int ROWS = 200_000;

    @TempDir
    Path dir;

    @Test
    void twoHundredThousandRowsInAFortyMegabyteHeap() throws Exception {
        long t0 = System.nanoTime();
        Path file = dir.resolve("big.xlsx");
        writeWorkbook(file);
        long t1 = System.nanoTime();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java, HEAP, "-XX:+UseSerialGC", "-cp", cp, Reader.class.getName(), file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the reader did not finish");
        assertEquals(0, p.exitValue(), out);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        System.out.println("XlsxMemoryTest (" + HEAP + "): " + last + "; write " + (t1 - t0) / 1_000_000
                + " ms, read in the child JVM " + (System.nanoTime() - t1) / 1_000_000 + " ms");
        assertTrue(last.startsWith("rows=" + ROWS + " "), out);
    }

    /**
     * Writes the workbook part by part as Excel lays it out (every text cell an index into
     * xl/sharedStrings.xml, a styles part with a date format). POI's SXSSF with a shared-string
     * table would do the same but takes about a minute for 200k rows on a busy 2-core machine.
     */
    static void writeWorkbook(Path file) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            Writer w = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
            part(zip, w, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                    + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                    + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                    + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                    + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                    + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                    + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
                    + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
                    + "</Types>");
            part(zip, w, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
                    + "</Relationships>");
            part(zip, w, "xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                    + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                    + "<sheets><sheet name=\"人口\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            part(zip, w, "xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                    + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
                    + "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
                    + "</Relationships>");
            part(zip, w, "xl/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                    + "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"宋体\"/></font></fonts>"
                    + "<fills count=\"1\"><fill><patternFill patternType=\"none\"/></fill></fills>"
                    + "<borders count=\"1\"><border/></borders>"
                    + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
                    + "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
                    + "<xf numFmtId=\"14\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>"
                    + "</styleSheet>");
            String[] header = {"身份证号", "姓名", "地址", "经度", "纬度", "登记日期"};
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
            w.write("<row r=\"1\">");
            for (int i = 0; i < header.length; i++) {
                w.write("<c r=\"" + (char) ('A' + i) + "1\" t=\"s\"><v>" + i + "</v></c>");
            }
            w.write("</row>");
            int strings = header.length;
            for (int r = 1; r <= ROWS; r++) {
                int row = r + 1;
                // each row: three distinct shared strings (ID, name, address), two numbers, a date
                w.write("<row r=\"" + row + "\"><c r=\"A" + row + "\" t=\"s\"><v>" + strings + "</v></c>"
                        + "<c r=\"B" + row + "\" t=\"s\"><v>" + (strings + 1) + "</v></c>"
                        + "<c r=\"C" + row + "\" t=\"s\"><v>" + (strings + 2) + "</v></c>"
                        + "<c r=\"D" + row + "\"><v>" + (113.25 + r * 1e-7) + "</v></c>"
                        + "<c r=\"E" + row + "\"><v>" + (23.08 + r * 1e-7) + "</v></c>"
                        + "<c r=\"F" + row + "\" s=\"1\"><v>" + (45000 + r % 365) + "</v></c></row>");
                strings += 3;
            }
            w.write("</sheetData></worksheet>");
            w.flush();
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("xl/sharedStrings.xml"));
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"" + strings
                    + "\" uniqueCount=\"" + strings + "\">");
            for (String h : header) {
                w.write("<si><t>" + h + "</t></si>");
            }
            for (int r = 1; r <= ROWS; r++) {
                w.write("<si><t>" + String.format("440105%012d", r) + "</t></si><si><t>居民" + r
                        + "</t></si><si><t>广州市海珠区江南大道中" + r + "号之" + (r % 97) + "</t></si>");
            }
            w.write("</sst>");
            w.flush();
            zip.closeEntry();
        }
    }

    private static void part(ZipOutputStream zip, Writer w, String name, String xml) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        w.write(xml);
        w.flush();
        zip.closeEntry();
    }

    /** Runs in the small-heap JVM: reads every row, checks a few values, reports peak heap. */
    public static final class Reader {
        public static void main(String[] args) throws IOException {
            long rows = 0;
            try (XlsxSource s = XlsxSource.open(Paths.get(args[0]))) {
                if (!s.columns().equals(List.of("身份证号", "姓名", "地址", "经度", "纬度", "登记日期"))) {
                    throw new IllegalStateException("columns " + s.columns());
                }
                for (SourceRecord r; (r = s.next()) != null; ) {
                    rows++;
                    if (r.row() != rows + 1 || !r.values().get(1).equals("居民" + rows)
                            || !r.values().get(2).startsWith("广州市海珠区江南大道中" + rows + "号")
                            || !r.values().get(5).matches("\\d{4}-\\d{2}-\\d{2}")) {
                        throw new IllegalStateException("row " + r.row() + ": " + r.values());
                    }
                }
            }
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("rows=" + rows + " peakHeapMB=" + peak / (1024 * 1024)
                    + " maxHeapMB=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
        }
    }
}
