package cn.haizhu.grid.importers.crs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;

/**
 * Gauss-Krüger and Web Mercator through proj4j, checked against GDAL 3.6.2 / PROJ 9.1.1 (numbers
 * produced on the development machine with the commands quoted; GDAL is not called from the tests).
 */
class ProjectedCrsTest {
    /** Canton Tower (广州塔), WGS84. */
    static final double TOWER_LON = 113.3245;
    static final double TOWER_LAT = 23.1064;

    /** 1e-7 degrees is about 1 cm. */
    static final double DEG_1CM = 1e-7;

    // echo "113.3245 23.1064" | gdaltransform -output_xy -s_srs EPSG:4326 -t_srs EPSG:4547
    static final double[] TOWER_4547 = {430799.309402476, 2556480.91244832};
    // echo "113.3245 23.1064" | gdaltransform -output_xy -s_srs EPSG:4326 -t_srs EPSG:4526
    static final double[] TOWER_4526 = {38430799.3094025, 2556480.91244832};
    // echo "113.3245 23.1064" | gdaltransform -output_xy -s_srs EPSG:4326 -t_srs EPSG:3857
    static final double[] TOWER_3857 = {12615225.6344023, 2644890.99919472};

    @Test
    void cantonTowerInverseMatchesGdal() {
        assertLonLat("EPSG:4547", TOWER_4547, TOWER_LON, TOWER_LAT, 1e-8);
        assertLonLat("EPSG:4526", TOWER_4526, TOWER_LON, TOWER_LAT, 1e-8);
        assertLonLat("EPSG:3857", TOWER_3857, TOWER_LON, TOWER_LAT, 1e-9);
    }

    @Test
    void forwardMatchesGdalToTheMillimetre() {
        for (Object[] c : new Object[][] {{4547, TOWER_4547}, {4526, TOWER_4526}, {3857, TOWER_3857}}) {
            double[] p = {TOWER_LON, TOWER_LAT};
            ((ProjectedCrs) CoordinateSystems.byCode((Integer) c[0])).fromWgs84(p, 0, 1);
            double[] expected = (double[]) c[1];
            assertEquals(expected[0], p[0], 0.001, "easting EPSG:" + c[0]);
            assertEquals(expected[1], p[1], 0.001, "northing EPSG:" + c[0]);
        }
    }

    @Test
    void roundNumbersInverseMatchesGdal() {
        // printf "430000 2556000\n" | gdaltransform -output_xy -s_srs EPSG:4547 -t_srs EPSG:4326
        assertLonLat("EPSG:4547", new double[] {430000, 2556000}, 113.3167199647, 23.1020242222, 1e-9);
        // printf "38430000 2556000\n" | gdaltransform -output_xy -s_srs EPSG:4526 -t_srs EPSG:4326
        assertLonLat("EPSG:4526", new double[] {38430000, 2556000}, 113.3167199647, 23.1020242222, 1e-9);
        // printf "12615000 2645000\n" | gdaltransform -output_xy -s_srs EPSG:3857 -t_srs EPSG:4326
        assertLonLat("EPSG:3857", new double[] {12615000, 2645000}, 113.3224730917, 23.1073006165, 1e-9);
    }

    @Test
    void guangzhouCornersMatchGdal() {
        // printf "112.96 22.56\n114.05 23.93\n113.23 23.09\n" | gdaltransform -output_xy -s_srs EPSG:4326 -t_srs EPSG:4547
        assertLonLat("EPSG:4547", new double[] {393029.9377, 2496184.0481}, 112.96, 22.56, 1e-8);
        assertLonLat("EPSG:4547", new double[] {505090.3373, 2647536.5148}, 114.05, 23.93, 1e-8);
        assertLonLat("EPSG:4547", new double[] {421108.4258, 2554712.5026}, 113.23, 23.09, 1e-8);
    }

    @Test
    void forwardThenInverseRecoversLonLat() {
        for (int code : new int[] {4547, 4526, 3857}) {
            ProjectedCrs crs = (ProjectedCrs) CoordinateSystems.byCode(code);
            for (double lon = 112.9; lon <= 114.1; lon += 0.05) {
                for (double lat = 22.5; lat <= 24.0; lat += 0.05) {
                    double[] p = {lon, lat};
                    crs.fromWgs84(p, 0, 1);
                    crs.toWgs84(p);
                    assertEquals(lon, p[0], 1e-9, "lon EPSG:" + code);
                    assertEquals(lat, p[1], 1e-9, "lat EPSG:" + code);
                }
            }
        }
    }

    @Test
    void batchOfPairsWithOffset() {
        SourceCrs crs = CoordinateSystems.resolve("EPSG:4547");
        double[] xy = {-1, -1, TOWER_4547[0], TOWER_4547[1], 430000, 2556000, -2};
        crs.toWgs84(xy, 2, 2);
        assertEquals(-1, xy[0]);
        assertEquals(-1, xy[1]);
        assertEquals(TOWER_LON, xy[2], 1e-8);
        assertEquals(TOWER_LAT, xy[3], 1e-8);
        assertEquals(113.3167199647, xy[4], 1e-9);
        assertEquals(-2, xy[6]);
    }

    @Test
    void nonFiniteInputGivesNaN() {
        SourceCrs crs = CoordinateSystems.resolve("EPSG:4547");
        double[] p = {Double.NaN, 2556000, 430000, Double.POSITIVE_INFINITY};
        crs.toWgs84(p);
        for (double v : p) {
            assertTrue(Double.isNaN(v));
        }
    }

    @Test
    void geometryIsCopiedTransformedAndStampedWgs84() {
        GeometryFactory f = new GeometryFactory(new PrecisionModel(), 4547);
        double x = TOWER_4547[0];
        double y = TOWER_4547[1];
        Polygon square = f.createPolygon(new Coordinate[] {
            new Coordinate(x, y), new Coordinate(x + 100, y), new Coordinate(x + 100, y + 100),
            new Coordinate(x, y + 100), new Coordinate(x, y)});
        Envelope before = square.getEnvelopeInternal(); // cached envelope that must be invalidated

        Geometry out = CoordinateSystems.resolve("EPSG:4547").toWgs84(square);

        assertNotSame(square, out);
        assertEquals(4326, out.getSRID());
        assertEquals(before, square.getEnvelopeInternal(), "input untouched");
        assertEquals(x, square.getCoordinates()[0].x);
        Coordinate c0 = out.getCoordinates()[0];
        assertEquals(TOWER_LON, c0.x, 1e-8);
        assertEquals(TOWER_LAT, c0.y, 1e-8);
        assertTrue(out.isValid());
        assertTrue(((Polygon) out).getExteriorRing().isClosed());
        Envelope e = out.getEnvelopeInternal();
        assertTrue(e.getMinX() > 113 && e.getMaxX() < 114 && e.getMinY() > 23 && e.getMaxY() < 23.2, e.toString());
        // 100 m in lon/lat near 23°N: ~0.00098° of longitude, ~0.0009° of latitude
        assertEquals(0.000978, e.getWidth(), 0.00001);
        assertEquals(0.000904, e.getHeight(), 0.00001);
    }

    @Test
    void identityGeometryStillCopiesAndSetsSrid() {
        GeometryFactory f = new GeometryFactory();
        Geometry p = f.createPoint(new Coordinate(TOWER_LON, TOWER_LAT));
        Geometry out = CoordinateSystems.resolve("CGCS2000").toWgs84(p);
        assertNotSame(p, out);
        assertEquals(4326, out.getSRID());
        assertEquals(TOWER_LON, out.getCoordinate().x);
        assertEquals(0, p.getSRID());
    }

    @Test
    void oneInstanceServesManyThreads() throws Exception {
        for (String d : new String[] {"EPSG:4547", "GCJ-02", "BD-09"}) {
            SourceCrs crs = CoordinateSystems.resolve(d);
            double[] source = new double[20_000];
            for (int i = 0; i < source.length; i += 2) {
                source[i] = d.startsWith("EPSG") ? 420_000 + i : 113.3 + i * 1e-6;
                source[i + 1] = d.startsWith("EPSG") ? 2_550_000 + i : 23.1 + i * 1e-6;
            }
            double[] expected = source.clone();
            crs.toWgs84(expected);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                java.util.List<java.util.concurrent.Future<double[]>> results = new java.util.ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    results.add(pool.submit(() -> {
                        double[] w = source.clone();
                        for (int i = 0; i < w.length; i += 2) {
                            crs.toWgs84(w, i, 1); // point by point, to interleave threads as much as possible
                        }
                        return w;
                    }));
                }
                for (java.util.concurrent.Future<double[]> r : results) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, r.get(), 0.0, d);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    static void assertLonLat(String crs, double[] xy, double lon, double lat, double tolerance) {
        double[] p = xy.clone();
        CoordinateSystems.resolve(crs).toWgs84(p);
        assertEquals(lon, p[0], tolerance, crs + " lon of " + xy[0] + ", " + xy[1]);
        assertEquals(lat, p[1], tolerance, crs + " lat of " + xy[0] + ", " + xy[1]);
        assertTrue(tolerance <= DEG_1CM);
    }
}
