package cn.haizhu.grid.server.audit;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The personal-data audit (who read whose personal data, when and why) and the security alerts,
 * read in the administrator's scope, newest first, a page at a time before an id.
 */
public final class AuditLog {
    private static final String ENTRIES = SqlFile.load(AuditLog.class, "entries");
    private static final String ALERTS = SqlFile.load(AuditLog.class, "alerts");

    /** Which audit entries: by reader, by a person read, by period (null: not filtered). */
    record Filter(String username, UUID person, OffsetDateTime from, OffsetDateTime to) {
    }

    private final ScopedPool db;

    public AuditLog(ScopedPool db) {
        this.db = db;
    }

    /** At most {@code limit} entries before the id {@code before}: {@code {items, next}}. */
    Future<JsonObject> entries(Caller caller, Filter f, long before, int limit) {
        return db.withScope(caller, c -> c.preparedQuery(ENTRIES).execute(Tuple.from(new Object[] {f.username(), f.person(),
                        f.from(), f.to(), before, limit})))
                .map(rows -> {
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
                    return page(items, limit, last);
                });
    }

    /** At most {@code limit} alerts before the id {@code before}: {@code {items, next}}. */
    Future<JsonObject> alerts(Caller caller, long before, int limit) {
        return db.withScope(caller, c -> c.preparedQuery(ALERTS).execute(Tuple.of(before, limit))).map(rows -> {
            JsonArray items = new JsonArray();
            Long last = null;
            for (Row r : rows) {
                last = r.getLong("id");
                items.add(new JsonObject().put("id", last).put("at", r.getOffsetDateTime("at").toString())
                        .put("kind", r.getString("kind")).put("username", r.getString("username"))
                        .put("details", r.getJsonObject("details")));
            }
            return page(items, limit, last);
        });
    }

    /** A full page names the id to ask before next; a shorter one is the last. */
    private static JsonObject page(JsonArray items, int limit, Long last) {
        return new JsonObject().put("items", items).put("next", items.size() == limit ? last : null);
    }
}
