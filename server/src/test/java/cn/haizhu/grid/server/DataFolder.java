package cn.haizhu.grid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What uploads leave in the test server's data folder: everything under {@code uploads/} (what
 * request bodies are streamed to, and import jobs' files) and {@code attachments/} (stored photos).
 */
public final class DataFolder {
    private static final String[] UPLOAD_FOLDERS = {"uploads", "attachments"};

    private DataFolder() {
    }

    /** Every file and folder inside the upload folders, by path relative to the data folder. */
    public static Set<String> uploadFiles() {
        Path data = TestServer.get().config.dataDir();
        Set<String> out = new TreeSet<>();
        for (String folder : UPLOAD_FOLDERS) {
            Path root = data.resolve(folder);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                // the folders themselves do not count: the server makes them on its first upload
                walk.filter(p -> !p.equals(root)).forEach(p -> out.add(data.relativize(p).toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (UncheckedIOException e) {
                // a file deleted while the walk passed it: look again
                return uploadFiles();
            }
        }
        return out;
    }

    /** What is there now and was not in {@code before}. */
    public static Set<String> newSince(Set<String> before) {
        Set<String> now = uploadFiles();
        now.removeAll(before);
        return now;
    }

    /**
     * Fails unless the upload folders hold nothing that was not in {@code before} (files that were
     * there may have gone). A request's files are deleted as it ends, just after its answer: allow a
     * few seconds.
     */
    public static void assertNothingNewSince(Set<String> before) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        Set<String> left = newSince(before);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = newSince(before);
        }
        assertEquals(Set.of(), left, "files left behind in the data folder");
    }
}
