package cn.haizhu.grid.importers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full-scale demo set: the real Haizhu counts, generated in well under a minute, every row valid. */
class DemoGeneratorIT {
    @TempDir
    Path tmp;

    @Test
    void fullScale() throws IOException {
        long t0 = System.nanoTime();
        DemoManifest m = new DemoGenerator(1.0, DemoGenerator.DEFAULT_SEED).writeTo(tmp);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println("full-scale demo set generated in " + seconds + " s: " + m);
        assertTrue(seconds < 60, "full scale took " + seconds + " s");
        assertEquals(2769, m.grids());
        assertEquals(916_978, m.houses());
        assertEquals(1_581_460, m.persons());
        assertEquals(35_445, m.enterprises());

        DemoChecks.Stats stats = DemoChecks.assertValid(m);
        double persons = stats.persons();
        assertEquals(1.72, persons / stats.houses(), 0.01);
        assertEquals(0.65, stats.householdTypes().get("户籍") / persons, 0.03);
        assertEquals(0.33, stats.householdTypes().get("流动") / persons, 0.03);
        assertEquals(0.02, stats.householdTypes().get("境外") / persons, 0.01);
        assertTrue(stats.uses().get("住宅") > 0.8 * stats.houses(), stats.uses().toString());
        for (String tag : DemoChecks.TAGS) {
            int n = stats.tags().getOrDefault(tag, 0);
            assertTrue(n > 0 && n < 0.05 * persons, tag + ": " + n);
        }
    }
}
