package cn.haizhu.grid.importers.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.importers.source.geojson.GeoJsonFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoGeneratorTest {
    @TempDir
    static Path tmp;
    static DemoManifest manifest;

    @BeforeAll
    static void generate() throws IOException {
        manifest = new DemoGenerator(0.01, DemoGenerator.DEFAULT_SEED).writeTo(tmp.resolve("a"));
    }

    @Test
    void countsFollowTheScale() {
        // grids: max(267, round(27.69)); the rest round(N × 0.01)
        assertEquals(18, manifest.streets());
        assertEquals(267, manifest.communities());
        assertEquals(267, manifest.grids());
        assertEquals(9170, manifest.houses());
        assertEquals(15815, manifest.persons());
        assertEquals(354, manifest.enterprises());
        assertEquals(List.of("district.geojson", "streets.geojson", "communities.geojson", "grids.geojson",
                "houses.csv", "persons.csv", "enterprises.csv"),
                manifest.files().stream().map(p -> p.getFileName().toString()).toList());
        assertTrue(manifest.toString().startsWith("scale 0.01 seed 20240105: 18 streets, 267 communities, 267 grids, 9170 houses"));
    }

    @Test
    void sameScaleAndSeedWriteTheSameBytes() throws IOException {
        DemoManifest again = new DemoGenerator(0.01, DemoGenerator.DEFAULT_SEED).writeTo(tmp.resolve("b"));
        for (int i = 0; i < manifest.files().size(); i++) {
            assertArrayEquals(Files.readAllBytes(manifest.files().get(i)), Files.readAllBytes(again.files().get(i)),
                    manifest.files().get(i).getFileName() + " differs between two runs");
        }
        DemoManifest other = new DemoGenerator(0.01, 1).writeTo(tmp.resolve("c"));
        assertFalse(Files.mismatch(manifest.gridsFile(), other.gridsFile()) < 0, "another seed gives other grids");
        assertFalse(Files.mismatch(manifest.personsFile(), other.personsFile()) < 0, "another seed gives other people");
    }

    @Test
    void everyRowIsValid() throws IOException {
        DemoChecks.Stats stats = DemoChecks.assertValid(manifest);
        assertTrue(stats.uses().get("住宅") > 0.75 * stats.houses(), "mostly homes: " + stats.uses());
        int registered = stats.householdTypes().get("户籍");
        assertTrue(registered > 0.55 * stats.persons() && registered < 0.75 * stats.persons(), stats.householdTypes().toString());
        assertTrue(stats.emptyHouses() > 0, "some houses are empty");
        assertTrue(stats.personsWithPhone() < stats.persons(), "some people have no phone");
    }

    @Test
    void theOldTownIsDenser() throws IOException {
        DemoManifest m = new DemoGenerator(0.2, DemoGenerator.DEFAULT_SEED).writeTo(tmp.resolve("density"));
        assertEquals(554, m.grids());
        Map<String, double[]> byStreet = new HashMap<>(); // street → {grids, area, houses}
        for (var f : GeoJsonFeatures.read(m.gridsFile())) {
            double[] s = byStreet.computeIfAbsent(f.text("street_code"), k -> new double[3]);
            s[0]++;
            s[1] += f.geometry().getArea();
        }
        try (var lines = Files.lines(m.housesFile())) {
            lines.skip(1).forEach(l -> byStreet.get(l.substring(0, 9))[2]++);
        }
        // 南华西, 海幢, 江南中, 龙凤 in the north-west; 琶洲, 华洲, 官洲 in the east
        double[] west = sum(byStreet, "440105008", "440105007", "440105004", "440105009");
        double[] east = sum(byStreet, "440105015", "440105017", "440105018");
        assertTrue(west[0] / west[1] > 3 * east[0] / east[1], "grids per km² west vs east");
        assertTrue(west[2] / west[0] > 1.8 * east[2] / east[0], "houses per grid west vs east");
    }

    @Test
    void refusesScalesOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new DemoGenerator(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DemoGenerator(0.00009, 1));
        assertThrows(IllegalArgumentException.class, () -> new DemoGenerator(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new DemoGenerator(2.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new DemoGenerator(Double.NaN, 1));
    }

    private static double[] sum(Map<String, double[]> byStreet, String... streets) {
        double[] total = new double[3];
        for (String s : streets) {
            for (int i = 0; i < 3; i++) {
                total[i] += byStreet.get(s)[i];
            }
        }
        return total;
    }
}
