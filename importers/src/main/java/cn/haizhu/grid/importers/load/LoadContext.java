package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.importers.crs.SourceCrs;
import java.sql.Connection;
import java.sql.Statement;

/**
 * What a load strategy works in and with: the job's data connection, inside its one transaction (the
 * caller commits or rolls back: a dry run rolls back), a statement on it; how the file's records read as
 * rows (the column mapping, the coordinate system, the district's bounds); where rejects, warnings and
 * progress go.
 */
record LoadContext(Connection c, Statement s, ColumnMapping mapping, SourceCrs crs, DistrictBounds bounds, Sink sink) {
    /** A fresh view of records as rows (thread-confined: one per thread). */
    Row row() {
        return new Row(mapping.indexByField(), mapping.values(), crs, bounds);
    }
}
