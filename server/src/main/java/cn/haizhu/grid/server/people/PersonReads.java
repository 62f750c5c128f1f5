package cn.haizhu.grid.server.people;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Reading persons: every read runs in the caller's scope and writes its audit row in the same
 * transaction, whether the data leaves masked or not (who read whose personal data, when and why).
 *
 * <p>Exact lookup by ID number confirms a guess, so it is budgeted per user: {@link #LOOKUPS_PER_HOUR}
 * an hour and {@link #LOOKUPS_PER_DAY} a day, counted from the audit itself (so every server
 * instance sees the same count), one at a time per user. {@link #MISSES_FOR_ALERT} lookups in a
 * row that find nobody raise an alert for admins. With the decade of birth known, confirming the
 * hidden digits of one masked number takes about 330 tries: more than two weeks of a user's budget,
 * and an alert after the fifth miss.
 */
final class PersonReads {
    static final int LOOKUPS_PER_HOUR = 20;
    static final int LOOKUPS_PER_DAY = 100;
    static final int MISSES_FOR_ALERT = 5;

    private static final String LIST = SqlFile.load(PersonReads.class, "list");
    private static final String LOOKUP = SqlFile.load(PersonReads.class, "lookup");
    private static final String LOCK_LOOKUPS = SqlFile.load(PersonReads.class, "lock_lookups");
    private static final String LOOKUPS_LATELY = SqlFile.load(PersonReads.class, "lookups_lately");
    private static final String AUDIT = SqlFile.load(PersonReads.class, "audit");
    private static final String MISSES_IN_A_ROW = SqlFile.load(PersonReads.class, "misses_in_a_row");
    private static final String RAISE_ALERT = SqlFile.load(PersonReads.class, "raise_alert");

    /** Who is reading, from where, why, and whether they asked for (and may have) the unmasked view. */
    record Reader(Caller caller, String clientAddress, String path, String purpose, boolean unmasked) {
    }

    /** A page of persons and the key to ask for the next one (null on the last page). */
    record Page(JsonArray items, Long next) {
    }

    private final ScopedPool db;
    private final Supplier<PersonalDataCipher> keys;

    PersonReads(ScopedPool db, Supplier<PersonalDataCipher> keys) {
        this.db = db;
        this.keys = keys;
    }

    Future<Page> list(Reader reader, String grid, String house, long after, int offset, int limit) {
        String subject = "list person " + (grid != null ? "grid=" + grid : "house=" + house);
        return db.withScope(reader.caller(), c -> c.preparedQuery(LIST).execute(Tuple.of(grid, house, after, limit + 1, offset))
                .compose(rows -> {
                    List<Row> page = new ArrayList<>();
                    rows.forEach(page::add);
                    boolean more = page.size() > limit;
                    List<Row> shown = more ? page.subList(0, limit) : page;
                    return audit(c, reader, "read", subject, shown).map(v -> new Page(view(shown, reader),
                            more ? shown.get(shown.size() - 1).getLong("id") : null));
                }));
    }

    /**
     * The person with one of these keyed hashes (the ID number's under each key of the ring: during a
     * key rotation a row may still carry its old one) in the caller's scope, or null (the miss is
     * audited and counted too).
     */
    Future<JsonObject> lookup(Reader reader, List<byte[]> idHashes, String maskedId) {
        Caller caller = reader.caller();
        return db.withScope(caller, c -> c.preparedQuery(LOCK_LOOKUPS).execute(Tuple.of(caller.userId()))
                .compose(locked -> c.preparedQuery(LOOKUPS_LATELY).execute(Tuple.of(caller.userId())))
                .compose(lately -> {
                    Row r = lately.iterator().next();
                    if (r.getLong("last_hour") >= LOOKUPS_PER_HOUR) {
                        Long frees = r.getLong("hour_frees_in");
                        throw ApiError.tooManyRequests("lookup_budget", "at most " + LOOKUPS_PER_HOUR
                                + " exact lookups an hour per user", frees == null ? 60 : frees);
                    }
                    if (r.getLong("last_day") >= LOOKUPS_PER_DAY) {
                        throw ApiError.tooManyRequests("lookup_budget", "at most " + LOOKUPS_PER_DAY
                                + " exact lookups a day per user", 3600);
                    }
                    Buffer[] hashes = idHashes.stream().map(Buffer::buffer).toArray(Buffer[]::new);
                    return c.preparedQuery(LOOKUP).execute(Tuple.of((Object) hashes));
                })
                .compose(rows -> {
                    List<Row> found = new ArrayList<>();
                    rows.forEach(found::add);
                    return audit(c, reader, "lookup", "lookup person id_number=" + maskedId, found)
                            .compose(v -> found.isEmpty() ? alertOnARunOfMisses(c, caller) : Future.succeededFuture())
                            .map(v -> found.isEmpty() ? null : PersonView.of(found.get(0), reader.unmasked(), keys.get()));
                }));
    }

    private Future<Void> alertOnARunOfMisses(SqlConnection c, Caller caller) {
        return c.preparedQuery(MISSES_IN_A_ROW).execute(Tuple.of(caller.userId(), MISSES_FOR_ALERT)).compose(rows -> {
            if (!Boolean.TRUE.equals(rows.iterator().next().getBoolean("alert"))) {
                return Future.succeededFuture();
            }
            JsonObject details = new JsonObject().put("misses", MISSES_FOR_ALERT).put("role", caller.role());
            return c.preparedQuery(RAISE_ALERT).execute(Tuple.of(caller.userId(), caller.username(), details))
                    .mapEmpty();
        });
    }

    private Future<Void> audit(SqlConnection c, Reader reader, String action, String subject, List<Row> rows) {
        Caller caller = reader.caller();
        UUID[] gids = rows.stream().map(r -> r.getUUID("gid")).toArray(UUID[]::new);
        return c.preparedQuery(AUDIT).execute(Tuple.from(new Object[] {caller.userId(), caller.username(), caller.role(),
                        action, subject, rows.size(), reader.path(), reader.clientAddress(), reader.purpose(),
                        !reader.unmasked(), gids}))
                .mapEmpty();
    }

    private JsonArray view(List<Row> rows, Reader reader) {
        PersonalDataCipher cipher = keys.get();
        JsonArray out = new JsonArray();
        for (Row r : rows) {
            out.add(PersonView.of(r, reader.unmasked(), cipher));
        }
        return out;
    }
}
