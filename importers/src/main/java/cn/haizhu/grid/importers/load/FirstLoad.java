package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.importers.crs.SourceCrs;
import cn.haizhu.grid.importers.load.Sink;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a first load (the target is empty, inside a {@link BulkLoadWindow}) that COPYs straight into
 * the target works with: {@link LookupLoad} and {@link TwoPassLoad}.
 */
abstract class FirstLoad {
    final RecordLoader loader;
    final Connection c;
    final Statement s;
    final ColumnMapping mapping;
    final SourceCrs crs;
    final DistrictBounds bounds;
    final Sink sink;

    FirstLoad(RecordLoader loader, Connection c, Statement s, ColumnMapping mapping, SourceCrs crs, DistrictBounds bounds,
              Sink sink) {
        this.loader = loader;
        this.c = c;
        this.s = s;
        this.mapping = mapping;
        this.crs = crs;
        this.bounds = bounds;
        this.sink = sink;
    }

    /** The target's columns as the COPY writes them: the loader's, the place, the gid and the origin. */
    final List<String> targetColumns() {
        List<String> target = new ArrayList<>(loader.stagedNames());
        target.addAll(loader.placedColumns());
        target.addAll(List.of("gid", "origin"));
        return target;
    }

    /** This platform's origin, once per load (as a column default it was a function call per row). */
    final String origin() throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT gridctl_origin()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
