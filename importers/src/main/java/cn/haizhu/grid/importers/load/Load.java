package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.importers.source.RecordSource;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How a file loads into its dataset's table: the one place that chooses the strategy, each a plain
 * function of the dataset's {@link DatasetSpec} and the file's records, all inside the job's one
 * transaction.
 *
 * <ul>
 *   <li>A first load (the target is empty) opens a {@link BulkLoadWindow} (indexes, constraints and
 *       row-logging triggers off, built once after) and COPYs straight into the target where it can:
 *       <ul>
 *         <li>in one pass ({@link OnePassLoad}) when rows are placed by a house code and the known
 *             codes fit in memory ({@link KnownPlaces}): persons;</li>
 *         <li>in two passes ({@link TwoPassLoad}) when the dataset stages a narrow first pass: houses
 *             and enterprises (placed by PostGIS), and persons where too many houses are known.</li>
 *       </ul></li>
 *   <li>Everything else goes through a staging table and the merge ({@link StagedMerge}): re-imports,
 *       loads held to a scope (every row is placed in SQL and judged before it is merged), and the
 *       grids' first load.</li>
 * </ul>
 * Each strategy logs its phases when it ends, naming itself.
 */
final class Load {
    private static final String WORK_MEM = SqlFile.load(Load.class, "work_mem");
    /** {@link CodeIndex#MAX_CODES}, lowered by tests to take the two-pass path. */
    static volatile int maxKnownCodes = CodeIndex.MAX_CODES;

    private Load() {
    }

    /**
     * Loads {@code source} into {@code d}'s table.
     *
     * @param reopen the file again, for a second pass; null where it cannot be read twice
     * @param scope  the part of the district the load may change (null or the district: all of it)
     */
    static LoadCounts run(DatasetSpec d, LoadContext ctx, RecordSource source, TwoPassLoad.Reopen reopen, DataScope scope)
            throws IOException, SQLException {
        Statement s = ctx.s();
        s.execute(WORK_MEM);
        DataScope limit = scope == null || DataScope.DISTRICT.equals(scope.kind()) ? null : scope;
        boolean firstLoad = isEmpty(s, d);
        BulkLoadWindow window = firstLoad ? BulkLoadWindow.open(ctx.c(), d.table()) : null;
        if (firstLoad && limit == null && d.placement() == Placement.HOUSE_CODE) {
            KnownPlaces places = KnownPlaces.read(s, maxKnownCodes);
            if (places != null) {
                return OnePassLoad.run(d, ctx, source, places, window);
            }
        }
        if (firstLoad && limit == null && d.firstPass() != null && reopen != null) {
            return TwoPassLoad.run(d, ctx, source, reopen, window);
        }
        return StagedMerge.run(d, ctx, StagedMerge.checkedRows(d, ctx, source), limit, window);
    }

    private static boolean isEmpty(Statement s, DatasetSpec d) throws SQLException {
        try (ResultSet rs = s.executeQuery(LoadSql.isEmpty(d))) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
