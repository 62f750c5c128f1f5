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
 * GROUP BY. The period filters on when the case came in ({@code from} ≤ created_at &lt; {@code to}).
 */
public final class CaseKpiResource {
    private static final Pattern STREET = Pattern.compile("\\d{9}");
    /** The grouping expressions: chosen from this map by the parameter, never taken from the request. */
    private static final Map<String, String> GROUPS = Map.of(
            "street", "coalesce(c.street_code, '')",
            "department", "c.department_code",
            "worker", "coalesce(c.assignee_id::text, '')",
            "category", "c.category_code");
    private static final String CLOSED = "c.state IN ('closed', 'evaluated')";
    private static final String SQL = """
            WITH k AS (
                SELECT %s AS key,
                       c.state = 'suspended' AS suspended,
                       c.filed_at IS NOT NULL AS filed,
                       c.first_dispatched_at IS NOT NULL AS dispatched,
                       %s AS closed,
                       %s AND coalesce(c.closed_on_time, false) AS on_time,
                       %s OR c.deadline < now() AS due,
                       c.check_count > 0 AS checked,
                       c.rework_count > 0 AS reworked,
                       c.extension_count > 0 AS extended,
                       c.time_to_sign_s
                FROM civic_case c
                WHERE ($1::timestamptz IS NULL OR c.created_at >= $1)
                  AND ($2::timestamptz IS NULL OR c.created_at < $2)
                  AND ($3::text IS NULL OR c.street_code = $3))
            SELECT key, count(*) AS cases,
                   count(*) FILTER (WHERE suspended) AS suspended,
                   count(*) FILTER (WHERE NOT suspended AND filed) AS filed,
                   count(*) FILTER (WHERE NOT suspended AND filed AND closed) AS filed_closed,
                   count(*) FILTER (WHERE NOT suspended AND closed) AS closed,
                   count(*) FILTER (WHERE NOT suspended AND closed AND on_time) AS closed_on_time,
                   count(*) FILTER (WHERE NOT suspended AND due) AS due,
                   count(*) FILTER (WHERE NOT suspended AND due AND closed) AS due_closed,
                   count(*) FILTER (WHERE NOT suspended AND due AND on_time) AS due_on_time,
                   count(*) FILTER (WHERE NOT suspended AND checked) AS checked,
                   count(*) FILTER (WHERE NOT suspended AND checked AND reworked) AS reworked,
                   count(*) FILTER (WHERE NOT suspended AND dispatched) AS dispatched,
                   count(*) FILTER (WHERE NOT suspended AND dispatched AND extended) AS extended,
                   count(time_to_sign_s) FILTER (WHERE NOT suspended) AS signed,
                   coalesce(sum(time_to_sign_s) FILTER (WHERE NOT suspended), 0)::bigint AS sign_seconds,
                   (SELECT name FROM admin_area a WHERE a.code = k.key) AS area_name,
                   (SELECT name FROM grid_worker w WHERE w.id::text = k.key) AS worker_name
            FROM k GROUP BY key ORDER BY key""";

    private final ScopedPool db;
    private final CategoryCatalogue catalogue;

    public CaseKpiResource(ScopedPool db, CategoryCatalogue catalogue) {
        this.db = db;
        this.catalogue = catalogue;
    }

    /** GET /api/v1/cases/kpis?by=street|department|worker|category&from=&to=&street= */
    public void kpis(RoutingContext ctx) {
        String by = Params.oneOf(ctx, "by", GROUPS.keySet(), "street");
        OffsetDateTime from = instant(ctx, "from");
        OffsetDateTime to = instant(ctx, "to");
        String street = Params.optional(ctx, "street", STREET, "a 9-digit street code");
        String sql = String.format(SQL, GROUPS.get(by), CLOSED, CLOSED, CLOSED);
        db.withScope(Caller.of(ctx), c -> c.preparedQuery(sql).execute(Tuple.of(from, to, street)))
                .onSuccess(rows -> {
                    JsonArray groups = new JsonArray();
                    long[] sums = new long[15];
                    for (Row r : rows) {
                        groups.add(group(r, by).put("key", r.getString("key").isEmpty() ? null : r.getString("key")));
                        for (int i = 0; i < sums.length; i++) {
                            sums[i] += r.getLong(i + 1);
                        }
                    }
                    ctx.json(new JsonObject().put("by", by)
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
            case "street" -> key.isEmpty() ? "辖区外 / outside the streets" : r.getString("area_name");
            case "worker" -> key.isEmpty() ? "未分派 / unassigned" : r.getString("worker_name");
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
