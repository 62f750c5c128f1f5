package cn.haizhu.grid.importers.demo;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/**
 * Writes RFC 7946 FeatureCollections of MultiPolygons: one feature per line, string properties in
 * the order given, exterior rings counter-clockwise and holes clockwise (the right-hand rule of
 * RFC 7946 §3.1.6), coordinates with 7 decimals.
 */
final class GeoJsonOut {
    private GeoJsonOut() {
    }

    /** One feature's properties (name, value pairs, written in this order) and geometry. */
    record Feature(List<String> properties, MultiPolygon geometry) {
    }

    static void write(Writer out, List<Feature> features) throws IOException {
        out.write("{\"type\":\"FeatureCollection\",\"features\":[\n");
        StringBuilder sb = new StringBuilder(1 << 16);
        for (int i = 0; i < features.size(); i++) {
            sb.setLength(0);
            feature(sb, features.get(i));
            sb.append(i + 1 < features.size() ? ",\n" : "\n");
            out.append(sb);
        }
        out.write("]}\n");
    }

    private static void feature(StringBuilder sb, Feature f) {
        sb.append("{\"type\":\"Feature\",\"properties\":{");
        List<String> p = f.properties();
        for (int i = 0; i < p.size(); i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            Text.jsonString(sb, p.get(i)).append(':');
            Text.jsonString(sb, p.get(i + 1));
        }
        sb.append("},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[");
        MultiPolygon mp = f.geometry();
        for (int k = 0; k < mp.getNumGeometries(); k++) {
            Polygon polygon = (Polygon) mp.getGeometryN(k);
            sb.append(k > 0 ? ",[" : "[");
            ring(sb, polygon.getExteriorRing(), true);
            for (int h = 0; h < polygon.getNumInteriorRing(); h++) {
                sb.append(',');
                ring(sb, polygon.getInteriorRingN(h), false);
            }
            sb.append(']');
        }
        sb.append("]}}");
    }

    private static void ring(StringBuilder sb, LineString ring, boolean counterClockwise) {
        Coordinate[] cs = ring.getCoordinates();
        boolean reverse = Orientation.isCCW(cs) != counterClockwise;
        sb.append('[');
        for (int i = 0; i < cs.length; i++) {
            Coordinate c = cs[reverse ? cs.length - 1 - i : i];
            if (i > 0) {
                sb.append(',');
            }
            sb.append('[');
            Text.decimal7(sb, c.x).append(',');
            Text.decimal7(sb, c.y).append(']');
        }
        sb.append(']');
    }
}
