package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.dispatch.CaseCategory;
import cn.haizhu.grid.data.dispatch.CategoryCatalogue;
import cn.haizhu.grid.data.dispatch.Department;
import cn.haizhu.grid.data.dispatch.Rate;
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
 * The dispatch KPIs (考核指标) per street, department, worker or category, in one aggregate over
 * {@code civic_case}: 结案率, 按期结案率 (both over filed/closed cases and over cases due), 返工率,
 * 延期率 and mean working time to 签收. The definitions are {@link cn.haizhu.grid.data.dispatch.CaseKpis}'s,
 * case for case: a suspended case (缓办) counts in no KPI; a numerator counts only cases of its
 * denominator. The workflow keeps the facts on the case as it goes (first dispatch and sign, working
 * seconds to sign on the calendar, on-time at 结案, check/rework/extension counts), so this is a plain
 * GROUP BY. The period ({@code from} ≤ date &lt; {@code to}) filters on the date the {@code basis} names.
 */
public final class CaseKpiResource {
    private static final Pattern STREET = Pattern.compile("\\d{9}");
    /** A grouping: the column the cases are grouped by and how a group's name is looked up (or null). */
    private record Grouping(String column, String name) {
    }

    /** Chosen from this map by the parameter, never taken from the request. */
    private static final Map<String, Grouping> GROUPS = Map.of(
            "street", new Grouping("c.street_code", "(SELECT name FROM admin_area a WHERE a.code = k.key)"),
            "department", new Grouping("c.department_code", "NULL::text"),
            "worker", new Grouping("c.assignee_id", "(SELECT name FROM grid_worker w WHERE w.id = k.key)"),
            "category", new Grouping("c.category_code", "NULL::text"));

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
     * Two steps, because over a million cases the per-row work is what costs: first count the cases
     * per group and combination of facts (nine bits, a few hundred combinations a group), reading only
     * the covering index civic_case_kpi (V12); then the KPI counts are sums over those few rows.
     * Whether a case is due (应结案) depends on the time of the report, so its deadline bit is taken now.
     */
    private static final String SQL = """
            WITH k AS (
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
                FROM civic_case c
                WHERE %3$s IS NOT NULL
                  AND ($1::timestamptz IS NULL OR %3$s >= $1)
                  AND ($2::timestamptz IS NULL OR %3$s < $2)
                  AND ($3::text IS NULL OR c.street_code = $3)
                GROUP BY 1, 2),
            facts AS (
                SELECT key, n, signed, sign_s,
                       f & 1 = 1 AS suspended, f & 2 = 2 AS filed, f & 4 = 4 AS dispatched, f & 8 = 8 AS closed,
                       f & 8 = 8 AND f & 16 = 16 AS on_time, f & 8 = 8 OR f & 32 = 32 AS due,
                       f & 64 = 64 AS checked, f & 128 = 128 AS reworked, f & 256 = 256 AS extended
                FROM k)
            SELECT coalesce(key::text, '') AS key, sum(n)::bigint AS cases,
                   coalesce(sum(n) FILTER (WHERE suspended), 0)::bigint AS suspended,
                   coalesce(sum(n) FILTER (WHERE NOT suspended AND filed), 0)::bigint AS filed,
                   coalesce(sum(n) FILTER (WHERE NOT suspended AND filed AND closed), 0)::bigint AS filed_closed,
                   coalesce(sum(n) FILTER (WHERE NOT suspended AND closed), 0)::bigint AS closed,
                   coalesce(sum(n) FILTER (WHERE NOT suspended AND closed AND on_time), 0)::bigint AS closed_on_time,
                   coalesce(sum(n) FILTER (WHERE NOT suspended AND due), 0)::bigint AS due,
                   coalesce(sum(n) FILTER (WHERE NOT suspended AND due AND closed), 0)::bigint AS due_closed,
                   coalesce(sum(n) FILTER (WHERE NOT suspended AND due AND on_time), 0)::bigint AS due_on_time,
                   coalesce(sum(n) FILTER (WHERE NOT suspended AND checked), 0)::bigint AS checked,
                   coalesce(sum(n) FILTER (WHERE NOT suspended AND checked AND reworked), 0)::bigint AS reworked,
                   coalesce(sum(n) FILTER (WHERE NOT suspended AND dispatched), 0)::bigint AS dispatched,
                   coalesce(sum(n) FILTER (WHERE NOT suspended AND dispatched AND extended), 0)::bigint AS extended,
                   coalesce(sum(signed) FILTER (WHERE NOT suspended), 0)::bigint AS signed,
                   coalesce(sum(sign_s) FILTER (WHERE NOT suspended), 0)::bigint AS sign_seconds,
                   %2$s AS name
            FROM facts k GROUP BY k.key ORDER BY 1""";

    private final ScopedPool db;
    private final CategoryCatalogue catalogue;

    public CaseKpiResource(ScopedPool db, CategoryCatalogue catalogue) {
        this.db = db;
        this.catalogue = catalogue;
    }

    /** GET /api/v1/cases/kpis?by=street|department|worker|category&basis=created|closed&from=&to=&street= */
    public void kpis(RoutingContext ctx) {
        String by = Params.oneOf(ctx, "by", GROUPS.keySet(), "street");
        OffsetDateTime from = instant(ctx, "from");
        OffsetDateTime to = instant(ctx, "to");
        String street = Params.optional(ctx, "street", STREET, "a 9-digit street code");
        Grouping grouping = GROUPS.get(by);
        String basis = Params.oneOf(ctx, "basis", BASES.keySet(), "created");
        String sql = String.format(SQL, grouping.column(), grouping.name(), BASES.get(basis));
        // serial: on 2 cores the planner's parallel heap scan lost to one index-only scan
        db.withSerialScope(Caller.of(ctx), c -> c.preparedQuery(sql).execute(Tuple.of(from, to, street)))
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
                            .put("from", from == null ? null : from.toInstant().toString())
                            .put("to", to == null ? null : to.toInstant().toString())
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

    private static OffsetDateTime instant(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(v).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("invalid_parameter", name + " must be an ISO-8601 instant such as 2026-01-31T16:00:00Z",
                    new JsonObject().put("parameter", name));
        }
    }
}
