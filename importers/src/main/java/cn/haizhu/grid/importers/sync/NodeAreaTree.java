package cn.haizhu.grid.importers.sync;

import cn.haizhu.grid.data.areas.ReferenceAreas;
import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.sync.NodeLevel;
import cn.haizhu.grid.importers.demo.DemoGenerator;
import cn.haizhu.grid.importers.load.AreaLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The area tree a city or street node starts with, so that its wall shows its place before its
 * first sync brings the district's records (docs/SYNC.md, "A node's first start").
 *
 * <ul>
 * <li>A <b>city</b> starts from the reference outlines of its districts shipped in the jar
 *     ({@code guangzhou-districts.geojson}): real outlines, the same at every city node, so always.</li>
 * <li>A <b>street</b> of the demo starts from the demo's own partition of Haizhu: its street, its
 *     communities and the district outline, the very polygons the demo district loads for the same
 *     {@code demo.scale} and {@code demo.seed}. Street and community polygons are not reference data
 *     (no public source has them; the demo generates them), so a street outside the demo gets its
 *     tree from its district at its first sync, and starts empty.</li>
 * <li>A <b>district</b> gets its tree from the demo or from its officers, as before.</li>
 * </ul>
 *
 * Every area is written under {@code gridctl_area_gid(code)}, as at the district that owns it, so
 * the owner's copy arriving by sync replaces the starting one in place. A street's starting areas
 * carry the district's code as their origin: they are copies of the district's records, not edits
 * made at the street.
 */
public final class NodeAreaTree {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAreaTree.class);
    private static final String AREA_HELD = SqlFile.load(NodeAreaTree.class, "area_held");
    private static final String CITY_AREA_TREE = SqlFile.load(NodeAreaTree.class, "city_area_tree");
    private static final String SET_ORIGIN = SqlFile.load(NodeAreaTree.class, "set_origin");

    private NodeAreaTree() {
    }

    /**
     * Writes the starting tree of this node unless it already holds its own area.
     *
     * @param demo whether this node is part of the demo (embedded database, {@code demo.load}):
     *             only then may a street start from the demo's generated polygons
     * @return whether anything was written
     */
    public static boolean ensure(Database db, GridConfig config, boolean demo) throws IOException, SQLException {
        String code = config.nodeCode();
        NodeLevel level = config.nodeLevel();
        if (level == NodeLevel.DISTRICT) {
            return false;
        }
        try (Connection c = db.connection()) {
            if (held(c, code)) {
                return false;
            }
            if (level == NodeLevel.CITY) {
                return city(c, code);
            }
            if (!demo || !code.startsWith(ReferenceAreas.DISTRICT_CODE)) {
                LOG.info("street {}: no area tree yet; it comes with the first sync from its district", code);
                return false;
            }
            street(c, config, code);
            return true;
        }
    }

    private static void origin(Connection c, String code) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SET_ORIGIN)) {
            ps.setString(1, code);
            ps.execute();
        }
    }

    private static boolean held(Connection c, String code) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(AREA_HELD)) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static boolean city(Connection c, String code) throws SQLException {
        String name = ReferenceAreas.name(code).orElse(code);
        try (PreparedStatement ps = c.prepareStatement(CITY_AREA_TREE)) {
            ps.setString(1, ReferenceAreas.guangzhouDistrictsGeoJson());
            ps.setString(2, code);
            ps.setString(3, name);
            int districts = ps.executeUpdate();
            if (districts == 0) {
                LOG.info("city {}: the reference data has no districts of it; its tree comes with the districts' sync", code);
                return false;
            }
            LOG.info("city {} ({}): area tree of {} districts from the reference outlines", code, name, districts);
            return true;
        }
    }

    private static void street(Connection c, GridConfig config, String code) throws IOException, SQLException {
        Path dir = Files.createTempDirectory("gridctl-street-areas");
        try {
            new DemoGenerator(config.demoScale(), config.demoSeed()).writeStreetAreasTo(dir, code);
            String district = config.nodeLevel().upstreamCode(code).orElseThrow();
            origin(c, district);
            AreaLoader areas = new AreaLoader();
            try {
                areas.adminAreas(c, dir.resolve("district.geojson"), "district");
                areas.adminAreas(c, dir.resolve("streets.geojson"), "street");
                areas.adminAreas(c, dir.resolve("communities.geojson"), "community");
            } finally {
                origin(c, "");
            }
            LOG.info("street {}: area tree from the demo partition (scale {}, seed {}), origin {}", code,
                    config.demoScale(), config.demoSeed(), district);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}
