package cn.haizhu.grid.importers.load;

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

    static List<String> prepare(String stage, String placement) {
        return List.of(
                "CREATE INDEX ON " + stage + " USING gist (geom)",
                "ANALYZE " + stage,
                """
                CREATE UNLOGGED TABLE %2$s AS
                SELECT DISTINCT ON (p.src_row) p.src_row, g.code AS grid_code, g.community_code, g.street_code
                FROM grid g JOIN %1$s p ON ST_Intersects(g.geom, p.geom)
                ORDER BY p.src_row, g.code""".formatted(stage, placement),
                "CREATE UNIQUE INDEX ON " + placement + " (src_row)",
                "ANALYZE " + placement);
    }

    static String join(String placement) {
        return placement + " p ON p.src_row = s.src_row";
    }
}
