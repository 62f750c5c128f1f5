package cn.haizhu.grid.importers.source;

import java.util.List;
import org.locationtech.jts.geom.Geometry;

/**
 * One record of a source file.
 *
 * @param row      where a data officer finds it: the spreadsheet row for CSV/XLSX (header = row 1),
 *                 the 1-based feature number for spatial formats
 * @param values   cell values as text in {@link RecordSource#columns()} order (null or "" when empty);
 *                 numbers as written (XLSX: the displayed value without grouping), dates as ISO yyyy-MM-dd
 * @param geometry the feature's geometry in the file's own coordinate system, or null
 */
public record SourceRecord(long row, List<String> values, Geometry geometry) {
}
