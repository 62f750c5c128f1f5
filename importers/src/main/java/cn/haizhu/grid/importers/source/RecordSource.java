package cn.haizhu.grid.importers.source;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A file a data officer received (CSV, XLSX, GeoJSON, GeoPackage, Shapefile, FlatGeobuf), read
 * one record at a time in constant memory. Every format answers the same three questions: what
 * the columns are called, what coordinate system the file says it is in, and the next record.
 *
 * <p>Malformed content that makes the rest of the file unreadable (a truncated shapefile, a
 * broken zip, invalid JSON) is an {@link IOException} whose message names the row or byte
 * position; a record that is merely wrong (bad values) is returned as is and judged later by the
 * validator.
 */
public interface RecordSource extends Closeable {

    /** What the file says about itself: its columns, whether it has geometry, its declared CRS. */
    SourceLayout layout();

    /** Column names in file order as written in the file (trimmed; a UTF-8 BOM removed). */
    default List<String> columns() {
        return layout().columns();
    }

    /** Whether records carry a geometry (spatial formats do; CSV/XLSX carry coordinates as columns). */
    default boolean hasGeometry() {
        return layout().hasGeometry();
    }

    /**
     * The coordinate system the file declares: "EPSG:nnnn" when the format says so by code
     * (GeoPackage srs_id, GeoJSON crs member, FlatGeobuf header), or the WKT of a .prj file.
     * Empty when the file declares nothing (then the officer's --crs, else WGS84, applies).
     */
    default Optional<String> declaredCrs() {
        return layout().declaredCrs();
    }

    /** The next record, or null at the end of the file. */
    SourceRecord next() throws IOException;

    /** How much of the input has been consumed, 0..1, or -1 when unknown (for progress bars). */
    double progress();
}
