package cn.haizhu.grid.importers.demo;

import org.locationtech.jts.geom.Envelope;

/**
 * How built-up each place in Haizhu is, as smooth relative weights over lon/lat: a floor plus a few
 * Gaussian bumps. The shape follows the district as it is: the old town in the north-west (南华西,
 * 海幢, 龙凤, 江南中) is the densest, the centre (昌岗, 素社, 滨江) dense, the east (华洲 orchards,
 * 官洲) sparse; offices and shops also gather in 琶洲 around the exhibition centre. Nothing here is
 * measured data.
 */
final class Density {
    /** The weight far from every bump: the sparse east. */
    private static final double FLOOR = 0.3;
    /** A degree of longitude is cos(23.1°) ≈ 0.92 of a degree of latitude here. */
    private static final double LON_FACTOR = 0.92;
    // lon, lat, amplitude, sigma (degrees)
    private static final double[][] RESIDENTIAL = {
        {113.268, 23.108, 2.7, 0.017}, // old town
        {113.292, 23.097, 0.9, 0.022}, // centre
        {113.325, 23.093, 0.35, 0.020}, // 赤岗, 新港
    };
    private static final double[][] COMMERCIAL = {
        {113.268, 23.108, 2.7, 0.017},
        {113.292, 23.097, 0.9, 0.022},
        {113.325, 23.093, 0.35, 0.020},
        {113.366, 23.100, 2.4, 0.010}, // 琶洲 exhibition and business district
    };

    private Density() {
    }

    /** Relative population and building density: about 4 in the old town, 0.3 in the far east. */
    static double residential(double lon, double lat) {
        return sum(RESIDENTIAL, lon, lat);
    }

    /** Relative density of businesses: the residential surface plus the 琶洲 business district. */
    static double commercial(double lon, double lat) {
        return sum(COMMERCIAL, lon, lat);
    }

    /** An upper bound of {@link #residential} within {@code env}, for rejection sampling. */
    static double residentialBound(Envelope env) {
        double bound = FLOOR;
        for (double[] b : RESIDENTIAL) {
            double lon = Math.max(env.getMinX(), Math.min(env.getMaxX(), b[0]));
            double lat = Math.max(env.getMinY(), Math.min(env.getMaxY(), b[1]));
            bound += bump(b, lon, lat);
        }
        return bound;
    }

    private static double sum(double[][] bumps, double lon, double lat) {
        double v = FLOOR;
        for (double[] b : bumps) {
            v += bump(b, lon, lat);
        }
        return v;
    }

    private static double bump(double[] b, double lon, double lat) {
        double dx = (lon - b[0]) * LON_FACTOR;
        double dy = lat - b[1];
        return b[2] * Math.exp(-(dx * dx + dy * dy) / (2 * b[3] * b[3]));
    }
}
