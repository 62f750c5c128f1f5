package cn.haizhu.grid.server.exports;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** GDAL's command-line tools as a real client of an export (skipped cleanly where GDAL is not installed). */
final class Gdal {
    private Gdal() {
    }

    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ogrinfo")), "GDAL (ogrinfo) is not installed: ./gridctl setup installs it");
    }

    /** {@code ogrinfo ARGS…}: its standard output; a non-zero exit fails the test with its output. */
    static String ogrinfo(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ogrinfo", "--config", "SHAPE_RESTORE_SHX", "NO"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("ogrinfo " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    /** The "Feature Count: N" of {@code ogrinfo -so -al}. */
    static long featureCount(String summary) {
        var m = java.util.regex.Pattern.compile("Feature Count: (\\d+)").matcher(summary);
        if (!m.find()) {
            throw new AssertionError("no feature count in:\n" + summary);
        }
        return Long.parseLong(m.group(1));
    }
}
