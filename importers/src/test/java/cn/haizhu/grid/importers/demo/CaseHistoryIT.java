package cn.haizhu.grid.importers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The case history the KPI benchmark runs on: the promised size and mix, real places, removable. */
class CaseHistoryIT {
    static Database db;

    @BeforeAll
    static void load() throws Exception {
        db = TestDatabases.fresh("it_case_history");
        new DemoDataset(0.01, 20240105L, TestDatabases.projectDir().resolve("var/test-data"))
                .ensureLoaded(db, PersonalDataCipher.fromBase64(PersonalDataCipher.newKey()));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static double share(Connection c, String where) throws Exception {
        return DemoTopology.number(c, "SELECT avg((" + where + ")::int) FROM civic_case");
    }

    @Test
    void threeYearsOfCasesWithTheDistrictsMix() throws Exception {
        assertEquals(20_000, CaseHistory.make(db, 20_000, 7));
        try (Connection c = db.connection()) {
            assertEquals(20_000, CaseHistory.count(c));
            assertEquals(0, DemoTopology.number(c, "SELECT count(*) FROM civic_case WHERE grid_code IS NULL"),
                    "every case lies at a house of the district");
            assertEquals(0, DemoTopology.number(c, "SELECT count(*) FROM civic_case c JOIN grid g ON g.code = c.grid_code"
                    + " WHERE NOT ST_Intersects(g.geom, c.geom)"), "and in the grid it is routed to");
            double days = DemoTopology.number(c, "SELECT extract(epoch FROM max(created_at) - min(created_at)) / 86400 FROM civic_case");
            assertTrue(days > 1090 && days < 1100, "three years: " + days);
            assertTrue(Math.abs(share(c, "state = 'rejected'") - 0.06) < 0.01);
            assertTrue(Math.abs(share(c, "rework_count > 0") - 0.06 * 0.94) < 0.01);
            double open = share(c, "state NOT IN ('closed', 'evaluated', 'rejected', 'suspended')");
            assertTrue(open > 0.005 && open < 0.015, "the last ten days are open: " + open);
            double onTime = DemoTopology.number(c, "SELECT avg(closed_on_time::int) FROM civic_case WHERE closed_on_time IS NOT NULL");
            assertTrue(onTime > 0.82 && onTime < 0.9, "on-time closures " + onTime);
            assertEquals(0, DemoTopology.number(c, "SELECT count(*) FROM civic_case WHERE closed_at < first_dispatched_at"
                    + " OR first_signed_at < first_dispatched_at OR filed_at < created_at"), "dates in workflow order");
            assertEquals(20, DemoTopology.number(c, "SELECT count(*) FROM change_log WHERE table_name = 'civic_case'"
                    + " AND cardinality(record_gids) = 1000"), "logged in 20 entries of 1,000");
            assertKeptCountsMatchTheCases(c);
        }
        assertEquals(20_000, CaseHistory.remove(db));
        try (Connection c = db.connection()) {
            assertKeptCountsMatchTheCases(c);
        }
    }

    /**
     * The KPI counts kept per month (V19) are folded in by the generator and taken out again when it
     * removes its cases: per basis, dimension and month, they equal a count of the cases.
     */
    private static void assertKeptCountsMatchTheCases(Connection c) throws Exception {
        assertEquals(0, DemoTopology.number(c, "SELECT count(*) FROM case_kpi_delta"), "folded, not left appended");
        String perMonth = """
                SELECT count(*) FROM (
                    SELECT dimension, month, sum(cases) AS cases, sum(closed) AS closed, sum(reworked) AS reworked
                    FROM case_kpi WHERE basis = '%1$s' GROUP BY 1, 2) kept
                FULL JOIN (
                    SELECT d.dimension, date_trunc('month', %2$s, 'Asia/Shanghai') AS month, count(*) AS cases,
                           count(*) FILTER (WHERE state IN ('closed', 'evaluated')) AS closed,
                           count(*) FILTER (WHERE check_count > 0 AND rework_count > 0 AND state <> 'suspended') AS reworked
                    FROM civic_case CROSS JOIN (VALUES ('street'), ('department'), ('worker'), ('category')) d (dimension)
                    WHERE %2$s IS NOT NULL GROUP BY 1, 2) counted USING (dimension, month)
                WHERE (kept.cases, kept.closed, kept.reworked) IS DISTINCT FROM (counted.cases, counted.closed, counted.reworked)""";
        assertEquals(0, DemoTopology.number(c, String.format(perMonth, "created", "created_at")), "by intake");
        assertEquals(0, DemoTopology.number(c, String.format(perMonth, "closed", "closed_at")), "by closure");
    }
}
