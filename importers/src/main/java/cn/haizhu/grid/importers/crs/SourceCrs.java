package cn.haizhu.grid.importers.crs;

import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Geometry;

/**
 * The coordinate system an imported file's coordinates are in, able to bring them to the stored
 * system: WGS84 longitude/latitude in degrees (EPSG:4326; CGCS2000 is treated as identical, no
 * datum shift). Get one from {@link CoordinateSystems#resolve(String)}.
 *
 * <p>Axis order is always x = easting/longitude, y = northing/latitude, on input and on output,
 * whatever the EPSG definition says about axis order (the traditional GIS order used by
 * Shapefile, GeoJSON, GeoPackage and the officers' spreadsheets).
 *
 * <p>Every implementation is immutable and thread-safe; one instance can serve all import threads.
 * Coordinates outside the system's domain give NaN (never an exception), so the caller's row
 * validation can reject them with the row number.
 */
public interface SourceCrs {

    /** SRID of everything {@link #toWgs84(Geometry)} returns. */
    int WGS84_SRID = 4326;

    /** Canonical name, e.g. {@code EPSG:4547}, {@code GCJ-02}; what to print in reports and logs. */
    String name();

    /** True when coordinates are already WGS84/CGCS2000 lon/lat and pass through unchanged. */
    default boolean isIdentity() {
        return false;
    }

    /**
     * Transforms {@code points} interleaved (x, y) pairs of {@code xy}, starting at array index
     * {@code offset}, in place to WGS84 (lon, lat). No allocation per point.
     */
    void toWgs84(double[] xy, int offset, int points);

    /** Transforms every (x, y) pair of {@code xy} in place: {@code {x, y}} for one point, {@code {x0, y0, x1, y1, ...}} for many. */
    default void toWgs84(double[] xy) {
        if ((xy.length & 1) != 0) {
            throw new IllegalArgumentException("xy must hold (x, y) pairs; length " + xy.length + " is odd");
        }
        toWgs84(xy, 0, xy.length / 2);
    }

    /**
     * A copy of {@code g} with every coordinate transformed to WGS84 lon/lat and SRID 4326. The input
     * is not modified. Z/M ordinates are kept as they are.
     */
    default Geometry toWgs84(Geometry g) {
        Geometry out = g.copy();
        if (!isIdentity()) {
            out.apply(new ToWgs84Filter(this));
        }
        out.setSRID(WGS84_SRID);
        out.geometryChanged();
        return out;
    }

    /** Applies a {@link SourceCrs} to each coordinate of a geometry; one instance per geometry (not thread-safe). */
    final class ToWgs84Filter implements CoordinateSequenceFilter {
        private final SourceCrs crs;
        private final double[] p = new double[2];

        public ToWgs84Filter(SourceCrs crs) {
            this.crs = crs;
        }

        @Override
        public void filter(CoordinateSequence seq, int i) {
            p[0] = seq.getX(i);
            p[1] = seq.getY(i);
            crs.toWgs84(p, 0, 1);
            seq.setOrdinate(i, CoordinateSequence.X, p[0]);
            seq.setOrdinate(i, CoordinateSequence.Y, p[1]);
        }

        @Override
        public boolean isDone() {
            return false;
        }

        @Override
        public boolean isGeometryChanged() {
            return true;
        }
    }
}
