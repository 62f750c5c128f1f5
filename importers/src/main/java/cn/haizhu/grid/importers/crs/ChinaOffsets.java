package cn.haizhu.grid.importers.crs;

/**
 * The public approximations of the Chinese map offsets: GCJ-02 (国测局, used by AMap/Gaode, Tencent,
 * Google China) and BD-09 (Baidu, an extra offset on top of GCJ-02). All angles in degrees, (lon, lat)
 * pairs, interleaved in {@code double[]}; in place, no allocation.
 *
 * <p>WGS84 → GCJ-02 is the widely published formula (Krasovsky-ellipsoid constants, applied only
 * inside China's bounding box; outside it GCJ-02 equals WGS84). Its inverse has no closed form: we
 * iterate {@code wgs -= forward(wgs) - gcj}, which gains a factor of about 300 per step (measured
 * over Guangzhou), so two or three evaluations of the forward formula reach ~1 cm.
 * BD-09 ↔ GCJ-02 uses Baidu's published rotation/scale formula; its textbook inverse is only
 * approximate (up to ~5e-7 degrees), so it is refined by the same fixed-point iteration.
 *
 * <p>The offsets are obfuscation, not geodesy, and the public formulas are reconstructions of
 * unpublished official ones: how well they match (commonly cited as metre level) bounds the absolute
 * accuracy of a GCJ-02/BD-09 import, not the centimetre-level inversion here.
 */
public final class ChinaOffsets {
    private ChinaOffsets() {}

    private static final double A = 6378245.0;                 // Krasovsky 1940 semi-major axis
    private static final double EE = 0.00669342162296594323;   // Krasovsky 1940 e²
    private static final double PI = Math.PI;
    private static final double X_PI = Math.PI * 3000.0 / 180.0;
    /**
     * GCJ-02 → WGS84 stops once a correction is below this many degrees (~3 m). Each step shrinks the
     * error by a factor of ~300 (measured over Guangzhou), so what is left is about 1 cm: two
     * evaluations of the forward formula in Guangzhou (worst 1.03 cm measured), three where the
     * offset changes faster. A third step everywhere would buy 40 µm for 50% more time, which the
     * formula's own ~1 m fidelity to the official offset does not justify.
     */
    private static final double GCJ_TOLERANCE = 3e-5;
    /**
     * BD-09 → GCJ-02 stops once a correction is below this many degrees (~10 cm); the Baidu offset
     * changes by ~1e-3 per unit, so what is left is ~1e-9 degrees (0.1 mm), after one refinement
     * of the textbook starting value (which alone is off by up to ~5e-7 degrees).
     */
    private static final double BD_TOLERANCE = 1e-6;
    private static final int MAX_ITERATIONS = 10;

    /** The bounding box within which GCJ-02 differs from WGS84 (the one every public implementation uses). */
    public static boolean outOfChina(double lon, double lat) {
        return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
    }

    // ---- GCJ-02 ------------------------------------------------------------------------------

    /** WGS84 → GCJ-02 for {@code points} pairs from {@code offset}, in place. */
    public static void wgs84ToGcj02(double[] p, int offset, int points) {
        int end = offset + 2 * points;
        for (int i = offset; i < end; i += 2) {
            double lon = p[i];
            double lat = p[i + 1];
            if (!outOfChina(lon, lat)) {
                gcjForward(lon, lat, p, i);
            }
        }
    }

    /** GCJ-02 → WGS84 for {@code points} pairs from {@code offset}, in place (iterative, to ~1 cm). */
    public static void gcj02ToWgs84(double[] p, int offset, int points) {
        int end = offset + 2 * points;
        for (int i = offset; i < end; i += 2) {
            gcjInverse(p, i);
        }
    }

    /** GCJ-02 → BD-09 for {@code points} pairs from {@code offset}, in place. */
    public static void gcj02ToBd09(double[] p, int offset, int points) {
        int end = offset + 2 * points;
        for (int i = offset; i < end; i += 2) {
            bdForward(p[i], p[i + 1], p, i);
        }
    }

    /** BD-09 → GCJ-02 for {@code points} pairs from {@code offset}, in place (refined to ~1e-9 degrees). */
    public static void bd09ToGcj02(double[] p, int offset, int points) {
        int end = offset + 2 * points;
        for (int i = offset; i < end; i += 2) {
            bdInverse(p, i);
        }
    }

    /** WGS84 → BD-09, in place. */
    public static void wgs84ToBd09(double[] p, int offset, int points) {
        wgs84ToGcj02(p, offset, points);
        gcj02ToBd09(p, offset, points);
    }

    /** BD-09 → WGS84, in place. */
    public static void bd09ToWgs84(double[] p, int offset, int points) {
        int end = offset + 2 * points;
        for (int i = offset; i < end; i += 2) {
            bdInverse(p, i);
            gcjInverse(p, i);
        }
    }

    /** Convenience for one point: returns a new {lon, lat}. */
    public static double[] wgs84ToGcj02(double lon, double lat) {
        double[] p = {lon, lat};
        wgs84ToGcj02(p, 0, 1);
        return p;
    }

    /** Convenience for one point: returns a new {lon, lat}. */
    public static double[] gcj02ToWgs84(double lon, double lat) {
        double[] p = {lon, lat};
        gcj02ToWgs84(p, 0, 1);
        return p;
    }

    /** Convenience for one point: returns a new {lon, lat}. */
    public static double[] gcj02ToBd09(double lon, double lat) {
        double[] p = {lon, lat};
        gcj02ToBd09(p, 0, 1);
        return p;
    }

    /** Convenience for one point: returns a new {lon, lat}. */
    public static double[] bd09ToGcj02(double lon, double lat) {
        double[] p = {lon, lat};
        bd09ToGcj02(p, 0, 1);
        return p;
    }

    /**
     * Writes GCJ-02 of WGS84 (lon, lat) into out[i], out[i+1]; no bounding-box test. The published
     * formula, with sin(3a) = 3 sin a - 4 sin³ a and cos φ = √(1 - sin² φ) to save four of its twelve
     * trigonometric calls (identical up to rounding, ~1e-14 degrees).
     */
    private static void gcjForward(double lon, double lat, double[] out, int i) {
        double x = lon - 105.0;
        double y = lat - 35.0;
        double sqrtAbsX = Math.sqrt(Math.abs(x));
        double xy = x * y;
        double s2x = Math.sin(2.0 * x * PI);
        double s6x = s2x * (3.0 - 4.0 * s2x * s2x);          // sin(6πx)
        double sx3 = Math.sin(x / 3.0 * PI);
        double sx = sx3 * (3.0 - 4.0 * sx3 * sx3);           // sin(πx)
        double sy3 = Math.sin(y / 3.0 * PI);
        double sy = sy3 * (3.0 - 4.0 * sy3 * sy3);           // sin(πy)
        double s6x2x = (20.0 * s6x + 20.0 * s2x) * 2.0 / 3.0; // shared by both offsets

        double dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * xy + 0.2 * sqrtAbsX
                + s6x2x
                + (20.0 * sy + 40.0 * sy3) * 2.0 / 3.0
                + (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
        double dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * xy + 0.1 * sqrtAbsX
                + s6x2x
                + (20.0 * sx + 40.0 * sx3) * 2.0 / 3.0
                + (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;

        double radLat = lat / 180.0 * PI;
        double sinLat = Math.sin(radLat);
        double cosLat = Math.sqrt(1.0 - sinLat * sinLat);    // |lat| < 90 inside China's box
        double magic = 1 - EE * sinLat * sinLat;
        double sqrtMagic = Math.sqrt(magic);
        dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * PI);
        dLon = (dLon * 180.0) / (A / sqrtMagic * cosLat * PI);
        out[i] = lon + dLon;
        out[i + 1] = lat + dLat;
    }

    private static void gcjInverse(double[] p, int i) {
        double gLon = p[i];
        double gLat = p[i + 1];
        if (!(Double.isFinite(gLon) && Double.isFinite(gLat)) || outOfChina(gLon, gLat)) {
            return;
        }
        refine(ChinaOffsets::gcjForward, gLon, gLat, gLon, gLat, GCJ_TOLERANCE, p, i);
    }

    // ---- BD-09 -------------------------------------------------------------------------------

    /**
     * Baidu's GCJ-02 → BD-09: radius scaled by r + 2e-5 sin(y·xπ), angle turned by δ = 3e-6 cos(x·xπ),
     * then shifted. Written as a scale and a rotation of (x, y) rather than via atan2/cos/sin of the
     * angle: the same numbers up to rounding (~1e-15 degrees), three trigonometric calls fewer.
     */
    private static void bdForward(double x, double y, double[] out, int i) {
        double r = Math.sqrt(x * x + y * y);
        double scale = r == 0 ? 0 : (r + 0.00002 * Math.sin(y * X_PI)) / r;
        double delta = 0.000003 * Math.cos(x * X_PI);
        double cosD = 1.0 - 0.5 * delta * delta;              // |δ| ≤ 3e-6: series exact to 1e-23
        double sinD = delta - delta * delta * delta / 6.0;
        out[i] = scale * (x * cosD - y * sinD) + 0.0065;
        out[i + 1] = scale * (x * sinD + y * cosD) + 0.006;
    }

    private static void bdInverse(double[] p, int i) {
        double bLon = p[i];
        double bLat = p[i + 1];
        if (!(Double.isFinite(bLon) && Double.isFinite(bLat))) {
            return;
        }
        // Baidu's published approximate inverse as the starting point (undo the shift, the radial
        // scale and the rotation, each evaluated at the BD-09 point; the same first-order formula as
        // the textbook z = r - 2e-5 sin(y·xπ), θ = atan2(y, x) - 3e-6 cos(x·xπ), without atan2) ...
        double x = bLon - 0.0065;
        double y = bLat - 0.006;
        double r = Math.sqrt(x * x + y * y);
        double scale = r == 0 ? 0 : (r - 0.00002 * Math.sin(y * X_PI)) / r;
        double delta = 0.000003 * Math.cos(x * X_PI);
        double cosD = 1.0 - 0.5 * delta * delta;
        double sinD = delta - delta * delta * delta / 6.0;
        double lon = scale * (x * cosD + y * sinD);
        double lat = scale * (y * cosD - x * sinD);
        // ... then fixed-point refinement against the exact forward formula
        refine(ChinaOffsets::bdForward, lon, lat, bLon, bLat, BD_TOLERANCE, p, i);
    }

    /** A forward transform of (x, y), written to out[i], out[i + 1]. */
    private interface Forward {
        void apply(double x, double y, double[] out, int i);
    }

    /**
     * Inverts {@code forward} by fixed-point iteration: from the guess (lon, lat), move by the error
     * the forward transform makes against the target, until it is under the tolerance. Leaves the
     * result in p[i], p[i + 1].
     */
    private static void refine(Forward forward, double lon, double lat, double targetLon, double targetLat,
            double tolerance, double[] p, int i) {
        for (int k = 0; k < MAX_ITERATIONS; k++) {
            forward.apply(lon, lat, p, i);
            double eLon = p[i] - targetLon;
            double eLat = p[i + 1] - targetLat;
            lon -= eLon;
            lat -= eLat;
            if (Math.abs(eLon) < tolerance && Math.abs(eLat) < tolerance) {
                break;
            }
        }
        p[i] = lon;
        p[i + 1] = lat;
    }
}
