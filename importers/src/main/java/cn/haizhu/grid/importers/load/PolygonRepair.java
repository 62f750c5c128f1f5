package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.db.SqlFile;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether PostGIS's repair of an invalid polygon may be taken without asking the officer.
 *
 * <p>The repair is {@code ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))}: GEOS's
 * "linework" method keeps every edge, re-nodes them and rebuilds polygons; the extract keeps the
 * polygons and drops what collapsed to lines or points (the out-and-back line of a spike, the
 * shared edge of two touching parts), which carries no area.
 *
 * <p>The repair is <em>unambiguous</em>, and the row loads with a warning, when all of these hold:
 * <ul>
 *   <li>something polygonal is left (the repair is not empty);</li>
 *   <li>it has no more polygon pieces than the input: a single Polygon stays one polygon — a ring
 *       that crosses itself (the bow-tie, 8字形) comes back as two triangles, and which of them (or
 *       both) the surveyor meant cannot be known; a hole outside its shell becomes a second piece;</li>
 *   <li>its area is within {@link #AREA_TOLERANCE} of the input's as written (the absolute area of
 *       each shell minus its holes, i.e. the shoelace area PostGIS computes on the invalid rings):
 *       a bow-tie's lobes wind opposite ways and cancel in that sum, overlapping parts count
 *       twice, so either shows up as an area change; a duplicate vertex, a spike or a ring that
 *       touches itself to enclose a hole keeps its area.</li>
 * </ul>
 * Anything else is rejected with the reason, in Chinese and English. Ring orientation alone is
 * not invalid in PostGIS (and shapefiles' clockwise shells load as they are), so it needs no repair.
 */
public final class PolygonRepair {
    /** Largest relative area change accepted: 1% (a grid of 40,000 m² may move by 400 m²). */
    public static final double AREA_TOLERANCE = 0.01;
    private static final String INVALID = SqlFile.load(PolygonRepair.class, "invalid_grid_polygons");
    private static final String REPAIR = SqlFile.load(PolygonRepair.class, "repair_grid_polygons");
    private static final String DROP = SqlFile.load(PolygonRepair.class, "drop_grid_polygons");

    private PolygonRepair() {
    }

    /**
     * The grids' check on their staged rows ({@link DatasetSpec#stagedCheck()}): an invalid polygon is
     * repaired where {@link #judge} finds the repair unambiguous (a warning), otherwise rejected.
     * Returns how many were rejected.
     */
    static long repairOrReject(Statement s, Sink sink) throws SQLException {
        List<String> repaired = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(INVALID)) {
            while (rs.next()) {
                long row = rs.getLong(1);
                String code = rs.getString(2);
                String reason = rs.getString(3);
                double before = rs.getDouble(5);
                double after = rs.getDouble(7);
                Optional<Refusal> refusal = judge(reason, rs.getInt(4), before, rs.getInt(6), after);
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
        forCodes(s, REPAIR, repaired);
        forCodes(s, DROP, refused);
        return refused.size();
    }

    private static void forCodes(Statement s, String sql, List<String> codes) throws SQLException {
        if (codes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = s.getConnection().prepareStatement(sql)) {
            Array array = s.getConnection().createArrayOf("text", codes.toArray());
            ps.setArray(1, array);
            ps.executeUpdate();
        }
    }

    /** Why the repair is refused, in both languages. */
    public record Refusal(String en, String zh) {
    }

    /**
     * @param invalidReason {@code ST_IsValidReason} of the input, e.g. {@code Self-intersection[5 5]}
     * @param partsBefore   polygons in the input (1 for a Polygon)
     * @param areaBefore    {@code ST_Area} of the input as written
     * @param partsAfter    polygons in the repair
     * @param areaAfter     {@code ST_Area} of the repair
     * @return empty when the repair may be taken, else why not
     */
    public static Optional<Refusal> judge(String invalidReason, int partsBefore, double areaBefore, int partsAfter,
                                          double areaAfter) {
        String why = invalidReason == null ? "invalid" : invalidReason;
        if (partsAfter == 0 || !(areaAfter > 0)) {
            return Optional.of(new Refusal("invalid polygon (" + why + ") with no area left after repair; fix it at the source",
                    "无效多边形（" + why + "）修复后没有面积，请在源数据中修正"));
        }
        boolean selfCrossing = why.toLowerCase(Locale.ROOT).contains("self-intersection");
        if (partsAfter > partsBefore) {
            if (selfCrossing && partsBefore == 1) {
                return Optional.of(new Refusal("self-intersecting (bow-tie) polygon (" + why + "): repair would split it into "
                        + partsAfter + " pieces and which one is meant is unknown; fix the ring at the source",
                        "自相交（8字形）多边形（" + why + "）：自动修复会拆成 " + partsAfter + " 块，无法确定原意，请在源数据中修正边界"));
            }
            return Optional.of(new Refusal("invalid polygon (" + why + "): repair would turn " + partsBefore + " piece(s) into "
                    + partsAfter + "; fix it at the source",
                    "无效多边形（" + why + "）：自动修复会把 " + partsBefore + " 块变成 " + partsAfter + " 块，请在源数据中修正"));
        }
        double change = Math.abs(areaAfter - areaBefore) / Math.max(areaAfter, areaBefore);
        if (change > AREA_TOLERANCE) {
            String pct = String.format(Locale.ROOT, "%.1f%%", change * 100);
            if (selfCrossing) {
                return Optional.of(new Refusal("self-intersecting polygon (" + why + "): repair would change its area by " + pct
                        + "; fix it at the source", "自相交多边形（" + why + "）：自动修复会使面积变化 " + pct + "，请在源数据中修正"));
            }
            return Optional.of(new Refusal("invalid polygon (" + why + "): repair would change its area by " + pct
                    + "; fix it at the source", "无效多边形（" + why + "）：自动修复会使面积变化 " + pct + "，请在源数据中修正"));
        }
        return Optional.empty();
    }
}
