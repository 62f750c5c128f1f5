package cn.haizhu.grid.server.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The KPI report's SQL: every grouping and basis filled in from the fixed lists, nothing else. */
class KpiQueryTest {

    @Test
    void everyGroupingAndBasisFillsEverySlot() {
        KpiQuery.GROUPS.forEach((by, grouping) -> KpiQuery.BASES.forEach((basis, date) -> {
            String sql = KpiQuery.sql(by, basis);
            assertFalse(sql.matches("(?s).*\\{[a-z_]+}.*"), by + "/" + basis + " left a slot unfilled");
            assertTrue(sql.contains("SELECT " + grouping.column() + " AS key"), by + " groups by " + grouping.column());
            assertTrue(sql.contains("key::" + grouping.type() + " AS key"), by + " reads the kept key as " + grouping.type());
            assertTrue(sql.contains(grouping.name() + " AS name"), by + " names its groups");
            assertTrue(sql.contains(date + " >= r.lo AND " + date + " < r.hi"), basis + " puts a case in the period by " + date);
        }));
    }

    @Test
    void theBasisDecidesTheDateColumnOnly() {
        String created = KpiQuery.sql("street", "created");
        String closed = KpiQuery.sql("street", "closed");
        assertEquals(created.replace("c.created_at", "c.closed_at"), closed);
    }

    @Test
    void aGroupingOrBasisOutsideTheListsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> KpiQuery.sql("c.street_code; DROP TABLE civic_case", "created"));
        assertThrows(IllegalArgumentException.class, () -> KpiQuery.sql("street", "deadline"));
    }
}
