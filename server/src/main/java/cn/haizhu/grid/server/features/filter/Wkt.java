package cn.haizhu.grid.server.features.filter;

/**
 * A geometry literal back to WKT for {@code ST_GeomFromText}, axes in PostGIS's order (x = longitude
 * or easting), each position checked against the CRS's range first: PostGIS would fail a
 * transformation of a latitude of 91° as a server error, so the client hears it as a filter error.
 */
final class Wkt {
    // EPSG:3857's square; EPSG:4547's plane (false easting 500 km) with room for the whole zone and more.
    private static final double MERCATOR = 20037508.342789244;

    private Wkt() {
    }

    static String write(Cql2.Geometry g, FilterCrs crs) {
        StringBuilder out = new StringBuilder(g.type());
        if (g.coordinates() instanceof Cql2.Position p) {
            out.append('(');
            position(out, p, crs, g.position());
            return out.append(')').toString();
        }
        parts(out, (Cql2.Parts) g.coordinates(), crs, g.position());
        return out.toString();
    }

    private static void parts(StringBuilder out, Cql2.Parts parts, FilterCrs crs, int at) {
        out.append('(');
        for (int i = 0; i < parts.parts().size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Cql2.Coordinates c = parts.parts().get(i);
            if (c instanceof Cql2.Geometry member) {
                out.append(write(member, crs));
            } else if (c instanceof Cql2.Position p) {
                position(out, p, crs, at);
            } else {
                parts(out, (Cql2.Parts) c, crs, at);
            }
        }
        out.append(')');
    }

    private static void position(StringBuilder out, Cql2.Position p, FilterCrs crs, int at) {
        double x = crs.swapsAxes() ? p.second() : p.first();
        double y = crs.swapsAxes() ? p.first() : p.second();
        if (!inRange(crs, x, y)) {
            throw FilterException.semantic(at, "the position " + p.first() + " " + p.second() + " lies outside "
                    + crs.uri() + (crs.swapsAxes() ? " (axis order: " + axes(crs) + ")" : ""));
        }
        out.append(x).append(' ').append(y);
    }

    private static boolean inRange(FilterCrs crs, double x, double y) {
        return switch (crs) {
            case CRS84, EPSG_4326, EPSG_4490 -> Math.abs(x) <= 180 && Math.abs(y) <= 90;
            case EPSG_3857 -> Math.abs(x) <= MERCATOR && Math.abs(y) <= MERCATOR;
            case EPSG_4547 -> x >= -1_000_000 && x <= 2_000_000 && Math.abs(y) <= 10_000_000;
        };
    }

    private static String axes(FilterCrs crs) {
        return crs == FilterCrs.EPSG_4547 ? "northing easting" : "latitude longitude";
    }
}
