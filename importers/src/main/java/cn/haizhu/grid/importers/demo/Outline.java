package cn.haizhu.grid.importers.demo;

import cn.haizhu.grid.data.areas.ReferenceAreas;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.geojson.GeoJsonReader;
import org.locationtech.jts.precision.GeometryPrecisionReducer;

/** The outline of Haizhu district from the shipped reference file. */
final class Outline {
    private Outline() {
    }

    /**
     * The district outline with coordinates rounded to 7 decimals (repeated vertices dropped), as a
     * valid polygon in the generator's {@linkplain AreaPartition#FACTORY factory}.
     *
     * @throws IllegalStateException if the reference file does not hold one valid polygon
     */
    static Polygon haizhu() {
        Geometry read;
        try {
            read = new GeoJsonReader(AreaPartition.FACTORY).read(ReferenceAreas.boundaryGeoJson());
        } catch (ParseException e) {
            throw new IllegalStateException("haizhu-boundary.geojson is not readable GeoJSON", e);
        }
        if (read.getNumGeometries() != 1 || !(read.getGeometryN(0) instanceof Polygon)) {
            throw new IllegalStateException("haizhu-boundary.geojson should hold one Polygon, found " + read.getGeometryType());
        }
        Geometry reduced = GeometryPrecisionReducer.reduce(read.getGeometryN(0), AreaPartition.PRECISION);
        if (!(reduced instanceof Polygon polygon) || !polygon.isValid()) {
            throw new IllegalStateException("the Haizhu outline is not one valid polygon after rounding to 7 decimals");
        }
        return polygon;
    }
}
