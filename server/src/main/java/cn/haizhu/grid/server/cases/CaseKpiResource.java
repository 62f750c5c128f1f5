package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The dispatch KPIs (考核指标) over HTTP ({@link CaseKpiReport} counts them). The period
 * ({@code from} ≤ date &lt; {@code to}) filters on the date the {@code basis} names.
 */
public final class CaseKpiResource {
    private static final Pattern STREET = Pattern.compile("\\d{9}");

    private final CaseKpiReport report;

    public CaseKpiResource(CaseKpiReport report) {
        this.report = report;
    }

    /** GET /api/v1/cases/kpis?by=street|department|worker|category&basis=created|closed&from=&to=&street= */
    public void kpis(RoutingContext ctx) {
        String by = Params.oneOf(ctx, "by", KpiQuery.GROUPS.keySet(), "street");
        Instant from = instant(ctx, "from");
        Instant to = instant(ctx, "to");
        String street = Params.optional(ctx, "street", STREET, "a 9-digit street code");
        String basis = Params.oneOf(ctx, "basis", KpiQuery.BASES.keySet(), "created");
        report.report(Caller.of(ctx), by, basis, from, to, street).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private static Instant instant(RoutingContext ctx, String name) {
        String v = Params.text(ctx, name);
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
