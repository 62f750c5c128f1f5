package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outline an import checks locations against is this node's own, though the database holds others:
 * a district whose database also holds the city's reference outlines (荔湾区 440103 codes lower than
 * 海珠区 440105), a street (its district), a city (the union of its districts).
 */
class DistrictBoundsIT {
    /** A point in "Haizhu" and one in "Liwan", the boxes below. */
    static final double[] HAIZHU = {113.35, 23.08};
    static final double[] LIWAN = {113.15, 23.15};
    static Database db;

    @BeforeAll
    static void areas() throws SQLException {
        db = TestDatabases.fresh("it_district_bounds");
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("""
                INSERT INTO admin_area (code, level, name, geom) VALUES
                    ('440100', 'city', '广州市', ST_Multi(ST_MakeEnvelope(113.0, 22.9, 113.6, 23.5, 4326))),
                    ('440103', 'district', '荔湾区', ST_Multi(ST_MakeEnvelope(113.10, 23.10, 113.20, 23.20, 4326))),
                    ('440105', 'district', '海珠区', ST_Multi(ST_MakeEnvelope(113.30, 23.05, 113.40, 23.12, 4326)))""");
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static DistrictBounds at(String node) throws SQLException {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE platform_node SET code = ?")) {
                ps.setString(1, node);
                ps.executeUpdate();
            }
            return DistrictBounds.load(c);
        }
    }

    @Test
    void aDistrictChecksAgainstItsOwnOutlineNotTheLowestCodedOne() throws SQLException {
        for (String node : new String[] {"440105", "440105001"}) {
            DistrictBounds bounds = at(node);
            assertTrue(bounds.contains(HAIZHU[0], HAIZHU[1]), node + ": a point in its own district");
            assertFalse(bounds.contains(LIWAN[0], LIWAN[1]), node + ": a point in another district");
        }
    }

    @Test
    void aCityChecksAgainstItsWholeArea() throws SQLException {
        DistrictBounds bounds = at("440100");
        assertTrue(bounds.contains(HAIZHU[0], HAIZHU[1]));
        assertTrue(bounds.contains(LIWAN[0], LIWAN[1]));
        assertFalse(bounds.contains(114.5, 23.1), "outside the city");
    }
}
