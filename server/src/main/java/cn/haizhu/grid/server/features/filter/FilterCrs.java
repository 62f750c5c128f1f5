package cn.haizhu.grid.server.features.filter;

import java.util.List;

/**
 * The coordinate reference systems a filter's geometry literals may be written in ({@code filter-crs},
 * OGC API Features Part 3 with Part 2's identifiers). Axis order is the CRS's own: CRS84 is
 * longitude/latitude, EPSG:4326 and EPSG:4490 (CGCS2000) are latitude/longitude, EPSG:4547 (CGCS2000
 * 3-degree Gauss-Krüger, central meridian 114°E) is northing/easting, EPSG:3857 is easting/northing.
 * PostGIS always wants x = longitude or easting, so the first three swap before the literal is sent.
 */
public enum FilterCrs {
    CRS84("http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326, false),
    EPSG_4326("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, true),
    EPSG_4490("http://www.opengis.net/def/crs/EPSG/0/4490", 4490, true),
    EPSG_4547("http://www.opengis.net/def/crs/EPSG/0/4547", 4547, true),
    EPSG_3857("http://www.opengis.net/def/crs/EPSG/0/3857", 3857, false);

    public static final FilterCrs DEFAULT = CRS84;

    private final String uri;
    private final int srid;
    private final boolean swapsAxes;

    FilterCrs(String uri, int srid, boolean swapsAxes) {
        this.uri = uri;
        this.srid = srid;
        this.swapsAxes = swapsAxes;
    }

    /** The CRS a {@code filter-crs} parameter names (its URI; absent means CRS84). */
    public static FilterCrs of(String uri) {
        if (uri == null || uri.isEmpty()) {
            return DEFAULT;
        }
        for (FilterCrs crs : values()) {
            if (crs.uri.equals(uri.trim())) {
                return crs;
            }
        }
        throw new FilterException(0, "one of " + uris(), "filter-crs: " + uri + " is none of " + uris());
    }

    public static List<String> uris() {
        return java.util.Arrays.stream(values()).map(FilterCrs::uri).toList();
    }

    public String uri() {
        return uri;
    }

    /** The SRID PostGIS knows this CRS by. */
    public int srid() {
        return srid;
    }

    /** True when the CRS's first axis is latitude or northing (PostGIS's y). */
    public boolean swapsAxes() {
        return swapsAxes;
    }

    /** Geographic CRSs bound their coordinates to degrees; projected ones are only finite. */
    boolean geographic() {
        return srid == 4326 || srid == 4490;
    }
}
