package cn.haizhu.grid.server.audit;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/audit/personal-data}: who read whose personal data, when and why; and
 * {@code GET /api/v1/audit/alerts}: the alerts raised (a run of lookups that found nobody). Both for
 * {@code audit.read} (administrators), newest first, paged by {@code before} (the last id shown).
 */
public final class AuditResource {
    private static final String ENTRIES = SqlFile.load(AuditResource.class, "entries");
    private static final String ALERTS = SqlFile.load(AuditResource.class, "alerts");
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    private static final Pattern UUID_SHAPE = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ScopedPool db;

    public AuditResource(ScopedPool db) {
        this.db = db;
    }

    /** ?user=&person=&from=&to=&before=&limit= */
    public void personalData(RoutingContext ctx) {
        String user = Params.optional(ctx, "user", USERNAME, "a user name");
        String person = Params.optional(ctx, "person", UUID_SHAPE, "a person's id (UUID)");
        OffsetDateTime from = instant(ctx, "from");
        OffsetDateTime to = instant(ctx, "to");
        long before = Params.longInRange(ctx, "before", 1, Long.MAX_VALUE, Long.MAX_VALUE);
        int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
        Caller caller = Caller.of(ctx);
        db.withScope(caller, c -> c.preparedQuery(ENTRIES).execute(Tuple.from(new Object[] {user,
                        person == null ? null : UUID.fromString(person), from, to, before, limit})))
                .onSuccess(rows -> {
                    JsonArray items = new JsonArray();
                    Long last = null;
                    for (Row r : rows) {
                        JsonArray gids = new JsonArray();
                        for (UUID g : r.getArrayOfUUIDs("person_gids")) {
                            gids.add(g.toString());
                        }
                        JsonArray names = new JsonArray();
                        for (String n : r.getArrayOfStrings("person_names")) {
                            names.add(n);
                        }
                        last = r.getLong("id");
                        items.add(new JsonObject().put("id", last).put("at", r.getOffsetDateTime("at").toString())
                                .put("username", r.getString("username")).put("role", r.getString("role"))
                                .put("action", r.getString("action")).put("purpose", r.getString("purpose"))
                                .put("masked", r.getBoolean("masked")).put("rowCount", r.getInteger("row_count"))
                                .put("subject", r.getString("subject")).put("clientAddress", r.getString("client_ip"))
                                .put("personIds", gids).put("personNames", names));
                    }
                    ctx.json(new JsonObject().put("items", items).put("next", items.size() == limit ? last : null));
                }).onFailure(ctx::fail);
    }

    /** ?before=&limit= */
    public void alerts(RoutingContext ctx) {
        long before = Params.longInRange(ctx, "before", 1, Long.MAX_VALUE, Long.MAX_VALUE);
        int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
        db.withScope(Caller.of(ctx), c -> c.preparedQuery(ALERTS).execute(Tuple.of(before, limit))).onSuccess(rows -> {
            JsonArray items = new JsonArray();
            Long last = null;
            for (Row r : rows) {
                last = r.getLong("id");
                items.add(new JsonObject().put("id", last).put("at", r.getOffsetDateTime("at").toString())
                        .put("kind", r.getString("kind")).put("username", r.getString("username"))
                        .put("details", r.getJsonObject("details")));
            }
            ctx.json(new JsonObject().put("items", items).put("next", items.size() == limit ? last : null));
        }).onFailure(ctx::fail);
    }

    private static OffsetDateTime instant(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
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
