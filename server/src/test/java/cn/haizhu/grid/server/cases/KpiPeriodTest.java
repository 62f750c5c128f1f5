package cn.haizhu.grid.server.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.cases.KpiPeriod.Range;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class KpiPeriodTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** Local midnight of the first of a month, as the instant the API is given (UTC+8). */
    private static Instant month(int year, int month) {
        return LocalDate.of(year, month, 1).atStartOfDay(SHANGHAI).toInstant();
    }

    @Test
    void aPeriodOfWholeLocalMonthsIsReadFromTheKeptCountsAlone() {
        KpiPeriod p = KpiPeriod.split(month(2025, 1), month(2026, 1), SHANGHAI, true);
        assertTrue(p.kept());
        assertEquals(month(2025, 1), p.keptFrom());
        assertEquals(month(2026, 1), p.keptTo());
        assertEquals(List.of(), p.caseByCase());
        assertEquals(Instant.parse("2024-12-31T16:00:00Z"), p.keptFrom(), "a month starts at local, not UTC, midnight");
    }

    @Test
    void partialMonthsAtTheEndsAreReadCaseByCase() {
        Instant from = Instant.parse("2025-03-15T02:00:00Z");
        Instant to = Instant.parse("2025-11-20T09:30:00Z");
        KpiPeriod p = KpiPeriod.split(from, to, SHANGHAI, true);
        assertTrue(p.kept());
        assertEquals(month(2025, 4), p.keptFrom());
        assertEquals(month(2025, 11), p.keptTo());
        assertEquals(List.of(new Range(from, month(2025, 4)), new Range(month(2025, 11), to)), p.caseByCase());
    }

    @Test
    void openEndsKeepEveryMonthOnThatSide() {
        KpiPeriod all = KpiPeriod.split(null, null, SHANGHAI, true);
        assertTrue(all.kept());
        assertNull(all.keptFrom());
        assertNull(all.keptTo());
        assertEquals(List.of(), all.caseByCase());

        Instant from = Instant.parse("2026-12-04T03:00:00Z");
        KpiPeriod since = KpiPeriod.split(from, null, SHANGHAI, true);
        assertEquals(month(2027, 1), since.keptFrom());
        assertNull(since.keptTo());
        assertEquals(List.of(new Range(from, month(2027, 1))), since.caseByCase());
    }

    @Test
    void aPeriodWithoutAWholeMonthIsReadCaseByCase() {
        Instant from = Instant.parse("2026-11-03T00:00:00Z");
        Instant to = Instant.parse("2026-12-02T00:00:00Z");   // crosses a month boundary, holds no whole month
        KpiPeriod p = KpiPeriod.split(from, to, SHANGHAI, true);
        assertFalse(p.kept());
        assertEquals(List.of(new Range(from, to)), p.caseByCase());
    }

    @Test
    void anEmptyOrBackwardPeriodReadsNothing() {
        Instant t = Instant.parse("2026-11-03T00:00:00Z");
        assertEquals(new KpiPeriod(false, null, null, List.of()), KpiPeriod.split(t, t, SHANGHAI, true));
        assertEquals(new KpiPeriod(false, null, null, List.of()), KpiPeriod.split(t, t.minusSeconds(1), SHANGHAI, false));
    }

    @Test
    void aCallerTheKeptCountsCannotServeIsReadCaseByCaseOverThePeriod() {
        KpiPeriod p = KpiPeriod.split(null, month(2026, 1), SHANGHAI, false);
        assertFalse(p.kept());
        assertEquals(List.of(new Range(KpiPeriod.EARLIEST, month(2026, 1))), p.caseByCase());
        assertEquals(List.of(new Range(KpiPeriod.EARLIEST, KpiPeriod.LATEST)),
                KpiPeriod.split(null, null, SHANGHAI, false).caseByCase());
    }
}
