package cn.haizhu.grid.importers.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Point-in-polygon placement of staged points into unit grids, in PostGIS.
 *
 * <p>The join runs grid by grid over a spatial index on the staging table: each grid polygon is
 * then tested against all its candidate points in a row, which lets PostGIS reuse the prepared
 * polygon. Probing the grid index once per point instead (a LATERAL lookup) was measured 11x
 * slower on the 916,978 demo houses (16.1 s against 1.4 s). A point on a shared edge belongs to
 * the grid with the smallest code, so placement is deterministic. The result is a narrow table
 * (row → grid) the merge joins to, so the wide staged rows are never sorted or copied.
 */
final class PointPlacement {
    private PointPlacement() {
    }

    /** The spatial index the placement runs over, and the statistics that make the planner use it. */
    static List<String> indexStage(String stage) {
        return List.of("CREATE INDEX ON " + stage + " USING gist (geom)", "ANALYZE " + stage);
    }

    /** Each placed staged row once (src_row, grid_code, community_code, street_code), in src_row order. */
    private static String placed(String stage) {
        return """
                SELECT DISTINCT ON (p.src_row) p.src_row, g.code AS grid_code, g.community_code, g.street_code
                FROM grid g JOIN %1$s p ON ST_Intersects(g.geom, p.geom)
                ORDER BY p.src_row, g.code""".formatted(stage);
    }

    /** The placement as a table (the one-pass load reads it twice: rejects, then the merge). */
    static List<String> prepare(String stage, String placement) {
        List<String> sql = new ArrayList<>(indexStage(stage));
        sql.add("CREATE UNLOGGED TABLE " + placement + " AS " + placed(stage));
        sql.add("CREATE UNIQUE INDEX ON " + placement + " (src_row)");
        sql.add("ANALYZE " + placement);
        return sql;
    }

    static String join(String placement) {
        return placement + " p ON p.src_row = s.src_row";
    }

    /**
     * The placement as a subquery, for a load that reads it once in file order (the two-pass load):
     * its output is already in src_row order, so a merge join with the staged rows replaces a table,
     * its index and a hash join (3.6 s → 1.7 s for the 916,978 demo houses).
     */
    static String inlineJoin(String stage) {
        return "(" + placed(stage) + ") p ON p.src_row = s.src_row";
    }
}
