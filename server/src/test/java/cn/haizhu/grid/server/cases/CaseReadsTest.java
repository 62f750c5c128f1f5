package cn.haizhu.grid.server.cases;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.SqlFile;
import org.junit.jupiter.api.Test;

/** The case queries that must agree with each other and with the Java that reads them. */
class CaseReadsTest {

    @Test
    void everyQueryOfAWholeCaseSelectsTheCaseColumns() {
        String columns = SqlFile.load(CaseReads.class, "case_columns");
        for (String name : new String[] {"case", "queue", "duplicates"}) {
            String sql = CaseReads.query(name);
            assertTrue(sql.contains(columns), name + ".sql selects the columns CaseViews reads");
            assertFalse(sql.matches("(?s).*\\{[a-z_]+}.*"), name + ".sql has no slot left");
        }
    }

    @Test
    void theQueueAndItsCountFilterAlike() {
        String filter = SqlFile.load(CaseReads.class, "queue_filter");
        assertTrue(CaseReads.query("queue").contains(filter));
        assertTrue(CaseReads.query("queue_count").contains(filter));
    }

    @Test
    void theQueueCountsOneCaseMoreThanItShows() {
        assertTrue(CaseReads.query("queue_count").contains("LIMIT " + (CaseReads.MAX_COUNT + 1) + ")"),
                "queue_count.sql counts up to MAX_COUNT + 1, to tell a capped total");
    }

    @Test
    void theDuplicateRadiusIsTheOneTheQueryUses() {
        assertTrue(CaseReads.query("duplicates").contains(
                "ST_DWithin(c.geom::geography, me.geom::geography, " + CaseReads.DUPLICATE_RADIUS_M + ")"));
    }
}
