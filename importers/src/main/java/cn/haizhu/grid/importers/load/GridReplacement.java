package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.db.SqlFile;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs around the grids' merge ({@link DatasetSpec#aroundMerge()}): before it, the grids whose
 * polygon the file changes are noted with their old and new polygons (table grid_reshaped); after it,
 * the houses and enterprises under them are placed again, set-based in PostGIS and in the import's
 * transaction, so the grid figures stay true. An unchanged file reshapes nothing, so a re-import is a no-op.
 *
 * <p>Candidates are the records lying in a reshaped grid's old or new polygon, or assigned to a reshaped
 * grid; they go through the same point-in-polygon placement as an import ({@link Placement#POINT_IN_GRID}),
 * and only records whose grid changed are written (each a change-log entry). Residents carry their
 * house's grid, so theirs follow. A record that now lies in no grid keeps the grid it had (the column
 * may not be empty) and the grid's row in the file gets a warning saying how many.
 */
final class GridReplacement implements DatasetSpec.AroundMerge {
    private static final Logger LOG = LoggerFactory.getLogger(GridReplacement.class);
    private static final String RESHAPED = SqlFile.load(GridReplacement.class, "grid_reshaped");
    private static final String RESHAPED_COUNT = SqlFile.load(GridReplacement.class, "grid_reshaped_count");
    private static final String RESHAPED_INDEX = SqlFile.load(GridReplacement.class, "grid_reshaped_index");

    private final DatasetSpec houses;
    private final DatasetSpec enterprises;

    GridReplacement(DatasetSpec houses, DatasetSpec enterprises) {
        this.houses = houses;
        this.enterprises = enterprises;
    }

    /** What moved: records whose grid changed, and residents who followed their house. */
    private record Moved(long records, long persons) {
    }

    @Override
    public void before(Statement s) throws SQLException {
        s.execute(RESHAPED);
    }

    @Override
    public void after(Statement s, Sink sink) throws SQLException {
        try (ResultSet rs = s.executeQuery(RESHAPED_COUNT)) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return;   // no polygon changed (a re-import, or only names): every placement still holds
            }
        }
        long t0 = System.nanoTime();
        s.execute(RESHAPED_INDEX);
        Moved h = placeAgain(s, sink, houses, true, "处房屋", "houses");
        Moved e = placeAgain(s, sink, enterprises, false, "家企业", "enterprises");
        LOG.info("grids reshaped: {} houses ({} residents) and {} enterprises placed again in {} ms", h.records(),
                h.persons(), e.records(), (System.nanoTime() - t0) / 1_000_000);
    }

    private static Moved placeAgain(Statement s, Sink sink, DatasetSpec records, boolean residents, String unitZh,
                                    String unitEn) throws SQLException {
        s.execute(LoadSql.regridCandidates(records));
        for (String sql : LoadSql.regridPlace(records)) {
            s.execute(sql);
        }
        // records a reshaped grid lost to no other grid: they stay in it, and its row in the file says so
        try (ResultSet rs = s.executeQuery(LoadSql.regridUnplaced(records))) {
            while (rs.next()) {
                long n = rs.getLong(3);
                String code = rs.getString(2);
                sink.warn(rs.getLong(1), "geometry", code, n + " " + unitEn + " of grid " + code
                        + " now lie outside every grid; they keep grid " + code + " until the grids cover them",
                        "网格 " + code + " 调整后有 " + n + " " + unitZh + "不在任何网格内，暂仍归属该网格，请补全网格边界");
            }
        }
        try (ResultSet rs = s.executeQuery(LoadSql.regridMove(records, residents))) {
            rs.next();
            return new Moved(rs.getLong(1), rs.getLong(2));
        }
    }
}
