package cn.haizhu.grid.server.exports;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Optional;

/**
 * The coordinate system an export declares. Stored coordinates are WGS84 (EPSG:4326), longitude first;
 * CGCS2000 (EPSG:4490) is the same ellipsoid within 0.1 mm and the same realisation within centimetres
 * (docs/DOMAIN.md), so a CGCS2000 export writes the same numbers under the CGCS2000 declaration, as
 * Chinese surveying practice does for data of this accuracy.
 */
public enum ExportCrs {
    WGS84(4326, "WGS 84",
            "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],"
                    + "AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],"
                    + "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],"
                    + "AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]",
            "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],"
                    + "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]",
            "http://www.opengis.net/def/crs/OGC/1.3/CRS84"),
    CGCS2000(4490, "China Geodetic Coordinate System 2000",
            "GEOGCS[\"China Geodetic Coordinate System 2000\",DATUM[\"China_2000\",SPHEROID[\"CGCS2000\",6378137,"
                    + "298.257222101,AUTHORITY[\"EPSG\",\"1024\"]],AUTHORITY[\"EPSG\",\"1043\"]],PRIMEM[\"Greenwich\",0,"
                    + "AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],"
                    + "AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4490\"]]",
            "GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\","
                    + "6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]",
            "http://www.opengis.net/def/crs/EPSG/0/4490");

    /** Text encodings a DBF may be written in. */
    static final Charset GBK = Charset.forName("GBK");

    final int srid;
    final String name;
    /** OGC WKT, for a GeoPackage's gpkg_spatial_ref_sys. */
    final String ogcWkt;
    /** ESRI WKT, for a Shapefile's .prj. */
    final String esriWkt;
    /** The CRS URI a GeoJSON names (RFC 7946 allows only CRS84; a CGCS2000 file says so in "crs"). */
    final String uri;

    ExportCrs(int srid, String name, String ogcWkt, String esriWkt, String uri) {
        this.srid = srid;
        this.name = name;
        this.ogcWkt = ogcWkt;
        this.esriWkt = esriWkt;
        this.uri = uri;
    }

    public int srid() {
        return srid;
    }

    /** "EPSG:4326", "4326", "CRS84", "WGS84", "EPSG:4490", "CGCS2000" … */
    public static Optional<ExportCrs> byName(String text) {
        String t = text.toUpperCase(Locale.ROOT).replace("EPSG:", "").replace(" ", "");
        return switch (t) {
            case "4326", "CRS84", "WGS84", "OGC:CRS84" -> Optional.of(WGS84);
            case "4490", "CGCS2000" -> Optional.of(CGCS2000);
            default -> Optional.empty();
        };
    }

    /** "GBK" or "UTF-8" (also "gb18030", "utf8"): the DBF text encodings offered. */
    public static Optional<Charset> dbfCharset(String text) {
        String t = text.toUpperCase(Locale.ROOT).replace("-", "");
        return switch (t) {
            case "GBK", "CP936", "936", "GB2312" -> Optional.of(GBK);
            case "UTF8" -> Optional.of(java.nio.charset.StandardCharsets.UTF_8);
            default -> Optional.empty();
        };
    }
}
