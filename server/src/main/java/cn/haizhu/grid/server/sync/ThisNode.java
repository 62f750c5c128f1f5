package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.areas.ReferenceAreas;
import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.sync.NodeLevel;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The platform this server is in the three-level exchange: its admin code, its level and the name
 * of its place (广州市, 海珠区, 赤岗街道). The pages decide from it what the wall shows and what the
 * header says (GET /api/v1/me, {@code node}); read once at start.
 */
public record ThisNode(String code, NodeLevel level, String name) {
    private static final String NODE_NAME = SqlFile.load(ThisNode.class, "own_area_name");

    /**
     * The node of {@code config}: its name as its own area tree has it, else as the reference data
     * has it, else its code (a node whose tree has not come yet and that the reference data does not know).
     */
    public static ThisNode of(GridConfig config, Database db) {
        String code = config.nodeCode();
        String name;
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(NODE_NAME)) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                name = rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read this node's area: " + e.getMessage(), e);
        }
        if (name == null) {
            name = ReferenceAreas.name(code).orElse(code);
        }
        return new ThisNode(code, config.nodeLevel(), name);
    }

    /**
     * {@code {code, level, levelZh, levelEn, name, nameEn}}: level is city, district or street; nameEn
     * only where the reference data has one (Guangzhou, Haizhu), else the pages show the Chinese name.
     */
    public JsonObject toJson() {
        return new JsonObject().put("code", code).put("level", level.code()).put("levelZh", level.zh())
                .put("levelEn", level.en()).put("name", name).put("nameEn", ReferenceAreas.nameEn(code).orElse(null));
    }
}
