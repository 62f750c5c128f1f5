package cn.haizhu.grid.server.audit;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/audit/personal-data}: who read whose personal data, when and why; and
 * {@code GET /api/v1/audit/alerts}: the alerts raised (a run of lookups that found nobody). Both for
 * {@code audit.read} (administrators), newest first, paged by {@code before} (the last id shown);
 * {@link AuditLog} reads them.
 */
public final class AuditResource {
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    private static final Pattern UUID_SHAPE = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final AuditLog log;

    public AuditResource(AuditLog log) {
        this.log = log;
    }

    /** ?user=&person=&from=&to=&before=&limit= */
    public void personalData(RoutingContext ctx) {
        String user = Params.optional(ctx, "user", USERNAME, "a user name");
        String person = Params.optional(ctx, "person", UUID_SHAPE, "a person's id (UUID)");
        OffsetDateTime from = instant(ctx, "from");
        OffsetDateTime to = instant(ctx, "to");
        long before = Params.longInRange(ctx, "before", 1, Long.MAX_VALUE, Long.MAX_VALUE);
        int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
        AuditLog.Filter filter = new AuditLog.Filter(user, person == null ? null : UUID.fromString(person), from, to);
        log.entries(Caller.of(ctx), filter, before, limit).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** ?before=&limit= */
    public void alerts(RoutingContext ctx) {
        long before = Params.longInRange(ctx, "before", 1, Long.MAX_VALUE, Long.MAX_VALUE);
        int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
        log.alerts(Caller.of(ctx), before, limit).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    private static OffsetDateTime instant(RoutingContext ctx, String name) {
        String v = Params.text(ctx, name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("invalid_parameter", name + " must be an ISO 8601 instant such as 2026-12-01T00:00:00+08:00",
                    new JsonObject().put("parameter", name));
        }
    }
}
