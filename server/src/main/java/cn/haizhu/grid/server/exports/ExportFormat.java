package cn.haizhu.grid.server.exports;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The file formats of an export, with the extension that names them and their media type. */
public enum ExportFormat {
    GPKG("gpkg", "gpkg", "application/geopackage+sqlite3", false),
    SHP("shp", "zip", "application/zip", false),
    CSV("csv", "csv", "text/csv; charset=utf-8", true),
    XLSX("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false),
    GEOJSON("geojson", "geojson", "application/geo+json", true);

    private final String code;
    private final String extension;
    private final String mediaType;
    private final boolean streams;

    ExportFormat(String code, String extension, String mediaType, boolean streams) {
        this.code = code;
        this.extension = extension;
        this.mediaType = mediaType;
        this.streams = streams;
    }

    public String code() {
        return code;
    }

    public String extension() {
        return extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /**
     * Whether the file is written front to back, so its first bytes can leave before the last row is
     * read: CSV and GeoJSON. A GeoPackage (an SQLite database) and a Shapefile (headers that hold the
     * file's length, then zipped) are built in a scratch file first; an XLSX is a zip whose sheet POI's
     * streaming writer keeps in compressed scratch files until the workbook is written at the end.
     */
    public boolean streams() {
        return streams;
    }

    public static Optional<ExportFormat> byCode(String code) {
        String c = code.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.code.equals(c) || f.extension.equals(c)
                || (f == GEOJSON && c.equals("json"))).findFirst();
    }

    /** The format a file name's extension names ("房屋.gpkg"; ".zip" is a zipped Shapefile), if any. */
    public static Optional<ExportFormat> ofFileName(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : byCode(name.substring(dot + 1));
    }

    public static List<String> codes() {
        return Arrays.stream(values()).map(ExportFormat::code).toList();
    }
}
