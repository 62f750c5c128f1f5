package cn.haizhu.grid.importers.load;

import java.util.List;

/**
 * Point-in-polygon placement of staged points into unit grids, in PostGIS.
 *
 * <p>The join runs grid by grid over a spatial index on the staging table: each grid polygon is
 * then tested against all its candidate points in a row, which lets PostGIS reuse the prepared
 * polygon. Probing the grid index once per point instead (a LATERAL lookup) was measured 11x
 * slower on the 916,978 demo houses (16.1 s against 1.4 s). A point on a shared edge belongs to
 * the grid with the smallest code, so placement is deterministic.
 */
final class PointPlacement {
    private PointPlacement() {
    }

    static List<String> prepare(String stage) {
        return List.of("CREATE INDEX ON " + stage + " USING gist (geom)", "ANALYZE " + stage);
    }

    /** Staged rows, one per key, with grid_code/community_code/street_code (null outside every grid). */
    static String placed(String stage, String key) {
        return """
            SELECT DISTINCT ON (s.%2$s) s.*, hit.grid_code, hit.community_code, hit.street_code
            FROM %1$s s
            LEFT JOIN (
                SELECT DISTINCT ON (p.%2$s) p.%2$s, g.code AS grid_code, g.community_code, g.street_code
                FROM grid g JOIN %1$s p ON ST_Intersects(g.geom, p.geom)
                ORDER BY p.%2$s, g.code
            ) hit ON hit.%2$s = s.%2$s
            ORDER BY s.%2$s, s.src_row""".formatted(stage, key);
    }
}
