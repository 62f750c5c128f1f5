package cn.haizhu.grid.importers.crs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CoordinateSystemsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "EPSG:4326|EPSG:4326", "4326|EPSG:4326", "epsg:4326|EPSG:4326", "EPSG::4326|EPSG:4326",
        "urn:ogc:def:crs:EPSG::4326|EPSG:4326", "http://www.opengis.net/def/crs/EPSG/0/4326|EPSG:4326",
        "WGS84|EPSG:4326", "WGS 84|EPSG:4326", "wgs-84|EPSG:4326",
        "CRS84|OGC:CRS84", "OGC:CRS84|OGC:CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84|OGC:CRS84",
        "CGCS2000|EPSG:4490", "cgcs 2000|EPSG:4490", "EPSG:4490|EPSG:4490",
        "EPSG:4547|EPSG:4547", "4547|EPSG:4547", "urn:ogc:def:crs:EPSG::4547|EPSG:4547",
        "EPSG:4526|EPSG:4526", " EPSG:4526 |EPSG:4526",
        "EPSG:3857|EPSG:3857", "900913|EPSG:3857", "EPSG:900913|EPSG:3857", "EPSG:102100|EPSG:3857",
        "GCJ-02|GCJ-02", "GCJ02|GCJ-02", "gcj|GCJ-02", "gcj_02|GCJ-02",
        "BD-09|BD-09", "BD09|BD-09", "bd|BD-09", "bd09ll|BD-09",
        "EPSG:32649|EPSG:32649", "EPSG:4546|EPSG:4546",
    })
    void resolvesDeclarations(String declaration, String name) {
        assertEquals(name, CoordinateSystems.resolve(declaration).name());
    }

    @Test
    void identitiesLeaveLonLatAlone() {
        for (String d : new String[] {"EPSG:4326", "EPSG:4490", "CRS84", "urn:ogc:def:crs:EPSG::4326"}) {
            SourceCrs crs = CoordinateSystems.resolve(d);
            assertTrue(crs.isIdentity(), d);
            double[] p = {113.3245, 23.1064};
            crs.toWgs84(p);
            assertEquals(113.3245, p[0], 0.0, d + ": x stays the longitude, whatever the EPSG axis order");
            assertEquals(23.1064, p[1], 0.0);
        }
        assertFalse(CoordinateSystems.resolve("GCJ-02").isIdentity());
        assertFalse(CoordinateSystems.resolve("EPSG:4547").isIdentity());
    }

    @Test
    void epsgInstancesAreShared() {
        assertSame(CoordinateSystems.resolve("EPSG:4547"), CoordinateSystems.resolve("4547"));
        assertSame(CoordinateSystems.resolve("EPSG:3857"), CoordinateSystems.resolve("900913"));
    }

    @Test
    void otherGaussKrugerZoneFromTheEpsgRegistry() {
        // echo "113.3245 23.1064" | gdaltransform -output_xy -s_srs EPSG:4326 -t_srs EPSG:4546
        // 738171.962424359 2558217.53974101
        double[] p = {738171.962424359, 2558217.53974101};
        CoordinateSystems.resolve("EPSG:4546").toWgs84(p);
        assertEquals(113.3245, p[0], 1e-8);
        assertEquals(23.1064, p[1], 1e-8);
        // echo "113.3245 23.1064" | gdaltransform -output_xy -s_srs EPSG:4326 -t_srs EPSG:32649
        // 738076.693638791 2557194.25280279
        p = new double[] {738076.693638791, 2557194.25280279};
        CoordinateSystems.resolve("EPSG:32649").toWgs84(p);
        assertEquals(113.3245, p[0], 1e-8);
        assertEquals(23.1064, p[1], 1e-8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "EPSG:99999", "EPSG:2154", "Mercator", "GCJ-03", "EPSG:4214", "EPSG:2383",
        "Xian 1980", "BD09MC", "+proj=tmerc +lon_0=114"})
    void badDeclarationsExplainWhatIsSupported(String declaration) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoordinateSystems.resolve(declaration));
        assertTrue(e.getMessage().toLowerCase().contains("supported coordinate systems: epsg:4326"), e.getMessage());
        assertTrue(e.getMessage().contains("GCJ-02") && e.getMessage().contains("EPSG:4547"), e.getMessage());
    }

    @Test
    void badDeclarationMessagesSayWhatWasWrong() {
        assertTrue(message("EPSG:99999").startsWith("unknown coordinate system \"EPSG:99999\""), message("EPSG:99999"));
        assertTrue(message("EPSG:2154").contains("+proj=lcc"), message("EPSG:2154"));
        assertTrue(message("EPSG:4214").contains("Beijing 1954"), message("EPSG:4214"));
        assertTrue(message("EPSG:2383").contains("Xian 1980") && message("EPSG:2383").contains("7 parameters"),
                message("EPSG:2383"));
        assertTrue(message("Xian 1980").contains("7 parameters"), message("Xian 1980"));
        assertTrue(message("BD09MC").contains("bd09ll"), message("BD09MC"));
        assertTrue(message(null).startsWith("no coordinate system declared"), message(null));
        assertTrue(message("+proj=tmerc +lon_0=114").startsWith("PROJ strings are not accepted"));
    }

    @Test
    void guessesFromCoordinateValues() {
        assertEquals(Optional.of("EPSG:4326"), CoordinateSystems.guessFromCoordinates(113.3245, 23.1064));
        assertEquals(Optional.of("EPSG:4526"), CoordinateSystems.guessFromCoordinates(38430799.31, 2556480.91));
        assertEquals(Optional.of("EPSG:4547"), CoordinateSystems.guessFromCoordinates(430799.31, 2556480.91));
        assertEquals(Optional.of("EPSG:3857"), CoordinateSystems.guessFromCoordinates(12615225.63, 2644890.99));
        assertEquals(Optional.empty(), CoordinateSystems.guessFromCoordinates(2.35, 48.85));
        assertEquals(Optional.empty(), CoordinateSystems.guessFromCoordinates(Double.NaN, 23));
        assertEquals(Optional.empty(), CoordinateSystems.guessFromCoordinates(5_000_000, 5_000_000));
    }

    @Test
    void hintsForErrorMessages() {
        assertEquals("coordinates look like EPSG:4547; pass --crs EPSG:4547",
                CoordinateSystems.hint(430799.31, 2556480.91).orElseThrow());
        assertEquals("coordinates look like EPSG:4526; pass --crs EPSG:4526",
                CoordinateSystems.hint(38430799.31, 2556480.91).orElseThrow());
        assertTrue(CoordinateSystems.hint(23.1064, 113.3245).orElseThrow().contains("swapped"));
        assertTrue(CoordinateSystems.hint(2556480.91, 430799.31).orElseThrow().contains("swapped"));
        assertTrue(CoordinateSystems.hint(113.3, 23.1).orElseThrow().contains("EPSG:4326"));
        assertTrue(CoordinateSystems.hint(0, 0).isEmpty());
    }

    @Test
    void guessedDeclarationsResolve() {
        double[][] samples = {{113.3245, 23.1064}, ProjectedCrsTest.TOWER_4526, ProjectedCrsTest.TOWER_4547,
            ProjectedCrsTest.TOWER_3857};
        for (double[] s : samples) {
            String guess = CoordinateSystems.guessFromCoordinates(s[0], s[1]).orElseThrow();
            double[] p = s.clone();
            CoordinateSystems.resolve(guess).toWgs84(p);
            assertEquals(113.3245, p[0], 1e-7, guess);
            assertEquals(23.1064, p[1], 1e-7, guess);
        }
    }

    private static String message(String declaration) {
        return assertThrows(IllegalArgumentException.class, () -> CoordinateSystems.resolve(declaration)).getMessage();
    }
}
