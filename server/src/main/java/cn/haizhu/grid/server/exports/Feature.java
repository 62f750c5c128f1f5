package cn.haizhu.grid.server.exports;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/**
 * The row an export is writing, reused from row to row (a district export makes no garbage per row
 * beyond its values): the field values in {@link ExportCollection#fields()} order (String, Integer,
 * Double or null) and the geometry as little-endian WKB, as PostGIS sent it.
 */
final class Feature {
    final Object[] values;
    byte[] wkb;
    private Geometry geometry;
    private final WKBReader reader = new WKBReader();

    Feature(int fields) {
        this.values = new Object[fields];
    }

    void geometry(byte[] wkb) {
        this.wkb = wkb;
        this.geometry = null;
    }

    /** A point's longitude, read straight from its WKB (byte order, type, x, y). */
    double x() {
        return ByteBuffer.wrap(wkb, 5, 8).order(ByteOrder.LITTLE_ENDIAN).getDouble();
    }

    double y() {
        return ByteBuffer.wrap(wkb, 13, 8).order(ByteOrder.LITTLE_ENDIAN).getDouble();
    }

    /** The geometry as JTS, parsed once per row when a writer needs more than a point's coordinates. */
    Geometry jts() {
        if (geometry == null) {
            try {
                geometry = reader.read(wkb);
            } catch (ParseException e) {
                throw new IllegalStateException("PostGIS sent WKB JTS cannot read", e);
            }
        }
        return geometry;
    }
}
