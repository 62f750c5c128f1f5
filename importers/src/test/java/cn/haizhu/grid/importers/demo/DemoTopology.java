package cn.haizhu.grid.importers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Topology checks run in PostGIS on a loaded demo data set (shared by the small and full-scale tests). */
final class DemoTopology {
    private DemoTopology() {
    }

    static double number(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    /** Grids, communities and streets each partition their parent: valid, no overlaps, no gaps. */
    static void assertPartitions(Connection c) throws SQLException {
        assertEquals(0, number(c, "SELECT count(*) FROM grid WHERE NOT ST_IsValid(geom)"), "every grid polygon is valid");
        assertEquals(0, number(c, "SELECT count(*) FROM admin_area WHERE NOT ST_IsValid(geom)"), "every area polygon is valid");
        double districtArea = number(c, "SELECT ST_Area(geom::geography) FROM admin_area WHERE level = 'district'");
        assertOverlapFree(c, "SELECT code, geom FROM grid", "grids");
        assertOverlapFree(c, "SELECT code, geom FROM admin_area WHERE level = 'community'", "communities");
        assertOverlapFree(c, "SELECT code, geom FROM admin_area WHERE level = 'street'", "streets");
        // union of the grids = the district outline (symmetric difference under 1 m² in all)
        double gap = number(c, """
                SELECT ST_Area(ST_SymDifference(d.geom, u.geom)::geography)
                FROM admin_area d, (SELECT ST_Union(geom) AS geom FROM grid) u WHERE d.level = 'district'""");
        assertTrue(gap < 1.0, "union of grids differs from the district outline by " + gap + " m² (district " + districtArea + " m²)");
        // every grid lies in its community, every community in its street
        assertEquals(0, number(c, """
                SELECT count(*) FROM grid g JOIN admin_area a ON a.code = g.community_code
                WHERE ST_Area(ST_Difference(g.geom, a.geom)::geography) > 0.01"""), "grids stay inside their community");
        assertEquals(0, number(c, """
                SELECT count(*) FROM admin_area c JOIN admin_area s ON s.code = c.parent_code
                WHERE c.level = 'community' AND ST_Area(ST_Difference(c.geom, s.geom)::geography) > 0.01"""),
                "communities stay inside their street");
    }

    private static void assertOverlapFree(Connection c, String layer, String what) throws SQLException {
        double overlap = number(c, "WITH l AS (" + layer + ") SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)"
                + " FROM l a JOIN l b ON a.code < b.code AND ST_Intersects(a.geom, b.geom)");
        assertTrue(overlap < 0.01, "sum of pairwise overlap areas of " + what + " is " + overlap + " m²");
    }
}
