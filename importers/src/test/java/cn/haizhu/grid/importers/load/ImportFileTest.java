package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import cn.haizhu.grid.importers.source.RecordSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import's file: its format, its records and its SHA-256, a CSV from one read. */
class ImportFileTest {
    @TempDir
    Path dir;

    @Test
    void aCsvIsHashedFromTheBytesItsReaderReads() throws Exception {
        StringBuilder csv = new StringBuilder("房屋编码,地址\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append("4401050010010").append(String.format("%05d", i)).append(",海珠区某路").append(i).append("号\n");
        }
        Path file = write("houses.csv", csv.toString());
        try (ImportFile f = ImportFile.of(request(file))) {
            assertEquals("csv", f.format());
            assertEquals(Files.size(file), f.bytes());
            assertNull(f.sha256IfRead(), "nothing read yet: no hash to record");
            long rows = 0;
            try (RecordSource records = f.records()) {
                assertEquals(List.of("房屋编码", "地址"), records.columns());
                while (records.next() != null) {
                    rows++;
                }
            }
            assertEquals(20_000, rows);
            assertEquals(sha256(file), f.sha256IfRead(), "the first read passed every byte through the digest");
            assertEquals(sha256(file), f.sha256());
        }
    }

    @Test
    void whatTheReaderDidNotReadIsHashedAtTheEnd() throws Exception {
        Path file = write("houses.csv", "房屋编码,地址\n" + "44010500100100001,某路1号\n".repeat(50_000));
        try (ImportFile f = ImportFile.of(request(file))) {
            try (RecordSource records = f.records()) {
                assertNotNull(records.next());   // a job that stops after one row
            }
            assertNull(f.sha256IfRead());
            assertEquals(sha256(file), f.sha256());
        }
    }

    @Test
    void aFormatReadItsOwnWayIsHashedBeforeItOpens() throws Exception {
        Path file = write("grids.geojson", """
                {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"44010500100101"},
                "geometry":{"type":"Point","coordinates":[113.3,23.1]}}]}""");
        try (ImportFile f = ImportFile.of(request(file))) {
            assertEquals("geojson", f.format());
            assertEquals(sha256(file), f.sha256IfRead());
            try (RecordSource records = f.records()) {
                assertNotNull(records.next());
            }
            try (RecordSource again = f.reopen()) {
                assertNotNull(again.next(), "a second pass reads the file again");
            }
        }
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static ImportRequest request(Path file) {
        return new ImportRequest(Dataset.HOUSES, file, null, null, null, Map.of(), true, ImportRequest.MaxErrors.NONE, "test");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
