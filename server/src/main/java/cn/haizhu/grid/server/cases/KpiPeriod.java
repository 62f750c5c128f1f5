package cn.haizhu.grid.server.cases;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A KPI report's period ({@code from} ≤ date &lt; {@code to}, either end open) split the way the report
 * reads it: the whole local months inside it from the counts kept per month ({@code case_kpi}, V19),
 * and the rest, at most a partial month at each end, case by case. A period that holds no whole month
 * is read case by case, and so is every period of a caller the kept counts cannot serve (a grid
 * worker's own scope is no street).
 *
 * @param kept      whether the kept counts are read at all
 * @param keptFrom  the first whole month's start, null for no lower bound (meaningful only if kept)
 * @param keptTo    the end of the last whole month, null for no upper bound (meaningful only if kept)
 * @param caseByCase the ranges read case by case: none, one or two
 */
record KpiPeriod(boolean kept, Instant keptFrom, Instant keptTo, List<Range> caseByCase) {

    /**
     * Stand-ins for an open end of a range read case by case: no case predates the epoch or is dated
     * after the year 3000. The query needs plain bounds: with {@code coalesce(bound, 'infinity')} in
     * its join, row-level security kept PostgreSQL from using the bounds as an index range.
     */
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("3000-01-01T00:00:00Z");

    /** {@code from} ≤ date &lt; {@code to}. */
    record Range(Instant from, Instant to) {
        static Range of(Instant from, Instant to) {
            return new Range(from == null ? EARLIEST : from, to == null ? LATEST : to);
        }
    }

    static KpiPeriod split(Instant from, Instant to, ZoneId zone, boolean keptCountsServe) {
        if (from != null && to != null && !from.isBefore(to)) {
            return new KpiPeriod(false, null, null, List.of());
        }
        if (!keptCountsServe) {
            return new KpiPeriod(false, null, null, List.of(Range.of(from, to)));
        }
        Instant keptFrom = from == null ? null : monthOnOrAfter(from, zone);
        Instant keptTo = to == null ? null : monthOnOrBefore(to, zone);
        if (keptFrom != null && keptTo != null && !keptFrom.isBefore(keptTo)) {
            return new KpiPeriod(false, null, null, List.of(Range.of(from, to)));
        }
        List<Range> edges = new ArrayList<>(2);
        if (from != null && from.isBefore(keptFrom)) {
            edges.add(new Range(from, keptFrom));
        }
        if (to != null && keptTo.isBefore(to)) {
            edges.add(new Range(keptTo, to));
        }
        return new KpiPeriod(true, keptFrom, keptTo, List.copyOf(edges));
    }

    private static Instant monthOnOrBefore(Instant t, ZoneId zone) {
        return t.atZone(zone).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
    }

    private static Instant monthOnOrAfter(Instant t, ZoneId zone) {
        ZonedDateTime start = t.atZone(zone).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
        return start.toInstant().equals(t) ? t : start.plusMonths(1).toInstant();
    }
}
