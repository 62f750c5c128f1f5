package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.importers.crs.SourceCrs;
import cn.haizhu.grid.importers.source.SourceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/** One record seen through the column mapping; coordinates come out in WGS84 and inside the district. */
public final class Row {
    private final Map<String, Integer> index;
    /** Per field, the officer's translations of words ({@link ValueMapping}); null where none. */
    private final Map<String, Map<String, String>> values;
    private final SourceCrs crs;
    private final DistrictBounds bounds;
    private SourceRecord record;
    private final double[] xy = new double[2];
    private final GeometryFactory factory = new GeometryFactory();
    /** What the checks of the current record warned of (null: nothing, the usual case). */
    private List<RejectedRow> warnings;

    void at(SourceRecord r) {
        record = r;
        warnings = null;
    }

    Row(Map<String, Integer> index, ValueMapping values, SourceCrs crs, DistrictBounds bounds) {
        this.index = index;
        this.values = values.isEmpty() ? null : values.byField();
        this.crs = crs;
        this.bounds = bounds;
    }

    /**
     * Notes that the current record loads, but not as written (an unknown house use kept as 其他): the
     * load reports it as a warning once the row is accepted.
     */
    void warn(String field, String value, String en, String zh) {
        if (warnings == null) {
            warnings = new ArrayList<>(1);
        }
        warnings.add(new RejectedRow(field, value, en, zh));
    }

    /** The current record's warnings, none for most rows. */
    List<RejectedRow> warnings() {
        return warnings == null ? List.of() : warnings;
    }

    /** Whether the file has a column for {@code field}. */
    public boolean has(String field) {
        return index.containsKey(field);
    }

    public long number() {
        return record.row();
    }

    public String get(String field) {
        Integer i = index.get(field);
        if (i == null || i >= record.values().size()) {
            return null;
        }
        String v = record.values().get(i);
        if (v == null) {
            return null;
        }
        v = v.strip();
        if (v.isEmpty()) {
            return null;
        }
        if (values != null) {
            Map<String, String> mapped = values.get(field);
            if (mapped != null) {
                v = mapped.getOrDefault(v, v);
            }
        }
        return v;
    }

    public String required(String field) throws RejectedRow {
        String v = get(field);
        if (v == null) {
            throw new RejectedRow(field, null, field + " is empty", field + " 不能为空");
        }
        return v;
    }

    /** lon/lat in WGS84: the record's point geometry, else the lon/lat columns; checked against the district. */
    public double[] point() throws RejectedRow {
        Geometry g = record.geometry();
        if (g != null) {
            if (!(g instanceof Point p) || p.isEmpty()) {
                throw new RejectedRow("geometry", g.getGeometryType(), "expected a point, got " + g.getGeometryType(),
                        "应为点位，实为 " + g.getGeometryType());
            }
            xy[0] = p.getX();
            xy[1] = p.getY();
        } else {
            xy[0] = number("lon");
            xy[1] = number("lat");
        }
        crs.toWgs84(xy);
        if (!bounds.contains(xy[0], xy[1])) {
            String where = String.format("%.6f,%.6f", xy[0], xy[1]);
            throw new RejectedRow("lon/lat", where, "location " + where + " is outside the district"
                    + bounds.hint(xy[0], xy[1]), "坐标 " + where + " 不在本区范围内" + bounds.hintZh(xy[0], xy[1]));
        }
        return xy;
    }

    /**
     * The record's polygon in WGS84 as a MultiPolygon (SRID 4326): the record's geometry, else
     * WKT text in the {@code wkt} column; every coordinate transformed from the source system,
     * its representative point checked against the district. Validity is not judged here
     * (PostGIS does that on the staged rows).
     */
    public MultiPolygon polygon() throws RejectedRow {
        Geometry g = record.geometry();
        if (g == null) {
            String wkt = get("wkt");
            if (wkt == null) {
                throw new RejectedRow("geometry", null, "the row has no geometry", "缺少几何图形（面）");
            }
            try {
                g = new WKTReader(factory).read(wkt);
            } catch (ParseException | IllegalArgumentException e) {
                throw new RejectedRow("wkt", abbreviated(wkt), "geometry is not readable WKT: " + e.getMessage(),
                        "几何图形不是可读的 WKT：" + e.getMessage());
            }
        }
        if (!(g instanceof Polygon || g instanceof MultiPolygon)) {
            throw new RejectedRow("geometry", g.getGeometryType(), "expected a Polygon or MultiPolygon, got "
                    + g.getGeometryType(), "应为面（Polygon/MultiPolygon），实为 " + g.getGeometryType());
        }
        if (g.isEmpty()) {
            throw new RejectedRow("geometry", g.getGeometryType(), "the polygon is empty", "几何图形为空");
        }
        Geometry w = crs.toWgs84(g);
        for (Coordinate c : w.getCoordinates()) {
            if (!Double.isFinite(c.x) || !Double.isFinite(c.y)) {
                String where = c.x + "," + c.y;
                throw new RejectedRow("geometry", where, "coordinates outside what " + crs.name() + " can convert",
                        "坐标超出 " + crs.name() + " 的可换算范围");
            }
        }
        Point at = representativePoint(w);
        if (!bounds.contains(at.getX(), at.getY())) {
            String where = String.format("%.6f,%.6f", at.getX(), at.getY());
            throw new RejectedRow("geometry", where, "polygon at " + where + " is outside the district"
                    + bounds.hint(at.getX(), at.getY()), "面位置 " + where + " 不在本区范围内"
                    + bounds.hintZh(at.getX(), at.getY()));
        }
        MultiPolygon multi = w instanceof Polygon p ? factory.createMultiPolygon(new Polygon[] {p}) : (MultiPolygon) w;
        multi.setSRID(SourceCrs.WGS84_SRID);
        return multi;
    }

    /**
     * A point inside the polygon (its interior point), so an L-shaped grid is judged by where it
     * is, not by a centroid that may fall outside it; an invalid ring JTS cannot scan falls
     * back to the centre of its envelope.
     */
    private Point representativePoint(Geometry g) {
        try {
            Point p = g.getInteriorPoint();
            if (p != null && !p.isEmpty()) {
                return p;
            }
        } catch (RuntimeException e) {
            // an invalid ring; fall through
        }
        return factory.createPoint(g.getEnvelopeInternal().centre());
    }

    private static String abbreviated(String v) {
        return v.length() <= 60 ? v : v.substring(0, 57) + "...";
    }

    private double number(String field) throws RejectedRow {
        String v = required(field);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new RejectedRow(field, v, field + " '" + v + "' is not a number", field + " “" + v + "” 不是数字");
        }
    }
}
