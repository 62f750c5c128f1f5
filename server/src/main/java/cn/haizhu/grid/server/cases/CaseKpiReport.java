package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CaseCategory;
import cn.haizhu.grid.data.cases.CategoryCatalogue;
import cn.haizhu.grid.data.cases.Department;
import cn.haizhu.grid.data.cases.Rate;
import cn.haizhu.grid.data.cases.WorkingCalendar;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The dispatch KPIs (考核指标) per street, department, worker or category, without HTTP: 结案率,
 * 按期结案率 (both over filed/closed cases and over cases due), 返工率, 延期率 and mean working time to
 * 签收. The definitions are {@link cn.haizhu.grid.data.cases.CaseKpis}'s, case for case: a suspended
 * case (缓办) counts in no KPI; a numerator counts only cases of its denominator. The workflow keeps
 * the facts on the case as it goes (first dispatch and sign, working seconds to sign on the calendar,
 * on-time at 结案, check/rework/extension counts), and the database keeps their counts per month
 * (V19), so a report over years reads those counts, not a million cases; only the partial months at
 * the ends of a period are read case by case ({@link KpiPeriod}). The query is {@link KpiQuery}'s.
 */
public final class CaseKpiReport {
    private static final String CUSTOM_PLANS = SqlFile.load(CaseKpiReport.class, "custom_plans");

    private final ScopedPool db;
    private final CategoryCatalogue catalogue;

    public CaseKpiReport(ScopedPool db, CategoryCatalogue catalogue) {
        this.db = db;
        this.catalogue = catalogue;
    }

    /**
     * The report grouped {@code by} (a key of {@link KpiQuery#GROUPS}) for the cases whose
     * {@code basis} date (a key of {@link KpiQuery#BASES}) falls in [from, to) (null: open-ended), of
     * one street or all: {@code {by, basis, from, to, groups, total}}.
     */
    Future<JsonObject> report(Caller caller, String by, String basis, Instant from, Instant to, String street) {
        String sql = KpiQuery.sql(by, basis);
        KpiPeriod period = KpiPeriod.split(from, to, WorkingCalendar.SHANGHAI, !DataScope.GRIDS.equals(caller.scope().kind()));
        Tuple params = Tuple.of(
                period.caseByCase().stream().map(r -> utc(r.from())).toArray(OffsetDateTime[]::new),
                period.caseByCase().stream().map(r -> utc(r.to())).toArray(OffsetDateTime[]::new),
                street, period.kept(), utc(period.keptFrom()), utc(period.keptTo()))
                .addString(basis).addString(by);
        // Serial: on 2 cores the planner's parallel heap scan lost to one index-only scan. Custom plans:
        // after five runs PostgreSQL would keep a generic plan, which cannot know how many kept rows a
        // period has and sorted a hundred thousand of them (0.46 s instead of 0.13 s by worker).
        return db.withSerialScope(caller, c -> c.query(CUSTOM_PLANS).execute()
                        .compose(v -> c.preparedQuery(sql).execute(params)))
                .map(rows -> {
                    JsonArray groups = new JsonArray();
                    long[] sums = new long[15];
                    for (Row r : rows) {
                        groups.add(group(r, by).put("key", r.getString("key").isEmpty() ? null : r.getString("key")));
                        for (int i = 0; i < sums.length; i++) {
                            sums[i] += r.getLong(i + 1);
                        }
                    }
                    return new JsonObject().put("by", by).put("basis", basis)
                            .put("from", from == null ? null : from.toString())
                            .put("to", to == null ? null : to.toString())
                            .put("groups", groups).put("total", kpis(sums));
                });
    }

    private JsonObject group(Row r, String by) {
        long[] n = new long[15];
        for (int i = 0; i < n.length; i++) {
            n[i] = r.getLong(i + 1);
        }
        String key = r.getString("key");
        String name = switch (by) {
            case "street" -> key.isEmpty() ? "辖区外 / outside the streets" : r.getString("name");
            case "worker" -> key.isEmpty() ? "未分派 / unassigned" : r.getString("name");
            case "department" -> catalogue.departments().stream().filter(d -> d.code().equals(key))
                    .map(Department::zh).findFirst().orElse(key);
            default -> catalogue.byCode(key).map(CaseCategory::nameZh).orElse(key);
        };
        return kpis(n).put("name", name);
    }

    /** The counts in the order of the SELECT (cases … sign_seconds) as the KPI object. */
    private static JsonObject kpis(long[] n) {
        return new JsonObject()
                .put("cases", n[0])
                .put("suspended", n[1])
                .put("closure", rate(n[3], n[2]))             // 结案率 = closed / filed
                .put("onTimeClosure", rate(n[5], n[4]))       // 按期结案率 = closed on time / closed
                .put("dueClosure", rate(n[7], n[6]))          // 结案率（应结案口径）= closed / due
                .put("dueOnTimeClosure", rate(n[8], n[6]))    // 按期结案率（应结案口径）= closed on time / due
                .put("rework", rate(n[10], n[9]))             // 返工率 = reworked / checked
                .put("extension", rate(n[12], n[11]))         // 延期率 = extended / dispatched
                .put("signed", n[13])
                .put("meanTimeToSignSeconds", n[13] == 0 ? null : n[14] / n[13]);   // 平均签收用时 (working time)
    }

    private static JsonObject rate(long numerator, long denominator) {
        Rate r = new Rate(numerator, denominator);
        return new JsonObject().put("numerator", r.numerator()).put("denominator", r.denominator())
                .put("value", r.value().isPresent() ? r.value().getAsDouble() : null);
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
