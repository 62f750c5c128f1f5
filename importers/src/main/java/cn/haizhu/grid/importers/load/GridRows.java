package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.codes.GridCode;
import java.util.Optional;
import org.locationtech.jts.geom.MultiPolygon;

/**
 * The row checks of unit grids (单元网格), keyed by their 14-digit code, from any polygon file. Community
 * and street codes come from the grid code when the file has none (and must agree with it when it has).
 * Whether the polygon is valid is judged in PostGIS on the staged rows ({@link PolygonRepair}).
 */
final class GridRows {
    private GridRows() {
    }

    /** code, name, community_code, street_code, geom. */
    static void write(Row row, CopyWriter out) throws RejectedRow {
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
}
