package cn.haizhu.grid.data.cases;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The dispatch KPIs (考核指标) as definitions over {@link CaseSummary} records: the reference the
 * SQL version must agree with. In every KPI a suspended case (缓办) counts neither above nor below
 * the line: it left the assessment when it was suspended.
 *
 * <p>Two pairs of closure rates are defined because the brief and the product document differ:
 * {@link #closureRate} and {@link #onTimeClosureRate} count over filed and closed cases (the
 * dispatch brief), {@link #dueClosureRate} and {@link #dueOnTimeClosureRate} over the cases due
 * (应结案, docs/DOMAIN.md and the usual 数字城管 assessment). The due-based ones are fairer to a period
 * whose newest cases are still within their limits, and cannot be improved by leaving late cases
 * open.
 *
 * @param closure 结案率
 * @param onTimeClosure 按期结案率 (of closed cases)
 * @param dueClosure 结案率 (of cases due)
 * @param dueOnTimeClosure 按期结案率 (of cases due)
 * @param rework 返工率
 * @param extension 延期率
 * @param meanTimeToSign 平均签收用时, in working time; empty if no case was signed
 */
public record CaseKpis(Rate closure, Rate onTimeClosure, Rate dueClosure, Rate dueOnTimeClosure, Rate rework,
        Rate extension, Optional<Duration> meanTimeToSign) {

    /** All KPIs of a set of cases. */
    public static CaseKpis of(Collection<CaseSummary> cases) {
        return new CaseKpis(closureRate(cases), onTimeClosureRate(cases), dueClosureRate(cases),
                dueOnTimeClosureRate(cases), reworkRate(cases), extensionRate(cases), meanTimeToSign(cases));
    }

    /** The KPIs per group (street, department, worker, category …), groups in order of first appearance. */
    public static <T, K> Map<K, CaseKpis> perGroup(Collection<T> items, Function<T, K> group,
            Function<T, CaseSummary> summary) {
        Map<K, List<CaseSummary>> groups = new LinkedHashMap<>();
        for (T item : items) {
            groups.computeIfAbsent(group.apply(item), k -> new ArrayList<>()).add(summary.apply(item));
        }
        Map<K, CaseKpis> out = new LinkedHashMap<>();
        groups.forEach((k, cs) -> out.put(k, of(cs)));
        return out;
    }

    /** 结案率 = closed / filed, suspended cases left out of both. */
    public static Rate closureRate(Collection<CaseSummary> cases) {
        return rate(cases, CaseSummary::filed, CaseSummary::closed);
    }

    /** 按期结案率 = closed on time / closed, suspended cases left out of both. */
    public static Rate onTimeClosureRate(Collection<CaseSummary> cases) {
        return rate(cases, CaseSummary::closed, CaseSummary::closedOnTime);
    }

    /** 结案率 (应结案口径) = closed / due, suspended cases left out of both (docs/DOMAIN.md: closed / (due − suspended)). */
    public static Rate dueClosureRate(Collection<CaseSummary> cases) {
        return rate(cases, CaseSummary::due, CaseSummary::closed);
    }

    /** 按期结案率 (应结案口径) = closed on time / due, suspended left out (docs/DOMAIN.md: closed on time / (due − suspended)). */
    public static Rate dueOnTimeClosureRate(Collection<CaseSummary> cases) {
        return rate(cases, CaseSummary::due, CaseSummary::closedOnTime);
    }

    /** 返工率 = cases that failed a check at least once / cases checked at least once. */
    public static Rate reworkRate(Collection<CaseSummary> cases) {
        return rate(cases, CaseSummary::checked, CaseSummary::reworked);
    }

    /** 延期率 = cases granted an extension at least once / cases dispatched. */
    public static Rate extensionRate(Collection<CaseSummary> cases) {
        return rate(cases, CaseSummary::dispatched, CaseSummary::extended);
    }

    /**
     * 平均签收用时 = mean working time from first dispatch to first 签收 over the signed cases that
     * are not suspended, truncated to whole seconds; empty if there are none.
     */
    public static Optional<Duration> meanTimeToSign(Collection<CaseSummary> cases) {
        long n = 0;
        Duration sum = Duration.ZERO;
        for (CaseSummary c : cases) {
            if (!c.suspended() && c.timeToSign() != null) {
                n++;
                sum = sum.plus(c.timeToSign());
            }
        }
        return n == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(sum.dividedBy(n).getSeconds()));
    }

    /** Counts the cases below the line (not suspended, {@code base}) and those of them above it ({@code hit}). */
    private static Rate rate(Collection<CaseSummary> cases, Predicate<CaseSummary> base, Predicate<CaseSummary> hit) {
        long d = 0;
        long n = 0;
        for (CaseSummary c : cases) {
            if (!c.suspended() && base.test(c)) {
                d++;
                if (hit.test(c)) {
                    n++;
                }
            }
        }
        return new Rate(n, d);
    }
}
