package cn.haizhu.grid.importers.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.locationtech.jts.geom.Geometry;

/**
 * Every file reader gets mutated files through Jazzer, exactly as an upload is read: written to
 * disk under the name an officer would give it and opened with {@link RecordSources#open}, then
 * every record read. What may come out is a clear reject, an {@link IOException} (the readers' one
 * way of saying the file is unusable, which fails the import with its message), or records.
 * Anything else is a finding: a {@link RuntimeException} (NPE, index out of bounds...), an
 * {@link Error} ({@link OutOfMemoryError}, {@link StackOverflowError}), an input that takes longer
 * than {@value #SECONDS_PER_INPUT} s ({@link Timeout}: JUnit's per input in the suite, libFuzzer's
 * -timeout in a campaign), or one that makes the reader allocate more than
 * {@value #ALLOCATION_BASE_MIB} MiB plus {@value #ALLOCATION_PER_INPUT_BYTE} bytes per input byte
 * (a length field believed before it was checked), or one after which a file of the upload is still
 * open (a reader that leaks a descriptor on some path would, upload after upload, exhaust the server's).
 *
 * <p>Without JAZZER_FUZZ this is a regression test over the seeds and past findings under
 * {@code RecordSourcesFuzzTestInputs/<method>/} (seconds, part of {@code mvn verify}). With
 * JAZZER_FUZZ=1 one method is fuzzed: see {@code bench/fuzz} and docs/FUZZING.md.
 */
@Timeout(RecordSourcesFuzzTest.SECONDS_PER_INPUT)
class RecordSourcesFuzzTest {
    static final int SECONDS_PER_INPUT = 10;
    static final long ALLOCATION_BASE_MIB = 256;
    static final long ALLOCATION_PER_INPUT_BYTE = 1024;
    /** The shapefile parts packed into one input, in this order (see {@link #unpack}). */
    static final List<String> SHAPEFILE_PARTS = List.of("grid.shp", "grid.shx", "grid.dbf", "grid.prj");

    private static Path dir;

    @BeforeAll
    static void scratch() throws IOException {
        dir = Files.createTempDirectory("haizhu-fuzz-");
    }

    @AfterAll
    static void removeScratch() throws IOException {
        delete(dir);
    }

    private static void delete(Path tree) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @FuzzTest
    void csv(byte[] data) throws IOException {
        read(Map.of("upload.csv", data), data.length);
    }

    /** The seeds are files the readers accept, so that the fuzzer starts from inside each format. */
    @Test
    void everySeedIsReadToTheEnd() throws Exception {
        Path inputs = Path.of(RecordSourcesFuzzTest.class.getResource("RecordSourcesFuzzTestInputs").toURI());
        Map<String, String> uploadNames = Map.of("csv", "upload.csv", "xlsx", "upload.xlsx", "geoJson", "upload.geojson",
                "geoPackage", "upload.gpkg", "shapefileZip", "upload.zip", "flatGeobuf", "upload.fgb");
        int seeds = 0;
        try (Stream<Path> files = Files.walk(inputs)) {
            for (Path seed : files.filter(p -> p.getFileName().toString().startsWith("seed-")).sorted().toList()) {
                String reader = seed.getParent().getFileName().toString();
                byte[] data = Files.readAllBytes(seed);
                Map<String, byte[]> upload = reader.equals("shapefile") ? unpack(data) : Map.of(uploadNames.get(reader), data);
                Path folder = Files.createTempDirectory(dir, "seed-");
                for (Map.Entry<String, byte[]> f : upload.entrySet()) {
                    Files.write(folder.resolve(f.getKey()), f.getValue());
                }
                int records = 0;
                try (RecordSource source = RecordSources.open(folder.resolve(upload.keySet().iterator().next()))) {
                    while (source.next() != null) {
                        records++;
                    }
                }
                assertTrue(records > 0, seed + " has no record");
                seeds++;
            }
        }
        assertEquals(14, seeds);
    }

    @FuzzTest
    void xlsx(byte[] data) throws IOException {
        read(Map.of("upload.xlsx", data), data.length);
    }

    @FuzzTest
    void geoJson(byte[] data) throws IOException {
        read(Map.of("upload.geojson", data), data.length);
    }

    @FuzzTest
    void geoPackage(byte[] data) throws IOException {
        read(Map.of("upload.gpkg", data), data.length);
    }

    /** A loose .shp + .shx + .dbf + .prj set, packed into one input. */
    @FuzzTest
    void shapefile(byte[] data) throws IOException {
        read(unpack(data), data.length);
    }

    @FuzzTest
    void shapefileZip(byte[] data) throws IOException {
        read(Map.of("upload.zip", data), data.length);
    }

    @FuzzTest
    void flatGeobuf(byte[] data) throws IOException {
        read(Map.of("upload.fgb", data), data.length);
    }

    /** Writes the files, opens the first as an upload is opened, reads it to the end; IOException is a clear reject. */
    private static void read(Map<String, byte[]> files, int inputBytes) throws IOException {
        Path folder = Files.createTempDirectory(dir, "in-");
        try {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(folder.resolve(f.getKey()), f.getValue());
            }
            Path upload = folder.resolve(files.keySet().iterator().next());
            long classesBefore = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
            long before = allocated();
            try (RecordSource source = RecordSources.open(upload)) {
                source.columns().size();
                source.declaredCrs();
                source.hasGeometry();
                for (SourceRecord r; (r = source.next()) != null; ) {
                    for (String v : r.values()) {
                        if (v != null) {
                            v.length();
                        }
                    }
                    Geometry g = r.geometry();
                    if (g != null) {
                        g.getNumPoints();
                        g.getEnvelopeInternal();
                    }
                    source.progress();
                }
            } catch (IOException rejected) {
                // a clear reject: the import fails with this message and loads nothing
            }
            List<Path> open = openFilesUnder(folder);
            assertTrue(open.isEmpty(), "the reader left files open after close: " + open);
            long used = allocated() - before;
            long allowed = (ALLOCATION_BASE_MIB << 20) + ALLOCATION_PER_INPUT_BYTE * inputBytes;
            // loading (and, while fuzzing, instrumenting) a library's classes is counted on this thread too:
            // only inputs read by classes already loaded are measured
            boolean warm = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() == classesBefore;
            assertTrue(!warm || used <= allowed, "the reader allocated " + (used >> 20) + " MiB for an input of " + inputBytes
                    + " bytes (allowed " + (allowed >> 20) + " MiB)");
        } finally {
            delete(folder);
        }
    }

    /** Files under {@code folder} this process still holds open (Linux's /proc; empty elsewhere). */
    private static List<Path> openFilesUnder(Path folder) {
        File[] fds = new File("/proc/self/fd").listFiles();
        List<Path> open = new ArrayList<>();
        for (File fd : fds == null ? new File[0] : fds) {
            try {
                Path target = Files.readSymbolicLink(fd.toPath());
                if (target.startsWith(folder)) {
                    open.add(target.getFileName());
                }
            } catch (IOException | UnsupportedOperationException gone) {
                // closed meanwhile, or not a link
            }
        }
        return open;
    }

    /** Bytes this thread has allocated so far (HotSpot counts them per thread). */
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * The parts of {@link #SHAPEFILE_PARTS} from one input: each but the last as a 4-byte big-endian
     * length and its bytes (a length past the end takes what is left), the last the rest.
     */
    static Map<String, byte[]> unpack(byte[] data) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(data);
        for (int i = 0; i < SHAPEFILE_PARTS.size(); i++) {
            int n = b.remaining();
            if (i < SHAPEFILE_PARTS.size() - 1 && b.remaining() >= 4) {
                n = (int) Math.min(Integer.toUnsignedLong(b.getInt()), b.remaining());
            } else if (i < SHAPEFILE_PARTS.size() - 1) {
                n = 0;
                b.position(b.limit());
            }
            byte[] part = new byte[n];
            b.get(part);
            files.put(SHAPEFILE_PARTS.get(i), part);
        }
        return files;
    }

    /** The inverse of {@link #unpack}, for the seeds. */
    static byte[] pack(List<byte[]> parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += 4 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size - 4);
        for (int i = 0; i < parts.size(); i++) {
            if (i < parts.size() - 1) {
                b.putInt(parts.get(i).length);
            }
            b.put(parts.get(i));
        }
        return b.array();
    }
}
