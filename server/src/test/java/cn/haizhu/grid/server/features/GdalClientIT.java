package cn.haizhu.grid.server.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * GDAL as a real client of the OGC API – Features: its OAPIF driver opens the landing page with a
 * bearer token (GDAL_HTTP_HEADERS, as a data partner's script would), follows the links to the
 * conformance classes and the collections, and pages through items. Skipped only where GDAL is not
 * installed ({@code ./gridctl setup} installs it).
 */
class GdalClientIT {
    static String run(List<String> command, String token) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("GDAL_HTTP_HEADERS", "Authorization: Bearer " + token);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ogrinfo ended");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + text);
        return text;
    }

    static String root() {
        return "http://127.0.0.1:" + URI.create(TestServer.get().baseUrl()).getPort() + "/";
    }

    static void requireGdal() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ogrinfo")) || onPath("ogrinfo"), "GDAL is not installed");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void ogrinfoListsEveryCollection() throws Exception {
        requireGdal();
        String out = run(List.of("ogrinfo", "-ro", "OAPIF:" + root()), Http.token("admin"));
        List<String> missing = new ArrayList<>();
        for (FeatureCollection c : FeatureCollection.ALL) {
            if (!out.contains(": " + c.id() + " ")) {
                missing.add(c.id());
            }
        }
        assertEquals(List.of(), missing, out);
    }

    @Test
    void ogrinfoReadsTheStreetsThroughPagingInTheirOwnScope() throws Exception {
        requireGdal();
        long streets = TestServer.get().count("SELECT count(*) FROM admin_area WHERE level = 'street'");
        String all = run(List.of("ogrinfo", "-ro", "-so", "-oo", "PAGE_SIZE=5", "OAPIF:" + root(), "streets"), Http.token("admin"));
        assertTrue(all.contains("Feature Count: " + streets), all);
        String one = run(List.of("ogrinfo", "-ro", "-oo", "PAGE_SIZE=5", "-q", "OAPIF:" + root(), "streets"),
                Http.token("command-440105001"));
        assertTrue(one.contains("440105001") && !one.contains("440105002"), one);
    }
}
