package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CaseCategory;
import cn.haizhu.grid.data.cases.CategoryCatalogue;
import cn.haizhu.grid.data.cases.Department;
import cn.haizhu.grid.data.cases.Rate;
import cn.haizhu.grid.data.cases.WorkingCalendar;
import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The dispatch KPIs (考核指标) per street, department, worker or category: 结案率, 按期结案率 (both over filed/closed cases and over cases due), 返工率,
 * 延期率 and mean working time to 签收. The definitions are {@link cn.haizhu.grid.data.cases.CaseKpis}'s,
 * case for case: a suspended case (缓办) counts in no KPI; a numerator counts only cases of its
 * denominator. The workflow keeps the facts on the case as it goes (first dispatch and sign, working
 * seconds to sign on the calendar, on-time at 结案, check/rework/extension counts), and the database
 * keeps their counts per month (V19), so a report over years reads those counts, not a million cases;
 * only the partial months at the ends of a period are read case by case ({@link KpiPeriod}). The
 * period ({@code from} ≤ date &lt; {@code to}) filters on the date the {@code basis} names.
 */
public final class CaseKpiResource {
    private static final Pattern STREET = Pattern.compile("\\d{9}");
    /**
     * A grouping: the column the cases are grouped by, how a group's name is looked up (or null), and
     * the column's type, as which the kept counts' text key is read (so that the name lookup compares
     * like with like: a cast inside it would keep row-level security from using grid_worker's key).
     */
    private record Grouping(String column, String name, String type) {
    }

    /** Chosen from this map by the parameter, never taken from the request. */
    private static final Map<String, Grouping> GROUPS = Map.of(
            "street", new Grouping("c.street_code", "(SELECT name FROM admin_area a WHERE a.code = k.key)", "text"),
            "department", new Grouping("c.department_code", "NULL::text", "text"),
            "worker", new Grouping("c.assignee_id", "(SELECT name FROM grid_worker w WHERE w.id = k.key)", "bigint"),
            "category", new Grouping("c.category_code", "NULL::text", "text"));

    /**
     * 统计口径: which date puts a case in the period. created (受理, the default): the cases that came in;
     * closed (结案): the cases closed in it, as monthly 按期结案率 reports count. (Not the deadline: it
     * is kept only while the clock runs, so a closed case has none.) Chosen from this map, never taken
     * from the request.
     */
    private static final Map<String, String> BASES = Map.of(
            "created", "c.created_at",
            "closed", "c.closed_at");

    /**
     * Three sources, summed per group:
     * <ul>
     *   <li>kept: the whole months of the period from the counts kept per month (V19), folded into
     *       case_kpi or still appended to case_kpi_delta (one snapshot sees each row in one of them);
     *   <li>overdue: whether an open case is due (应结案) depends on the time of the report, so it is
     *       not kept: the open cases of those months past their deadline are counted now, from the
     *       open-deadline index (a rejected case never had a clock; a closed one is always due);
     *   <li>case by case: the partial months at the ends of the period, in two steps because per-row
     *       work is what costs: count the cases per group and combination of facts (nine bits, a few
     *       hundred combinations a group) from the covering index (civic_case_kpi by intake,
     *       civic_case_kpi_closed by closure), then the KPI counts are sums over those few rows.
     * </ul>
     */
    private static final String SQL = """
            WITH kept AS (
                SELECT key::%4$s AS key, sum(cases) AS cases, sum(suspended) AS suspended, sum(filed) AS filed,
                       sum(filed_closed) AS filed_closed, sum(closed) AS closed, sum(closed_on_time) AS closed_on_time,
                       sum(closed) AS due, sum(closed) AS due_closed, sum(closed_on_time) AS due_on_time,
                       sum(checked) AS checked, sum(reworked) AS reworked, sum(dispatched) AS dispatched,
                       sum(extended) AS extended, sum(signed) AS signed, sum(sign_seconds) AS sign_seconds
                FROM (SELECT * FROM case_kpi UNION ALL SELECT * FROM case_kpi_delta) kpi
                WHERE $4 AND kpi.basis = $7 AND kpi.dimension = $8
                  AND ($5::timestamptz IS NULL OR kpi.month >= $5) AND ($6::timestamptz IS NULL OR kpi.month < $6)
                  AND ($3::text IS NULL OR kpi.street_code = $3)
                GROUP BY 1),
            overdue AS (
                SELECT %1$s AS key, 0::bigint AS cases, 0::bigint AS suspended, 0::bigint AS filed,
                       0::bigint AS filed_closed, 0::bigint AS closed, 0::bigint AS closed_on_time,
                       count(*) AS due, 0::bigint AS due_closed, 0::bigint AS due_on_time, 0::bigint AS checked,
                       0::bigint AS reworked, 0::bigint AS dispatched, 0::bigint AS extended, 0::bigint AS signed,
                       0::bigint AS sign_seconds
                FROM civic_case c
                WHERE $4 AND c.state NOT IN ('closed', 'evaluated', 'rejected', 'suspended') AND c.deadline < now()
                  AND %3$s IS NOT NULL AND ($5::timestamptz IS NULL OR %3$s >= $5) AND ($6::timestamptz IS NULL OR %3$s < $6)
                  AND ($3::text IS NULL OR c.street_code = $3)
                GROUP BY 1),
            k AS (
                SELECT %1$s AS key,
                       (c.state = 'suspended')::int
                       + (c.filed_at IS NOT NULL)::int * 2
                       + (c.first_dispatched_at IS NOT NULL)::int * 4
                       + (c.state IN ('closed', 'evaluated'))::int * 8
                       + coalesce(c.closed_on_time, false)::int * 16
                       + coalesce(c.deadline < now(), false)::int * 32
                       + (c.check_count > 0)::int * 64
                       + (c.rework_count > 0)::int * 128
                       + (c.extension_count > 0)::int * 256 AS f,
                       count(*) AS n, count(c.time_to_sign_s) AS signed, sum(c.time_to_sign_s) AS sign_s
                FROM unnest($1::timestamptz[], $2::timestamptz[]) AS r (lo, hi)
                JOIN civic_case c ON %3$s >= r.lo AND %3$s < r.hi
                WHERE ($3::text IS NULL OR c.street_code = $3)
                GROUP BY 1, 2),
            facts AS (
                SELECT key, n, signed, sign_s,
                       f & 1 = 1 AS suspended, f & 2 = 2 AS filed, f & 4 = 4 AS dispatched, f & 8 = 8 AS closed,
                       f & 8 = 8 AND f & 16 = 16 AS on_time, f & 8 = 8 OR f & 32 = 32 AS due,
                       f & 64 = 64 AS checked, f & 128 = 128 AS reworked, f & 256 = 256 AS extended
                FROM k),
            case_by_case AS (
                SELECT key, sum(n) AS cases,
                       coalesce(sum(n) FILTER (WHERE suspended), 0) AS suspended,
                       coalesce(sum(n) FILTER (WHERE NOT suspended AND filed), 0) AS filed,
                       coalesce(sum(n) FILTER (WHERE NOT suspended AND filed AND closed), 0) AS filed_closed,
                       coalesce(sum(n) FILTER (WHERE NOT suspended AND closed), 0) AS closed,
                       coalesce(sum(n) FILTER (WHERE NOT suspended AND closed AND on_time), 0) AS closed_on_time,
                       coalesce(sum(n) FILTER (WHERE NOT suspended AND due), 0) AS due,
                       coalesce(sum(n) FILTER (WHERE NOT suspended AND due AND closed), 0) AS due_closed,
                       coalesce(sum(n) FILTER (WHERE NOT suspended AND due AND on_time), 0) AS due_on_time,
                       coalesce(sum(n) FILTER (WHERE NOT suspended AND checked), 0) AS checked,
                       coalesce(sum(n) FILTER (WHERE NOT suspended AND checked AND reworked), 0) AS reworked,
                       coalesce(sum(n) FILTER (WHERE NOT suspended AND dispatched), 0) AS dispatched,
                       coalesce(sum(n) FILTER (WHERE NOT suspended AND dispatched AND extended), 0) AS extended,
                       coalesce(sum(signed) FILTER (WHERE NOT suspended), 0) AS signed,
                       coalesce(sum(sign_s) FILTER (WHERE NOT suspended), 0) AS sign_seconds
                FROM facts GROUP BY key)
            SELECT coalesce(k.key::text, '') AS key, sum(cases)::bigint AS cases, sum(suspended)::bigint AS suspended,
                   sum(filed)::bigint AS filed, sum(filed_closed)::bigint AS filed_closed, sum(closed)::bigint AS closed,
                   sum(closed_on_time)::bigint AS closed_on_time, sum(due)::bigint AS due,
                   sum(due_closed)::bigint AS due_closed, sum(due_on_time)::bigint AS due_on_time,
                   sum(checked)::bigint AS checked, sum(reworked)::bigint AS reworked,
                   sum(dispatched)::bigint AS dispatched, sum(extended)::bigint AS extended,
                   sum(signed)::bigint AS signed, sum(sign_seconds)::bigint AS sign_seconds,
                   %2$s AS name
            FROM (SELECT * FROM kept UNION ALL SELECT * FROM overdue UNION ALL SELECT * FROM case_by_case) k
            GROUP BY k.key
            -- a group whose cases all moved away (reassigned to another worker) nets to none: not shown
            HAVING sum(cases) > 0
            ORDER BY 1""";

    private final ScopedPool db;
    private final CategoryCatalogue catalogue;

    public CaseKpiResource(ScopedPool db, CategoryCatalogue catalogue) {
        this.db = db;
        this.catalogue = catalogue;
    }

    /** GET /api/v1/cases/kpis?by=street|department|worker|category&basis=created|closed&from=&to=&street= */
    public void kpis(RoutingContext ctx) {
        String by = Params.oneOf(ctx, "by", GROUPS.keySet(), "street");
        Instant from = instant(ctx, "from");
        Instant to = instant(ctx, "to");
        String street = Params.optional(ctx, "street", STREET, "a 9-digit street code");
        Grouping grouping = GROUPS.get(by);
        String basis = Params.oneOf(ctx, "basis", BASES.keySet(), "created");
        String sql = String.format(SQL, grouping.column(), grouping.name(), BASES.get(basis), grouping.type());
        Caller caller = Caller.of(ctx);
        KpiPeriod period = KpiPeriod.split(from, to, WorkingCalendar.SHANGHAI, !DataScope.GRIDS.equals(caller.scope().kind()));
        Tuple params = Tuple.of(
                period.caseByCase().stream().map(r -> utc(r.from())).toArray(OffsetDateTime[]::new),
                period.caseByCase().stream().map(r -> utc(r.to())).toArray(OffsetDateTime[]::new),
                street, period.kept(), utc(period.keptFrom()), utc(period.keptTo()))
                .addString(basis).addString(by);
        // Serial: on 2 cores the planner's parallel heap scan lost to one index-only scan. Custom plans:
        // after five runs PostgreSQL would keep a generic plan, which cannot know how many kept rows a
        // period has and sorted a hundred thousand of them (0.46 s instead of 0.13 s by worker).
        db.withSerialScope(caller, c -> c.query("SET LOCAL plan_cache_mode = force_custom_plan").execute()
                        .compose(v -> c.preparedQuery(sql).execute(params)))
                .onSuccess(rows -> {
                    JsonArray groups = new JsonArray();
                    long[] sums = new long[15];
                    for (Row r : rows) {
                        groups.add(group(r, by).put("key", r.getString("key").isEmpty() ? null : r.getString("key")));
                        for (int i = 0; i < sums.length; i++) {
                            sums[i] += r.getLong(i + 1);
                        }
                    }
                    ctx.json(new JsonObject().put("by", by).put("basis", basis)
                            .put("from", from == null ? null : from.toString())
                            .put("to", to == null ? null : to.toString())
                            .put("groups", groups).put("total", kpis(sums)));
                })
                .onFailure(ctx::fail);
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

    private static Instant instant(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("invalid_parameter", name + " must be an ISO-8601 instant such as 2026-01-31T16:00:00Z",
                    new JsonObject().put("parameter", name));
        }
    }
}
