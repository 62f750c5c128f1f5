package cn.haizhu.grid.importers.load;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Places houses or enterprises again after grids were reshaped (table grid_reshaped: code,
 * old_geom, new_geom), set-based in PostGIS and in the import's transaction.
 *
 * <p>Candidates are the records lying in a reshaped grid's old or new polygon, or assigned to a
 * reshaped grid; they go through the same point-in-polygon placement as an import
 * ({@link PointPlacement}: grid by grid over a spatial index, smallest code on a shared edge), and
 * only records whose grid changed are written (each a change-log entry). Residents carry their
 * house's grid, so theirs follow. A record that now lies in no grid keeps the grid it had (the
 * column may not be empty) and the grid's row in the file gets a warning saying how many.
 */
enum GridReplacement {
    HOUSES("house", "code", "处房屋", "houses"),
    ENTERPRISES("enterprise", "credit_code", "家企业", "enterprises");

    /** What moved: records whose grid changed, and residents who followed their house. */
    record Moved(long records, long persons) {
    }

    private final String table;
    private final String key;
    private final String unitZh;
    private final String unitEn;

    GridReplacement(String table, String key, String unitZh, String unitEn) {
        this.table = table;
        this.key = key;
        this.unitZh = unitZh;
        this.unitEn = unitEn;
    }

    Moved run(Statement s, Sink sink) throws SQLException {
        String candidates = "regrid_" + table;
        s.execute("""
            CREATE TEMP TABLE %1$s ON COMMIT DROP AS
            SELECT row_number() OVER () AS src_row, t.%2$s, t.geom FROM %3$s t WHERE t.%2$s IN (
                SELECT t.%2$s FROM %3$s t JOIN grid_reshaped r ON ST_Intersects(r.old_geom, t.geom)
                UNION
                SELECT t.%2$s FROM %3$s t JOIN grid_reshaped r ON ST_Intersects(r.new_geom, t.geom)
                UNION
                SELECT t.%2$s FROM %3$s t JOIN grid_reshaped r ON r.code = t.grid_code)""".formatted(candidates, key, table));
        // the staging-table shape PointPlacement expects (src_row, key, geom)
        for (String sql : PointPlacement.prepare(candidates, candidates + "_grid")) {
            s.execute(sql);
        }
        s.execute("CREATE TEMP TABLE " + candidates + "_placed ON COMMIT DROP AS SELECT c." + key
                + ", p.grid_code, p.community_code, p.street_code FROM " + candidates + " c LEFT JOIN "
                + PointPlacement.join(candidates + "_grid").replace("s.src_row", "c.src_row"));
        s.execute("DROP TABLE " + candidates + "_grid");
        warnUnplaced(s, sink, candidates + "_placed");
        String moved = """
            UPDATE %1$s t SET grid_code = p.grid_code, community_code = p.community_code, street_code = p.street_code
            FROM %2$s_placed p
            WHERE t.%3$s = p.%3$s AND p.grid_code IS NOT NULL
              AND (t.grid_code, t.community_code, t.street_code) IS DISTINCT FROM (p.grid_code, p.community_code, p.street_code)
            RETURNING t.%3$s, t.grid_code, t.community_code, t.street_code""".formatted(table, candidates, key);
        String sql = this == HOUSES
                ? """
                  WITH moved AS (%s),
                  residents AS (
                      UPDATE person p SET grid_code = m.grid_code, community_code = m.community_code, street_code = m.street_code
                      FROM moved m
                      WHERE p.house_code = m.code
                        AND (p.grid_code, p.community_code, p.street_code) IS DISTINCT FROM (m.grid_code, m.community_code, m.street_code)
                      RETURNING 1)
                  SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM residents)""".formatted(moved)
                : "WITH moved AS (" + moved + ") SELECT count(*), 0 FROM moved";
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new Moved(rs.getLong(1), rs.getLong(2));
        }
    }

    /** Records a reshaped grid lost to no other grid: they stay in it, and its row in the file says so. */
    private void warnUnplaced(Statement s, Sink sink, String placed) throws SQLException {
        try (ResultSet rs = s.executeQuery("""
                SELECT r.src_row, r.code, count(*)
                FROM %1$s p JOIN %2$s t ON t.%3$s = p.%3$s JOIN grid_reshaped r ON r.code = t.grid_code
                WHERE p.grid_code IS NULL
                GROUP BY r.src_row, r.code ORDER BY r.src_row""".formatted(placed, table, key))) {
            while (rs.next()) {
                long n = rs.getLong(3);
                String code = rs.getString(2);
                sink.warn(rs.getLong(1), "geometry", code, n + " " + unitEn + " of grid " + code
                        + " now lie outside every grid; they keep grid " + code + " until the grids cover them",
                        "网格 " + code + " 调整后有 " + n + " " + unitZh + "不在任何网格内，暂仍归属该网格，请补全网格边界");
            }
        }
    }
}
