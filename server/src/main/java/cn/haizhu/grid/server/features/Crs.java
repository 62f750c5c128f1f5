package cn.haizhu.grid.server.features;

import java.util.List;
import java.util.Optional;

/**
 * The coordinate reference systems the features answer in and take a bbox in (OGC API – Features
 * Part 2). Stored geometries are EPSG:4326 in longitude/latitude order (PostGIS's); PostGIS
 * transforms them ({@code ST_Transform}). An EPSG CRS whose axis order is latitude first (4326, 4490)
 * or northing first (4547, as EPSG defines the Gauss-Krüger zones) gets its coordinates in that
 * order, as Part 2 asks: CRS84 and 3857 are the ones in x/y order.
 *
 * @param uri          the CRS's OGC URI, as {@code crs}, {@code bbox-crs} and {@code Content-Crs} name it
 * @param srid         its PostGIS SRID
 * @param swapAxes     whether its first axis is latitude (northing), so PostGIS's x/y are swapped
 * @param decimals     digits after the point that keep about a centimetre
 */
public record Crs(String uri, int srid, boolean swapAxes, int decimals) {
    public static final Crs CRS84 = new Crs("http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326, false, 7);
    public static final Crs WGS84 = new Crs("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, true, 7);
    /** CGCS2000 (国家2000坐标系), geographic. */
    public static final Crs CGCS2000 = new Crs("http://www.opengis.net/def/crs/EPSG/0/4490", 4490, true, 7);
    /** CGCS2000 / 3-degree Gauss-Krüger CM 114E (the zone Guangzhou's surveys use), in metres. */
    public static final Crs CGCS2000_GK_114E = new Crs("http://www.opengis.net/def/crs/EPSG/0/4547", 4547, true, 2);
    public static final Crs WEB_MERCATOR = new Crs("http://www.opengis.net/def/crs/EPSG/0/3857", 3857, false, 2);
    public static final List<Crs> ALL = List.of(CRS84, WGS84, CGCS2000, CGCS2000_GK_114E, WEB_MERCATOR);

    /** The CRS a URI (or its safe CURIE {@code [EPSG:4326]}) names, or empty. */
    public static Optional<Crs> byUri(String uri) {
        String u = uri.strip();
        if (u.startsWith("[") && u.endsWith("]") && u.contains(":")) {
            String[] curie = u.substring(1, u.length() - 1).split(":", 2);
            u = curie[0].equals("OGC") ? "http://www.opengis.net/def/crs/OGC/1.3/" + curie[1]
                    : "http://www.opengis.net/def/crs/" + curie[0] + "/0/" + curie[1];
        }
        if (u.startsWith("https://")) {
            u = "http://" + u.substring("https://".length());
        }
        for (Crs c : ALL) {
            if (c.uri.equals(u)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The SQL of {@code geom} (EPSG:4326, lon/lat) in this CRS and axis order; {@code sridParam} is the parameter holding the SRID. */
    String geometryFrom(String geom, String sridParam) {
        String g = srid == 4326 ? geom : "ST_Transform(" + geom + ", " + sridParam + ")";
        return swapAxes ? "ST_FlipCoordinates(" + g + ")" : g;
    }
}
