package cn.haizhu.grid.importers.crs;

import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateReferenceSystem;
import org.locationtech.proj4j.CoordinateTransform;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.ProjCoordinate;
import org.locationtech.proj4j.Proj4jException;

/**
 * A projected system (Gauss-Krüger / transverse Mercator on CGCS2000 or WGS84, Web Mercator),
 * inverted with proj4j.
 *
 * <p>The target is the projection's own geographic system ({@link CoordinateReferenceSystem#createGeographic()}),
 * so proj4j does the inverse projection only and no datum step: CGCS2000 (GRS80 ellipsoid) lon/lat is
 * taken as WGS84 lon/lat, as the product decides (the two differ by centimetres). Asking proj4j for
 * GRS80 → WGS84 instead would route through geocentric coordinates between two ellipsoids whose
 * semi-minor axes differ by 0.1 mm: a no-op dressed up as a datum shift.
 *
 * <p>Thread-safe: proj4j 1.4.1's {@code BasicCoordinateTransform} keeps no per-call state; the two
 * {@link ProjCoordinate} scratch objects are per thread.
 */
final class ProjectedCrs implements SourceCrs {
    private static final CRSFactory CRS_FACTORY = new CRSFactory();
    private static final CoordinateTransformFactory CT_FACTORY = new CoordinateTransformFactory();
    private static final ThreadLocal<ProjCoordinate[]> SCRATCH =
            ThreadLocal.withInitial(() -> new ProjCoordinate[] {new ProjCoordinate(), new ProjCoordinate()});

    private final String name;
    private final CoordinateTransform inverse;
    private final CoordinateTransform forward;

    private ProjectedCrs(String name, CoordinateReferenceSystem projected) {
        this.name = name;
        CoordinateReferenceSystem geographic = projected.createGeographic();
        this.inverse = CT_FACTORY.createTransform(projected, geographic);
        this.forward = CT_FACTORY.createTransform(geographic, projected);
    }

    /** From proj4j's EPSG registry, e.g. {@code EPSG:4547}. */
    static ProjectedCrs epsg(int code) {
        String name = "EPSG:" + code;
        return new ProjectedCrs(name, CRS_FACTORY.createFromName(name));
    }

    /** From a PROJ.4 parameter string, e.g. a transverse Mercator read from a .prj file. */
    static ProjectedCrs fromProj4(String name, String proj4) {
        return new ProjectedCrs(name, CRS_FACTORY.createFromParameters(name, proj4));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void toWgs84(double[] xy, int offset, int points) {
        run(inverse, xy, offset, points);
    }

    /** The forward projection, lon/lat → x/y, in place; for tests and for generating sample files. */
    void fromWgs84(double[] xy, int offset, int points) {
        run(forward, xy, offset, points);
    }

    private static void run(CoordinateTransform t, double[] xy, int offset, int points) {
        ProjCoordinate[] s = SCRATCH.get();
        ProjCoordinate src = s[0];
        ProjCoordinate dst = s[1];
        int end = offset + 2 * points;
        for (int i = offset; i < end; i += 2) {
            double x = xy[i];
            double y = xy[i + 1];
            if (Double.isFinite(x) && Double.isFinite(y)) {
                src.x = x;
                src.y = y;
                try {
                    t.transform(src, dst);
                    xy[i] = dst.x;
                    xy[i + 1] = dst.y;
                    continue;
                } catch (Proj4jException e) {
                    // outside the projection's domain: NaN below
                }
            }
            xy[i] = Double.NaN;
            xy[i + 1] = Double.NaN;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
