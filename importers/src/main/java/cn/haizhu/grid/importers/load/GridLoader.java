package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.codes.GridCode;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.locationtech.jts.geom.MultiPolygon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unit grids (单元网格) keyed by their 14-digit code, from any polygon file. Community and street
 * codes come from the grid code when the file has none (and must agree with it when it has).
 * Invalid polygons are repaired in PostGIS where the repair is unambiguous (see
 * {@link PolygonRepair}) and reported as warnings; otherwise rejected.
 *
 * <p>Grids are upserted, never deleted (a grid missing from the file stays). When a grid's polygon
 * changes, the houses and enterprises lying in its old or new polygon (or assigned to it) are
 * placed again by point-in-polygon, and their residents follow their house: the grid figures stay
 * true in the same transaction. An unchanged file reshapes nothing, so a re-import is a no-op.
 */
public final class GridLoader extends RecordLoader {
    private static final Logger LOG = LoggerFactory.getLogger(GridLoader.class);

    /** Invalid staged polygons (first occurrence of each code) beside what ST_MakeValid makes of them. */
    private static final String INVALID = """
            SELECT s.src_row, s.code, ST_IsValidReason(s.geom), ST_NumGeometries(s.geom), ST_Area(s.geom),
                   ST_NumGeometries(r.fixed), ST_Area(r.fixed)
            FROM (SELECT DISTINCT ON (code) src_row, code, geom FROM import_stage_grid ORDER BY code, src_row) s
            CROSS JOIN LATERAL (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(s.geom), 3)) AS fixed) r
            WHERE NOT ST_IsValid(s.geom)
            ORDER BY s.src_row""";
    private static final String REPAIR = """
            UPDATE import_stage_grid SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))
            WHERE code = ANY (?) AND NOT ST_IsValid(geom)""";
    private static final String DROP = "DELETE FROM import_stage_grid WHERE code = ANY (?)";

    /** Grids of the file whose polygon is new or differs from the stored one, with both polygons. */
    private static final String RESHAPED = """
            CREATE TEMP TABLE grid_reshaped ON COMMIT DROP AS
            SELECT p.src_row, p.code, g.geom AS old_geom, p.geom AS new_geom
            FROM import_stage_grid p
            JOIN admin_area c ON c.code = p.community_code AND c.level = 'community' AND c.parent_code = p.street_code
            LEFT JOIN grid g ON g.code = p.code
            WHERE g.geom IS DISTINCT FROM p.geom""";

    @Override
    protected Dataset dataset() {
        return Dataset.GRIDS;
    }

    @Override
    protected String targetTable() {
        return "grid";
    }

    @Override
    protected List<String> stageColumns() {
        return List.of("code text", "name text", "community_code text", "street_code text", "geom geometry(MultiPolygon, 4326)");
    }

    @Override
    protected String keyColumn() {
        return "code";
    }

    @Override
    protected void stage(Row row, CopyWriter out) throws RejectedRow {
        String code = row.required("code");
        Optional<String> problem = GridCode.problem(code);
        if (problem.isPresent()) {
            throw new RejectedRow("code", code, "grid code " + problem.get(), "网格编码不合规（14 位：社区编码 + 2 位序号）：" + problem.get());
        }
        String community = GridCode.communityCode(code);
        String givenCommunity = row.get("community_code");
        if (givenCommunity != null && !givenCommunity.equals(community)) {
            throw new RejectedRow("community_code", givenCommunity, "community_code must be the grid code's first 12 digits ("
                    + community + ")", "社区编码应为网格编码的前 12 位（" + community + "）");
        }
        String street = community.substring(0, 9);
        String givenStreet = row.get("street_code");
        if (givenStreet != null && !givenStreet.equals(street)) {
            throw new RejectedRow("street_code", givenStreet, "street_code must be the grid code's first 9 digits ("
                    + street + ")", "街道编码应为网格编码的前 9 位（" + street + "）");
        }
        String name = row.get("name");
        MultiPolygon polygon = row.polygon();
        out.text(code).text(name != null ? name : code).text(community).text(street).geometry(polygon);
    }

    /**
     * Invalid polygons: repaired where {@link PolygonRepair} finds the repair unambiguous (a
     * warning), otherwise rejected. Only the invalid rows are looked at, so a clean file costs one
     * ST_IsValid per grid.
     */
    @Override
    protected long checkStaged(Statement s, Sink sink) throws SQLException {
        List<String> repaired = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(INVALID)) {
            while (rs.next()) {
                long row = rs.getLong(1);
                String code = rs.getString(2);
                String reason = rs.getString(3);
                double before = rs.getDouble(5);
                double after = rs.getDouble(7);
                Optional<PolygonRepair.Refusal> refusal = PolygonRepair.judge(reason, rs.getInt(4), before, rs.getInt(6), after);
                if (refusal.isPresent()) {
                    refused.add(code);
                    sink.reject(row, "geometry", reason, refusal.get().en(), refusal.get().zh());
                } else {
                    repaired.add(code);
                    String change = String.format(Locale.ROOT, "%.2f%%", Math.abs(after - before) / after * 100);
                    sink.warn(row, "geometry", reason, "invalid polygon (" + reason + ") repaired with ST_MakeValid and loaded; area changed by "
                            + change + "; please check it", "无效多边形（" + reason + "）已用 ST_MakeValid 自动修复并导入，面积变化 "
                            + change + "，请核对");
                }
            }
        }
        run(s, REPAIR, repaired);
        run(s, DROP, refused);
        return refused.size();
    }

    private static void run(Statement s, String sql, List<String> codes) throws SQLException {
        if (codes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = s.getConnection().prepareStatement(sql)) {
            Array array = s.getConnection().createArrayOf("text", codes.toArray());
            ps.setArray(1, array);
            ps.executeUpdate();
        }
    }

    /** The grid's community must exist (and belong to the street): the merge would otherwise fail on the foreign key. */
    @Override
    protected String placementJoin() {
        return "admin_area p ON p.code = s.community_code AND p.level = 'community' AND p.parent_code = s.street_code";
    }

    @Override
    protected List<String> placedColumns() {
        return List.of();
    }

    /** A grid's street and grid are in its own code. */
    @Override
    protected String[] placedScope() {
        return new String[] {"s.street_code", "s.code"};
    }

    @Override
    protected String[] storedScope() {
        return new String[] {"t.street_code", "t.code"};
    }

    /**
     * A street's officer may not draw a grid into a neighbouring street: its polygon must lie within
     * the street's (give or take a metre, 1e-5°), or re-placing the houses under a changed grid would
     * take in the neighbour's.
     */
    @Override
    protected String outsideStreetSql() {
        return "NOT ST_CoveredBy(s.geom, (SELECT ST_Buffer(a.geom, 0.00001) FROM admin_area a"
                + " WHERE a.code = current_setting('gridctl.scope_code')))";
    }

    @Override
    protected String placementFound() {
        return "p.code";
    }

    @Override
    protected String[] unplacedReason() {
        return new String[] {"the grid's community (digits 1-12 of its code) is not a known community of its street; load the admin areas first",
            "网格所属社区（编码前 12 位）不是已知的本街道社区，请先导入行政区划"};
    }

    @Override
    protected List<String> comparedColumns() {
        return List.of("name", "community_code", "street_code", "geom");
    }

    @Override
    protected String conflictClause() {
        return """
            ON CONFLICT (code) DO UPDATE SET
                name = EXCLUDED.name, community_code = EXCLUDED.community_code, street_code = EXCLUDED.street_code,
                geom = EXCLUDED.geom
            WHERE (t.name, t.community_code, t.street_code, t.geom)
                  IS DISTINCT FROM
                  (EXCLUDED.name, EXCLUDED.community_code, EXCLUDED.street_code, EXCLUDED.geom)""";
    }

    @Override
    protected void beforeMerge(Statement s) throws SQLException {
        s.execute(RESHAPED);
    }

    @Override
    protected void afterMerge(Statement s, Sink sink) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM grid_reshaped")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return;   // no polygon changed (a re-import, or only names): every placement still holds
            }
        }
        long t0 = System.nanoTime();
        s.execute("CREATE INDEX ON grid_reshaped USING gist (old_geom)");
        s.execute("CREATE INDEX ON grid_reshaped USING gist (new_geom)");
        s.execute("ANALYZE grid_reshaped");
        GridReplacement.Moved houses = GridReplacement.HOUSES.run(s, sink);
        GridReplacement.Moved enterprises = GridReplacement.ENTERPRISES.run(s, sink);
        LOG.info("grids reshaped: {} houses ({} residents) and {} enterprises placed again in {} ms", houses.records(),
                houses.persons(), enterprises.records(), (System.nanoTime() - t0) / 1_000_000);
    }
}
