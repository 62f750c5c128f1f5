package cn.haizhu.grid.importers.source.shapefile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.importers.source.ArchiveRefused;
import cn.haizhu.grid.importers.source.RecordSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zipped shapefile is extracted within its caps, or refused whole with a reason in Chinese and
 * English, and in every case the extraction folder is gone when {@code open} fails.
 */
class ShapefileZipTest {
    /** Small caps, so that a bomb need not really expand to 2 GiB in a unit test. */
    static final ShapefileZip.Limits SMALL = new ShapefileZip.Limits(20, 1 << 20, 1 << 10);

    @TempDir
    Path tmp;
    /** Where extraction folders go; must be empty after every refusal. */
    Path scratch;
    /** The files of a real little shapefile: grid.shp, .shx, .dbf, .prj. */
    Map<String, byte[]> grid;

    @BeforeEach
    void shapefile() throws Exception {
        scratch = Files.createDirectory(tmp.resolve("scratch"));
        Path dir = tmp.resolve("src");
        TestShapefileWriter.write(dir, "grid", TestShapefileWriter.POLYGON, ShapefileSourceTest.gridShapes(),
                ShapefileSourceTest.gridFields(), ShapefileSourceTest.gridRows(), ShapefileSourceTest.GBK, 0x4D, null,
                TestShapefileWriter.PRJ_4547);
        grid = new LinkedHashMap<>();
        for (String ext : List.of("shp", "shx", "dbf", "prj")) {
            grid.put("grid." + ext, Files.readAllBytes(dir.resolve("grid." + ext)));
        }
    }

    @Test
    void aRealShapefileWithinTheCapsIsReadAndItsFolderGoesOnClose() throws Exception {
        Path zip = zip("grid.zip", grid);
        try (RecordSource src = ShapefileSource.open(zip, null, scratch, SMALL)) {
            assertEquals(1, listing(scratch).size());
            int n = 0;
            while (src.next() != null) {
                n++;
            }
            assertEquals(3, n);
        }
        assertEquals(List.of(), listing(scratch));
    }

    @Test
    void aDeflateBombIsRefusedByTheBytesItReallyInflates() throws Exception {
        Map<String, byte[]> bomb = new LinkedHashMap<>(grid);
        bomb.put("grid.dbf", new byte[8 << 20]);   // 8 MiB of zeros deflate to ~8 KB
        Path zip = zip("bomb.zip", bomb);
        assertTrue(Files.size(zip) < 64 << 10, "compressed " + Files.size(zip));
        ArchiveRefused e = refused(zip);
        assertTrue(e.zh().contains("超过 1 MiB") && e.zh().contains("压缩炸弹"), e.zh());
        assertTrue(e.en().contains("more than 1 MiB"), e.en());

        // the same bomb with headers that claim 100 bytes: the count is of inflated bytes, not of claims
        Path liar = tmp.resolve("liar.zip");
        Files.write(liar, claimSize(Files.readAllBytes(zip), "grid.dbf", 100));
        e = refused(liar);
        assertTrue(e.en().contains("more than 1 MiB"), e.en());
    }

    @Test
    void theTotalCountsEveryExtractedFile() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>(grid);
        files.put("grid.shp", concat(grid.get("grid.shp"), new byte[600 << 10]));
        files.put("grid.dbf", concat(grid.get("grid.dbf"), new byte[600 << 10]));
        ArchiveRefused e = refused(zip("two-halves.zip", files));
        assertTrue(e.en().contains("more than 1 MiB"), e.en());
    }

    @Test
    void aPrjOrCpgBeyondItsCapIsRefused() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>(grid);
        files.put("grid.cpg", "GBK".repeat(1000).getBytes(StandardCharsets.US_ASCII));
        ArchiveRefused e = refused(zip("cpg.zip", files));
        assertTrue(e.en().contains("grid.cpg is larger than 1 KiB"), e.en());
    }

    @Test
    void tooManyEntriesAreRefusedBeforeAnyIsRead() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>(grid);
        for (int i = 0; i < 30; i++) {
            files.put("notes/" + i + ".txt", new byte[0]);
        }
        ArchiveRefused e = refused(zip("many.zip", files));
        assertTrue(e.zh().contains("34 个，上限 20 个"), e.zh());
        assertTrue(e.en().contains("34 entries"), e.en());
    }

    @Test
    void theRealCapsAreThoseOfTheDocumentation() throws Exception {
        assertEquals(2L << 30, ShapefileZip.LIMITS.expandedBytes());
        assertEquals(1000, ShapefileZip.LIMITS.entries());
        Map<String, byte[]> files = new LinkedHashMap<>(grid);
        for (int i = 0; i < 1001; i++) {
            files.put("x/" + i, new byte[0]);
        }
        Path zip = zip("thousand.zip", files);
        ArchiveRefused e = assertThrows(ArchiveRefused.class,
                () -> ShapefileSource.open(zip, null, scratch, ShapefileZip.LIMITS));
        assertTrue(e.getMessage().contains("1005 entries, more than the 1000"), e.getMessage());
        assertEquals(List.of(), listing(scratch));
    }

    @Test
    void nestedArchivesAreRefused() throws Exception {
        for (String inner : List.of("grid.zip", "data/more.7z", "x.RAR", "backup/grid.shp.gz")) {
            Map<String, byte[]> files = new LinkedHashMap<>(grid);
            files.put(inner, new byte[] {'P', 'K', 3, 4});
            ArchiveRefused e = refused(zip("nested.zip", files));
            assertTrue(e.zh().contains("另一个压缩包") && e.en().contains("nested archives are refused"), inner + ": " + e.getMessage());
        }
    }

    @Test
    void unsafeEntryNamesAreRefused() throws Exception {
        for (String name : List.of("/etc/cron.d/grid.txt", "\\windows\\grid.dbf", "C:\\grid.prj", "c:grid.prj",
                "../grid.shx", "a/../../grid.cpg", "a\\..\\..\\evil.txt", "grid\u0000.txt", "new\nline.txt")) {
            Map<String, byte[]> files = new LinkedHashMap<>(grid);
            files.put(name, new byte[] {1});
            ArchiveRefused e = refused(zip("names.zip", files));
            assertTrue(e.en().contains("is unsafe") && e.zh().contains("不安全"), name + ": " + e.getMessage());
        }
        // dots inside a name are not a path segment
        Map<String, byte[]> files = new LinkedHashMap<>(grid);
        files.put("notes/v1..2.txt", new byte[] {1});
        try (RecordSource src = ShapefileSource.open(zip("dots.zip", files), null, scratch, SMALL)) {
            assertEquals(3, src.columns().size());
        }
    }

    @Test
    void aFileThatFailsAfterExtractionLeavesNoFolderBehind() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>(grid);
        files.put("grid.dbf", "not a dBASE file".getBytes(StandardCharsets.US_ASCII));
        Path zip = zip("broken.zip", files);
        assertThrows(IOException.class, () -> ShapefileSource.open(zip, null, scratch, SMALL));
        assertEquals(List.of(), listing(scratch));
    }

    private ArchiveRefused refused(Path zip) throws IOException {
        ArchiveRefused e = assertThrows(ArchiveRefused.class, () -> ShapefileSource.open(zip, null, scratch, SMALL));
        assertTrue(e.getMessage().startsWith(zip.getFileName() + ": " + e.zh() + " / " + e.en()), e.getMessage());
        assertEquals(List.of(), listing(scratch), "the extraction folder is left behind");
        return e;
    }

    private Path zip(String name, Map<String, byte[]> files) throws IOException {
        Path zip = tmp.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                out.putNextEntry(new ZipEntry(f.getKey()));
                out.write(f.getValue());
                out.closeEntry();
            }
        }
        return zip;
    }

    /** Rewrites the uncompressed size of one entry in its central-directory record (what ZipFile believes). */
    private static byte[] claimSize(byte[] zip, String entry, int size) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 < zip.length; i++) {
            if (b.getInt(i) == 0x02014b50 && (b.getShort(i + 28) & 0xFFFF) == name.length
                    && ByteBuffer.wrap(zip, i + 46, name.length).equals(ByteBuffer.wrap(name))) {
                b.putInt(i + 24, size);
                return zip;
            }
        }
        throw new IllegalArgumentException(entry + " not in the central directory");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.toList());
        }
    }
}
