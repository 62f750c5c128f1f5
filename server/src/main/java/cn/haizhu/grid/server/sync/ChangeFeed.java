package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.changelog.ChangeLogReader.Cursor;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.sync.Ownership;
import cn.haizhu.grid.data.sync.SyncScope;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.events.DatabaseEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The change feed this node serves its peers (docs/SYNC.md, {@code GET /api/v1/sync/changes}).
 *
 * <p>One read runs in the peer's data scope (row-level security, {@link ScopedPool}) and in one
 * transaction: the fence first (ChangeLogReader's rule: only changes of transactions that can no
 * longer commit or abort), then the log entries after the cursor that concern the scope and did not
 * come from the caller, then the records themselves, joined in full, and the personal-data audit of
 * the persons it carries. Per record the answer holds one change, at the place of its first entry in
 * the batch: the record as it is now (its version and origin), the base of that first entry, or a
 * delete: a tombstone, or a scope exit when the record moved out of the caller's scope.
 *
 * <p>Work orders between levels ({@link Ownership#ORDER_TABLES}) travel in the same feed, not by street
 * but by party: the cases the caller sent to this node or that this node sent to it, and their history
 * rows the caller did not make (docs/SYNC.md, "Work orders between levels"); a street is party to none.
 *
 * <p>A read that finds nothing waits (long-poll) until the change capture's NOTIFY (relayed by
 * {@link DatabaseEvents}) or a second passes, and reads again, up to the wait asked for: the fence may
 * still hold back a change committed a moment ago.
 */
public final class ChangeFeed {
    /** The newest wire format of a change; a peer sends it in hello. */
    public static final int PROTOCOL = 1;
    /** Pending changes are counted up to this (the lag a puller reports). */
    static final int PENDING_CAP = 10_000;
    private static final String FENCE = SqlFile.load(ChangeFeed.class, "fence");
    private static final String CHANGES = SqlFile.load(ChangeFeed.class, "changes");
    private static final String TAIL = SqlFile.load(ChangeFeed.class, "tail");
    private static final String PENDING = SqlFile.load(ChangeFeed.class, "pending");
    private static final String GONE_LATER = SqlFile.load(ChangeFeed.class, "gone_later");
    private static final String AUDIT = SqlFile.load(ChangeFeed.class, "audit_persons");
    private static final Map<String, String> READ = new HashMap<>();

    static {
        for (String table : Ownership.TABLES) {
            READ.put(table, SyncTables.read(table));
        }
        // the rows of work orders, of the cases the caller ($2) is party to
        READ.put("civic_case", SqlFile.load(ChangeFeed.class, "order_case"));
        READ.put("case_event", SqlFile.load(ChangeFeed.class, "order_event"));
    }

    private final Vertx vertx;
    private final ScopedPool db;
    private final Supplier<PersonalDataCipher> keys;

    public ChangeFeed(Vertx vertx, ScopedPool db, Supplier<PersonalDataCipher> keys) {
        this.vertx = vertx;
        this.db = db;
        this.keys = keys;
    }

    /** Who asks and from where, for the scope, the echo rule and the audit. */
    record Reader(Caller caller, String peer, SyncScope scope, String path, String clientAddress) {
    }

    /** Up to {@code limit} changes after {@code after}, waiting up to {@code waitMillis} for the first. */
    Future<JsonObject> changes(Reader reader, Cursor after, int limit, long waitMillis) {
        long deadline = System.currentTimeMillis() + waitMillis;
        return read(reader, after, limit).compose(answer -> {
            boolean empty = answer.getJsonArray("changes").isEmpty();
            if (!empty || System.currentTimeMillis() >= deadline) {
                return Future.succeededFuture(answer);
            }
            Cursor next = Cursor.parse(answer.getString("next"));
            // a full read that held nothing for this caller (others' streets): read on at once; at the end of the log, wait
            Future<Void> ready = answer.getBoolean("more") ? Future.succeededFuture() : nudge(deadline);
            return ready.compose(v -> changes(reader, next, limit, Math.max(0, deadline - System.currentTimeMillis())));
        });
    }

    /** Completes on the next change-capture NOTIFY, after a second, or at the deadline, whichever comes first. */
    private Future<Void> nudge(long deadline) {
        Promise<Void> woken = Promise.promise();
        MessageConsumer<Object> consumer = vertx.eventBus().consumer(DatabaseEvents.SYNC_ADDRESS, m -> woken.tryComplete());
        long timer = vertx.setTimer(Math.max(1, Math.min(1000, deadline - System.currentTimeMillis())), t -> woken.tryComplete());
        return woken.future().onComplete(done -> {
            vertx.cancelTimer(timer);
            consumer.unregister();
        });
    }

    private Future<JsonObject> read(Reader reader, Cursor after, int limit) {
        return db.withScope(reader.caller(), c -> c.query(FENCE).execute().compose(f -> {
            String fence = f.iterator().next().getString("fence");
            return c.preparedQuery(CHANGES).execute(Tuple.from(new Object[] {Long.toString(after.txid()), after.id(), after.seq(),
                    fence, reader.peer(), reader.scope().code(), limit})).compose(rows -> {
                        List<Row> entries = new ArrayList<>();
                        rows.forEach(entries::add);
                        return records(c, reader.peer(), entries).compose(records -> goneSince(c, reader, entries, records, limit)
                                .compose(cut -> {
                                    List<Row> sent = cut < 0 ? entries : entries.subList(0, cut);
                                    boolean more = cut < 0 ? entries.size() == limit : cut > 0;
                                    Assembled batch = assemble(reader.scope(), sent, records);
                                    Future<Cursor> at = cut < 0 ? position(c, entries, limit, fence, after)
                                            : Future.succeededFuture(cut == 0 ? after : cursorOf(entries.get(cut - 1)));
                                    return audit(c, reader, batch.persons()).compose(v -> at)
                                            .compose(next -> pending(c, reader, next, fence, more).map(pending ->
                                                    new JsonObject().put("changes", batch.changes()).put("next", next.toString())
                                                            .put("more", more).put("pending", pending)));
                                }));
                    });
        }));
    }

    /** The records the entries name, per table, as row-level security lets this caller see them (work orders: those of its party). */
    private Future<Map<UUID, Row>> records(SqlConnection c, String peer, List<Row> entries) {
        Map<String, List<UUID>> byTable = new LinkedHashMap<>();
        for (Row e : entries) {
            byTable.computeIfAbsent(e.getString("table_name"), t -> new ArrayList<>()).add(e.getUUID("gid"));
        }
        Map<UUID, Row> found = new HashMap<>();
        Future<Void> chain = Future.succeededFuture();
        for (Map.Entry<String, List<UUID>> t : byTable.entrySet()) {
            UUID[] gids = t.getValue().toArray(UUID[]::new);
            chain = chain.compose(v -> c.preparedQuery(READ.get(t.getKey()))
                    .execute(Ownership.ORDER_TABLES.contains(t.getKey()) ? Tuple.of(gids, peer) : Tuple.of((Object) gids))
                    .map(rows -> {
                        rows.forEach(r -> found.put(r.getUUID("gid"), r));
                        return null;
                    }));
        }
        return chain.map(v -> found);
    }

    /** The changes of a batch and the persons they carry (for the audit). */
    private record Assembled(JsonArray changes, List<UUID> persons) {
    }

    private Assembled assemble(SyncScope scope, List<Row> entries, Map<UUID, Row> records) {
        // per record: one change, where it first appeared (a LinkedHashMap keeps a key's place when it is put again), as
        // it is now; with the base of its first entry in the batch and the bases of the later ones (a requester whose
        // request the owner answered in one of them), whether those entries are sent or not (an edit of a record
        // deleted since is not: the delete is, made from the version before the edit)
        Map<UUID, JsonObject> out = new LinkedHashMap<>();
        Map<UUID, JsonObject> bases = new HashMap<>();
        PersonalDataCipher cipher = keys.get();
        for (Row e : entries) {
            UUID gid = e.getUUID("gid");
            JsonObject base = bases.get(gid);
            if (base == null) {
                bases.put(gid, new JsonObject().put("base", e.getLong("base_version")).put("baseOrigin", e.getString("base_origin")));
            } else if (e.getLong("base_version") != null) {
                if (!base.containsKey("laterBases")) {
                    base.put("laterBases", new JsonArray());
                }
                base.getJsonArray("laterBases").add(new JsonObject().put("version", e.getLong("base_version"))
                        .put("origin", e.getString("base_origin")));
            }
            String table = e.getString("table_name");
            Row record = records.get(gid);
            String street = e.getString("street_code");
            String left = e.getString("left_street");
            if (left != null && !scope.covers(left) && street != null && scope.covers(street)) {
                bases.get(gid).put("entered", true);   // moved into the caller's scope: a record arriving, not an edit
            }
            JsonObject change = new JsonObject().put("table", table).put("gid", gid.toString())
                    .put("at", e.getOffsetDateTime("changed_at").toString());
            boolean order = Ownership.ORDER_TABLES.contains(table);
            if (order && record == null) {
                continue;   // a work order's rows are never deleted; not the caller's party: not in its feed
            }
            if (order) {
                JsonObject fields = new JsonObject(record.getString("record"));
                change.put("op", "upsert").put("version", fields.getLong("version")).put("origin", fields.getString("origin"))
                        .put("record", fields);
            } else if (left != null && scope.covers(left) && (street == null || !scope.covers(street))) {
                change.put("op", "delete").put("reason", "left-scope")
                        .put("version", e.getLong("version")).put("origin", e.getString("origin"));
            } else if (e.getString("op").equals("D")) {
                // a tombstone, even when the record is back here since (the owner's newer version of a record deleted
                // here on request arrived after the delete): the owner must see the request, to keep it as a conflict;
                // a later entry of the batch that brought the record back takes its place
                change.put("op", "delete").put("reason", "deleted")
                        .put("version", e.getLong("version")).put("origin", e.getString("origin"));
            } else if (record != null && scope.covers(record.getString("street"))) {
                JsonObject fields = new JsonObject(record.getString("record"));
                if (table.equals("person")) {
                    fields.put("id_number", cipher.decrypt(bytes(record, "id_number_enc")))
                            .put("phone", cipher.decrypt(bytes(record, "phone_enc")));
                }
                change.put("op", "upsert").put("version", fields.getLong("version")).put("origin", fields.getString("origin"))
                        .put("record", fields);
            } else {
                continue;   // moved out of the scope or gone meanwhile: a later entry says so
            }
            JsonObject earlier = out.get(gid);
            if (earlier != null && "deleted".equals(earlier.getString("reason")) && "deleted".equals(change.getString("reason"))
                    && earlier.getLong("version") > change.getLong("version")) {
                // two tombstones, the higher first in the log: an apply that began before a delete here and wrote the
                // owner's delete again above a request (ChangeApply) commits after it. The higher one stands
                change.put("version", earlier.getLong("version")).put("origin", earlier.getString("origin"));
            }
            out.put(gid, change);
        }
        JsonArray changes = new JsonArray();
        List<UUID> persons = new ArrayList<>();
        for (Map.Entry<UUID, JsonObject> o : out.entrySet()) {
            changes.add(o.getValue().mergeIn(bases.get(o.getKey())));
            if (o.getValue().getString("table").equals("person") && o.getValue().containsKey("record")) {
                persons.add(o.getKey());
            }
        }
        return new Assembled(changes, persons);
    }

    private static byte[] bytes(Row r, String column) {
        Buffer b = r.getBuffer(column);
        return b == null ? null : b.getBytes();
    }

    private Future<Void> audit(SqlConnection c, Reader reader, List<UUID> persons) {
        if (persons.isEmpty()) {
            return Future.succeededFuture();
        }
        return c.preparedQuery(AUDIT).execute(Tuple.from(new Object[] {reader.caller().username(),
                "sync person to " + reader.peer(), persons.size(), reader.path(), reader.clientAddress(),
                "sync:" + reader.peer(), persons.toArray(UUID[]::new)})).mapEmpty();
    }

    /**
     * Where the batch must end because a record left the caller's scope after an entry of it was written:
     * the index of the first such entry, or -1 to send them all. The record is read as it is now, so that
     * entry cannot be sent (it is gone, or in another street). The change that took it away (its delete, or
     * its move out) is in the log, but may lie beyond this batch: above the fence (its transaction began
     * before another that is still open) or beyond the limit. Sent alone later, that change would carry the
     * base of the entry skipped here, a version the caller never received: at an owner, the requester's
     * delete of a record it had edited just before would be a conflict. So the batch ends before the
     * entry, and the record's entries travel together in a later one, folded into one change with the base
     * of the first (docs/SYNC.md, "Pull, apply, checkpoint"). Not where the change that took the record
     * away is in the batch already (it is folded now), where the log holds none that goes to the caller (it
     * made that change itself, and the feed never sends one back: waiting would stop the feed for good), or
     * where the entry is the first of a full batch (the change lies beyond a whole batch: waiting would
     * never reach it, and the skipped edit ends, at worst, as a conflict kept for the owner's officers).
     */
    private Future<Integer> goneSince(SqlConnection c, Reader reader, List<Row> entries, Map<UUID, Row> records, int limit) {
        SyncScope scope = reader.scope();
        Future<Integer> found = Future.succeededFuture(-1);
        for (int i = 0; i < entries.size(); i++) {
            Row e = entries.get(i);
            if (!goneFromScope(scope, e, records.get(e.getUUID("gid"))) || takenAwayLater(scope, entries, i)
                    || i == 0 && entries.size() == limit) {
                continue;
            }
            int at = i;
            found = found.compose(cut -> cut >= 0 ? Future.succeededFuture(cut)
                    : c.preparedQuery(GONE_LATER).execute(Tuple.of(e.getString("txid"), e.getLong("id"), e.getUUID("gid"), scope.code(), reader.peer()))
                            .map(rows -> rows.iterator().next().getBoolean("found") ? at : -1));
        }
        return found;
    }

    /** An entry of a base record in the caller's scope, an edit or an insert, whose record is no longer there for the caller. */
    private static boolean goneFromScope(SyncScope scope, Row e, Row record) {
        String street = e.getString("street_code");
        return Ownership.TABLES.contains(e.getString("table_name")) && !e.getString("op").equals("D")
                && street != null && scope.covers(street) && !leavesScope(scope, e)
                && (record == null || !scope.covers(record.getString("street")));
    }

    /** Whether a later entry of the batch deletes the record of entry {@code i} or moves it out of the scope. */
    private static boolean takenAwayLater(SyncScope scope, List<Row> entries, int i) {
        UUID gid = entries.get(i).getUUID("gid");
        for (int j = i + 1; j < entries.size(); j++) {
            Row later = entries.get(j);
            if (later.getUUID("gid").equals(gid) && (later.getString("op").equals("D") || leavesScope(scope, later))) {
                return true;
            }
        }
        return false;
    }

    private static boolean leavesScope(SyncScope scope, Row e) {
        String street = e.getString("street_code");
        String left = e.getString("left_street");
        return left != null && scope.covers(left) && (street == null || !scope.covers(street));
    }

    private static Cursor cursorOf(Row e) {
        return new Cursor(Long.parseLong(e.getString("txid")), e.getLong("id"), e.getLong("seq"));
    }

    /** After a full batch its last change; after a short one, the last change below the fence (what lay between was not the caller's). */
    private Future<Cursor> position(SqlConnection c, List<Row> entries, int limit, String fence, Cursor after) {
        if (entries.size() == limit) {
            return Future.succeededFuture(cursorOf(entries.get(entries.size() - 1)));
        }
        return c.preparedQuery(TAIL).execute(Tuple.of(fence)).map(rows -> {
            if (rows.size() == 0) {
                return after;
            }
            Row r = rows.iterator().next();
            Cursor tail = new Cursor(Long.parseLong(r.getString("txid")), r.getLong("id"), r.getLong("seq"));
            boolean ahead = tail.txid() > after.txid() || tail.txid() == after.txid()
                    && (tail.id() > after.id() || tail.id() == after.id() && tail.seq() > after.seq());
            return ahead ? tail : after;
        });
    }

    private Future<Long> pending(SqlConnection c, Reader reader, Cursor next, String fence, boolean more) {
        if (!more) {
            return Future.succeededFuture(0L);
        }
        return c.preparedQuery(PENDING).execute(Tuple.from(new Object[] {Long.toString(next.txid()), next.id(), fence,
                reader.peer(), reader.scope().code(), PENDING_CAP})).map(rows -> rows.iterator().next().getLong("pending"));
    }
}
