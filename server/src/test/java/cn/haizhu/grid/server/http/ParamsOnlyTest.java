package cn.haizhu.grid.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Query parameters are read through {@link Params} only, which reads none that the route's
 * operation in api/openapi.json does not declare. A handler reading {@code ctx.queryParams()} or
 * {@code request().getParam(…)} itself would slip past that check: this test finds such reads in
 * the server's sources.
 */
class ParamsOnlyTest {
    static final Path SOURCES = TestDatabases.projectDir().resolve("server/src/main/java");
    static final Pattern DIRECT_READ = Pattern.compile("\\.queryParams\\(\\)|\\.getParam\\(|\\.queryParam\\(|request\\(\\)\\.params\\(\\)");

    @Test
    void noHandlerReadsAQueryParameterPastParams() throws IOException {
        assertEquals(List.of(), linesMatching(DIRECT_READ, Path.of("http", "Params.java")),
                "read query parameters with Params (declared in api/openapi.json)");
    }

    /** The lines of the server's sources, other than {@code except}, where {@code read} is found. */
    static List<String> linesMatching(Pattern read, Path except) throws IOException {
        List<String> reads = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                if (f.endsWith(except)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (read.matcher(lines.get(i)).find()) {
                        reads.add(SOURCES.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        return reads;
    }

    @Test
    void theCheckFindsWhatItLooksFor() {
        assertTrue(DIRECT_READ.matcher("String q = ctx.queryParams().get(\"q\");").find());
        assertTrue(DIRECT_READ.matcher("ctx.request().getParam(\"types\")").find());
        assertTrue(DIRECT_READ.matcher("ctx.request().params().get(\"x\")").find());
        assertTrue(!DIRECT_READ.matcher("Params.text(ctx, \"q\")").find());
    }
}
