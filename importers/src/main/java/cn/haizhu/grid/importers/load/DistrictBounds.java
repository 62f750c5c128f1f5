package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.importers.crs.CoordinateSystems;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/**
 * The district outline plus a small buffer (200 m): a location outside it is a rejected row. This
 * catches swapped latitude/longitude and files in another coordinate system, and says which it
 * looks like. Thread-confined (JTS prepared geometries are not thread-safe).
 */
public final class DistrictBounds {
    static final double BUFFER_METRES = 200;
    private static final String OUTLINE = SqlFile.load(DistrictBounds.class, "district_outline");

    private final PreparedGeometry area;
    private final Envelope envelope;
    private final GeometryFactory factory = new GeometryFactory();

    private DistrictBounds(Geometry area) {
        this.area = area == null ? null : PreparedGeometryFactory.prepare(area);
        this.envelope = area == null ? null : area.getEnvelopeInternal();
    }

    /**
     * This node's district (at a city, the city) in the database, not whichever district row comes first: a
     * node may hold other districts' outlines. With none loaded yet, every location passes (grids come first).
     */
    public static DistrictBounds load(Connection c) throws SQLException {
        try (var ps = c.prepareStatement(OUTLINE)) {
            ps.setDouble(1, BUFFER_METRES);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new DistrictBounds(null);
                }
                return new DistrictBounds(new WKBReader().read(rs.getBytes(1)));
            }
        } catch (ParseException e) {
            throw new SQLException("district outline unreadable", e);
        }
    }

    public boolean contains(double lon, double lat) {
        if (area == null) {
            return true;
        }
        return envelope.contains(lon, lat) && area.contains(factory.createPoint(new Coordinate(lon, lat)));
    }

    /** A hint for the officer when a location is outside: swapped axes, or which CRS the numbers look like. */
    String hint(double x, double y) {
        if (contains(y, x)) {
            return " (latitude and longitude look swapped)";
        }
        return CoordinateSystems.guessFromCoordinates(x, y)
                .map(crs -> " (the numbers look like " + crs + "; give --crs " + crs + ")").orElse("");
    }

    String hintZh(double x, double y) {
        if (contains(y, x)) {
            return "（经纬度疑似颠倒）";
        }
        return CoordinateSystems.guessFromCoordinates(x, y).map(crs -> "（疑似 " + crs + " 坐标，请指定 --crs " + crs + "）").orElse("");
    }
}
