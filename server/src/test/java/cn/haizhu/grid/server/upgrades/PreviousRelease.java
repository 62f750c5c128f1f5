package cn.haizhu.grid.server.upgrades;

import cn.haizhu.grid.data.db.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The previous release (recorded in {@code upgrades/previous-release.properties}: its commit and the
 * newest versioned migration it carries) and its server jar, built from the repository's history: {@code
 * git archive <commit>} into {@code server/target/previous-release/}, then a Maven package (offline, else online) of
 * its server module with tests skipped (about a minute). The jar is cached by commit in {@code
 * ~/.cache/gridctl/previous-release/<commit>/gridctl.jar}, written beside it and renamed into place, so
 * a later run (or another JVM building at the same time) finds either no jar or a whole one.
 */
final class PreviousRelease {
    private static final Properties RELEASE = load();
    private static final long BUILD_MINUTES = 15;

    private PreviousRelease() {
    }

    /** The previous release's commit (full id). */
    static String commit() {
        return RELEASE.getProperty("commit").strip();
    }

    /** The newest versioned migration the previous release carries. */
    static int schema() {
        return Integer.parseInt(RELEASE.getProperty("schema").strip());
    }

    /** The previous release's server jar: from the cache, or built now (and cached). */
    static synchronized Path jar() throws IOException, InterruptedException {
        Path cached = cacheDir().resolve("gridctl.jar");
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        Path project = TestDatabases.projectDir();
        String commit = commit();
        if (run(project, project.resolve("server/target/previous-release.log"), "git", "cat-file", "-e", commit + "^{commit}") != 0) {
            throw new IllegalStateException("the previous release's commit " + commit + " is not in the history of " + project
                    + ": a shallow clone? (git fetch --unshallow) CI's clean clone of main has it");
        }
        long t0 = System.nanoTime();
        Path work = project.resolve("server/target/previous-release").resolve(commit + "-" + ProcessHandle.current().pid());
        deleteTree(work);
        Files.createDirectories(work);
        Path log = work.resolveSibling(commit + "-" + ProcessHandle.current().pid() + ".log");
        Path tar = work.resolveSibling(commit + "-" + ProcessHandle.current().pid() + ".tar");
        if (run(project, log, "git", "archive", "--format=tar", "-o", tar.toString(), commit) != 0
                || run(work, log, "tar", "-xf", tar.toString()) != 0) {
            throw new IllegalStateException("cannot unpack " + commit + " (git archive, tar): " + tail(log));
        }
        Files.delete(tar);
        // offline first: the previous release's dependencies are mostly this one's, in ~/.m2 already; on a clean
        // machine one it alone needs (a version this release moved on from) is fetched by a second, online try
        if (run(work, log, "mvn", "-B", "-q", "-o", "package", "-DskipTests", "-pl", "server", "-am") != 0
                && run(work, log, "mvn", "-B", "-q", "package", "-DskipTests", "-pl", "server", "-am") != 0) {
            throw new IllegalStateException("the previous release " + commit + " did not build (mvn package -pl server -am in "
                    + work + "): " + tail(log));
        }
        Files.createDirectories(cached.getParent());
        Path partial = cached.resolveSibling("gridctl.jar." + ProcessHandle.current().pid() + ".part");
        Files.copy(work.resolve("server/target/gridctl.jar"), partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("previous release %s built in %.0f s into %s%n", commit, (System.nanoTime() - t0) / 1e9, cached);
        deleteTree(work);
        return cached;
    }

    private static Path cacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "gridctl", "previous-release", commit());
    }

    private static int run(Path dir, Path log, String... command) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took longer than " + BUILD_MINUTES + " min");
        }
        return p.exitValue();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Properties load() {
        try (InputStream in = PreviousRelease.class.getResourceAsStream("/upgrades/previous-release.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
