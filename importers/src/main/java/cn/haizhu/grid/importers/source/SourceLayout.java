package cn.haizhu.grid.importers.source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What a file says about itself before its first record: its column names, whether its records
 * carry a geometry, and the coordinate system it declares. Every reader knows this once it has
 * read the header, and it does not change while the records are read.
 *
 * @param columns column names in file order, as written (trimmed; a UTF-8 BOM removed)
 * @param hasGeometry whether records carry a geometry (spatial formats do; CSV/XLSX carry coordinates as columns)
 * @param declaredCrs "EPSG:nnnn" (or another authority's code) when the format says so by code, or
 *     the WKT of a .prj file; empty when the file declares nothing
 */
public record SourceLayout(List<String> columns, boolean hasGeometry, Optional<String> declaredCrs) {
    public SourceLayout {
        // a copy the reader cannot change later; unmodifiableList, not List.copyOf, because a broken
        // header may name a column null, and that is for the validator to report
        columns = Collections.unmodifiableList(new ArrayList<>(columns));
    }

    /** A table without geometry (CSV, XLSX): coordinates, if any, are columns. */
    public static SourceLayout table(List<String> columns) {
        return new SourceLayout(columns, false, Optional.empty());
    }

    /** Features with a geometry, in the coordinate system the file declares (null: none declared). */
    public static SourceLayout features(List<String> columns, String declaredCrsOrNull) {
        return new SourceLayout(columns, true, Optional.ofNullable(declaredCrsOrNull));
    }
}
