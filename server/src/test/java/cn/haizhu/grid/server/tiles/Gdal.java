package cn.haizhu.grid.server.tiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * GDAL's command-line tools as a real client (Debian gdal-bin, installed by {@code ./gridctl setup}):
 * a test that needs them is skipped only where they are absent. The bearer token goes in
 * GDAL_HTTP_HEADERS, as a partner's script would pass it.
 */
public final class Gdal {
    public record Run(int exit, String output) {
    }

    private Gdal() {
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ogr2ogr")) && Files.isExecutable(Path.of("/usr/bin/ogrinfo")),
                "GDAL (ogr2ogr, ogrinfo) is not installed");
    }

    /** Runs a GDAL tool with the token in GDAL_HTTP_HEADERS; stdout and stderr together. */
    public static Run run(String token, String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GDAL_HTTP_HEADERS", "Authorization: Bearer " + token);
        // no proxy from the environment between GDAL and the test server
        pb.environment().put("GDAL_HTTP_PROXY", "");
        pb.environment().put("NO_PROXY", "127.0.0.1,localhost");
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("GDAL did not finish: " + cmd);
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
