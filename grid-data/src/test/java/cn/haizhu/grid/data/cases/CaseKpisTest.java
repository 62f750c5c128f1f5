package cn.haizhu.grid.data.cases;

import static cn.haizhu.grid.data.cases.CaseSummary.filedCase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class CaseKpisTest {
    private static Duration min(long m) {
        return Duration.ofMinutes(m);
    }

    /**
     * Ten cases of one street and month:
     * 3 closed on time, 1 closed late after rework, 1 closed on time after an extension,
     * 1 open and overdue, 1 open within its limit, 1 filed not yet dispatched,
     * 2 suspended (缓办) — one of them had been reworked and extended, and both were slow to sign.
     */
    private static final List<CaseSummary> MONTH = List.of(
            filedCase().andSignedAfter(min(10)).andClosed(true),
            filedCase().andSignedAfter(min(20)).andClosed(true),
            filedCase().andSignedAfter(min(30)).andClosed(true),
            filedCase().andSignedAfter(min(40)).andReworked().andClosed(false),
            filedCase().andSignedAfter(min(50)).andExtended().andClosed(true),
            filedCase().andSignedAfter(min(60)).andDue(),
            filedCase().andDispatched(),
            filedCase(),
            filedCase().andSignedAfter(min(600)).andReworked().andExtended().andDue().andSuspended(),
            filedCase().andSignedAfter(min(900)).andSuspended());

    @Test
    void formulasOverAMonthWithSuspendedCases() {
        CaseKpis k = CaseKpis.of(MONTH);
        // 结案率 = closed / filed: 5 of the 8 not suspended
        assertEquals(new Rate(5, 8), k.closure());
        // 按期结案率 = on time / closed: 4 of 5
        assertEquals(new Rate(4, 5), k.onTimeClosure());
        // 应结案口径: due = 5 closed + 1 overdue = 6
        assertEquals(new Rate(5, 6), k.dueClosure());
        assertEquals(new Rate(4, 6), k.dueOnTimeClosure());
        // 返工率 = reworked / checked: the 5 closed were checked, 1 reworked (the suspended one does not count)
        assertEquals(new Rate(1, 5), k.rework());
        // 延期率 = extended / dispatched: 7 dispatched, 1 extended
        assertEquals(new Rate(1, 7), k.extension());
        // 平均签收用时: (10+20+30+40+50+60)/6 = 35 min; the suspended cases' 600 and 900 min are left out
        assertEquals(Optional.of(min(35)), k.meanTimeToSign());
    }

    @Test
    void suspendingACaseTakesItOutOfEveryDenominator() {
        CaseSummary late = filedCase().andSignedAfter(min(5)).andDue();
        CaseKpis before = CaseKpis.of(List.of(late));
        CaseKpis after = CaseKpis.of(List.of(late.andSuspended()));
        assertEquals(new Rate(0, 1), before.closure());
        assertEquals(new Rate(0, 1), before.dueClosure());
        assertEquals(new Rate(0, 0), after.closure());
        assertEquals(new Rate(0, 0), after.dueClosure());
        assertEquals(new Rate(0, 0), after.extension());
        assertEquals(Optional.empty(), after.meanTimeToSign());
    }

    @Test
    void nothingToCountIsNoRate() {
        CaseKpis none = CaseKpis.of(List.of());
        assertEquals(OptionalDouble.empty(), none.closure().value());
        assertEquals("0/0", none.closure().toString());
        assertEquals(Optional.empty(), none.meanTimeToSign());
        assertEquals(OptionalDouble.of(0.8), new Rate(4, 5).value());
        assertEquals("4/5 (80.0%)", new Rate(4, 5).toString());
    }

    @Test
    void ratesAddByTheirCounts() {
        // a street with 1/1 and one with 0/3 make 1/4, not the 50 % of averaged percentages
        assertEquals(new Rate(1, 4), new Rate(1, 1).plus(new Rate(0, 3)));
        assertThrows(IllegalArgumentException.class, () -> new Rate(2, 1));
        assertThrows(IllegalArgumentException.class, () -> new Rate(-1, 1));
    }

    record StreetCase(String street, CaseSummary summary) {
    }

    @Test
    void perGroup() {
        List<StreetCase> cases = List.of(
                new StreetCase("440105001", filedCase().andSignedAfter(min(10)).andClosed(true)),
                new StreetCase("440105002", filedCase().andSignedAfter(min(30)).andDue()),
                new StreetCase("440105001", filedCase().andSignedAfter(min(20)).andClosed(false)));
        Map<String, CaseKpis> byStreet = CaseKpis.perGroup(cases, StreetCase::street, StreetCase::summary);
        assertEquals(List.of("440105001", "440105002"), List.copyOf(byStreet.keySet()));
        assertEquals(new Rate(1, 2), byStreet.get("440105001").onTimeClosure());
        assertEquals(Optional.of(min(15)), byStreet.get("440105001").meanTimeToSign());
        assertEquals(new Rate(0, 1), byStreet.get("440105002").dueClosure());
    }

    @Test
    void summariesMustBeConsistent() {
        assertThrows(IllegalArgumentException.class,
                () -> new CaseSummary(true, true, false, true, false, true, false, false, false, null));
        assertThrows(IllegalArgumentException.class,
                () -> new CaseSummary(false, true, false, false, false, false, false, false, false, null));
        assertThrows(IllegalArgumentException.class, () -> filedCase().andSignedAfter(min(-1)));
        assertTrue(filedCase().andClosed(true).due());
        assertTrue(filedCase().andReworked().checked());
    }
}
