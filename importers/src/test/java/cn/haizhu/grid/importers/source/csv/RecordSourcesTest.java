package cn.haizhu.grid.importers.source.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.RecordSources;
import cn.haizhu.grid.importers.source.geojson.GeoJsonSource;
import cn.haizhu.grid.importers.source.shapefile.TestShapefileWriter;
import cn.haizhu.grid.importers.source.xlsx.XlsxSource;
import com.linuxense.javadbf.DBFDataType;
import com.linuxense.javadbf.DBFField;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.io.WKTReader;

/** The factory's dispatch (kept with the CSV tests: most of what it sniffs for is text). */
class RecordSourcesTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path workbook(Workbook wb, String name) throws IOException {
        wb.createSheet("人口").createRow(0).createCell(0).setCellValue("姓名");
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p)) {
            wb.write(out);
        }
        wb.close();
        return p;
    }

    /** Zipped on Chinese Windows: entry names in GBK, and no flag saying which charset they are in. */
    @Test
    void aZippedShapefileWithGbkNamesOpens() throws Exception {
        Path src = dir.resolve("src");
        TestShapefileWriter.write(src, "grid", TestShapefileWriter.POINT,
                List.of(TestShapefileWriter.Shape.of(new WKTReader().read("POINT (113.32 23.09)"))),
                new DBFField[] {new DBFField("NAME", DBFDataType.CHARACTER, 20)}, List.<Object[]>of(new Object[] {"下渡"}),
                Charset.forName("GBK"), 0x4D, null, null);
        Path zip = dir.resolve("网格.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip), Charset.forName("GBK"))) {
            for (String ext : List.of("shp", "shx", "dbf")) {
                out.putNextEntry(new ZipEntry("海珠区网格/网格." + ext));
                out.write(Files.readAllBytes(src.resolve("grid." + ext)));
                out.closeEntry();
            }
        }
        try (RecordSource s = RecordSources.open(zip, RecordSources.Options.DEFAULT)) {
            assertEquals(List.of("NAME"), s.columns());
            assertEquals(List.of("下渡"), s.next().values());
        }
    }

    @Test
    void textByExtension() throws IOException {
        Path gbkTxt = write("人口.TXT", "身份证号,姓名\n1,张三\n".getBytes(Charset.forName("GBK")));
        try (RecordSource s = RecordSources.open(gbkTxt, RecordSources.Options.DEFAULT)) {
            assertInstanceOf(CsvSource.class, s);
            assertEquals(List.of("身份证号", "姓名"), s.columns());
        }
        // a .tsv is tab-separated even when its header also holds commas
        Path tsv = write("a.tsv", "名称,简称\t代码\nx,y\t1\n".getBytes(StandardCharsets.UTF_8));
        try (RecordSource s = RecordSources.open(tsv, new RecordSources.Options(StandardCharsets.UTF_8, null))) {
            assertEquals(List.of("名称,简称", "代码"), s.columns());
        }
        Path json = write("a.GeoJSON", "{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}".getBytes(StandardCharsets.UTF_8));
        try (RecordSource s = RecordSources.open(json, RecordSources.Options.DEFAULT)) {
            assertInstanceOf(GeoJsonSource.class, s);
        }
    }

    @Test
    void workbooksByExtensionAndByContent() throws IOException {
        Path x = workbook(new XSSFWorkbook(), "a.xlsx");
        try (RecordSource s = RecordSources.open(x, new RecordSources.Options(null, "人口"))) {
            assertInstanceOf(XlsxSource.class, s);
        }
        // an xlsx that was renamed .csv on its way to the data officer
        Path renamed = dir.resolve("export.csv");
        Files.copy(x, renamed);
        try (RecordSource s = RecordSources.open(renamed, RecordSources.Options.DEFAULT)) {
            assertInstanceOf(XlsxSource.class, s);
            assertEquals(List.of("姓名"), s.columns());
        }
    }

    @Test
    void oldXlsIsRefusedWithAdviceWhateverItsName() throws IOException {
        Path xls = workbook(new HSSFWorkbook(), "a.xls");
        IOException e = assertThrows(IOException.class, () -> RecordSources.open(xls, RecordSources.Options.DEFAULT));
        assertTrue(e.getMessage().contains("old Excel format .xls is not supported: save as .xlsx or CSV"), e.getMessage());
        Path disguised = dir.resolve("b.xlsx");
        Files.copy(xls, disguised);
        e = assertThrows(IOException.class, () -> RecordSources.open(disguised, RecordSources.Options.DEFAULT));
        assertTrue(e.getMessage().contains("old Excel format .xls"), e.getMessage());
    }

    @Test
    void unknownExtensionListsTheFormats() throws IOException {
        Path p = write("a.docx", new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> RecordSources.open(p, RecordSources.Options.DEFAULT));
        assertTrue(e.getMessage().contains("unsupported file type '.docx'") && e.getMessage().contains("GeoPackage (.gpkg)")
                && e.getMessage().contains("Shapefile"), e.getMessage());
    }

    @Test
    void missingFile() {
        IOException e = assertThrows(IOException.class,
                () -> RecordSources.open(dir.resolve("nope.csv"), RecordSources.Options.DEFAULT));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
