package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.db.SqlTemplate;
import cn.haizhu.grid.data.sync.Ownership;
import cn.haizhu.grid.data.sync.SyncScope;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.sync.Verification.BucketDigest;
import cn.haizhu.grid.server.sync.Verification.RecordDigest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The counts and digests of the records in a scope, per table and street, and the records of one such
 * bucket with the md5 of each (docs/SYNC.md, "Verify"). Computed in PostgreSQL over each record's
 * content as the wire carries it ({@link SyncTables#digestRows}), so two nodes holding the same
 * records get the same answer.
 *
 * <p>The same queries serve both sides of {@code ./gridctl sync verify}: the peer's in the calling
 * node's scope, for {@code GET /api/v1/sync/digest} and {@code GET /api/v1/sync/digest/{table}}
 * ({@link ScopedPool}: row-level security, then the scope as the feed draws it); this node's own, on
 * the owner's pool, in the peer's scope ({@link SyncVerify}). A bucket's records are streamed, never
 * held: a street holds some 90,000 persons.
 */
public final class SyncDigests {
    /** The first line of a bucket's record list, naming its tab-separated columns. */
    static final String HEADER = "gid\tversion\torigin\tmd5";
    /** Rows fetched per round trip while a bucket's records stream. */
    private static final int FETCH = 1_000;
    /** Bytes gathered before a write to the response (one write per row would flush per row). */
    private static final int CHUNK = 64 * 1024;
    private static final Map<String, String> BUCKETS = new HashMap<>();
    private static final Map<String, String> RECORDS = new HashMap<>();

    static {
        String buckets = SqlFile.load(SyncDigests.class, "digest_buckets");
        String records = SqlFile.load(SyncDigests.class, "digest_records");
        for (String table : Ownership.TABLES) {
            Map<String, String> parts = Map.of("records", SyncTables.digestRows(table));
            BUCKETS.put(table, SqlTemplate.fill(buckets, parts));
            RECORDS.put(table, SqlTemplate.fill(records, parts));
        }
    }

    private final ScopedPool db;

    public SyncDigests(ScopedPool db) {
        this.db = db;
    }

    // ── the serving side: a peer asks, in its scope ──

    /** The buckets of the caller's scope: of {@code table} only and street {@code street} only when given (else null). */
    Future<List<BucketDigest>> buckets(Caller caller, SyncScope scope, String table, String street) {
        return db.withScope(caller, c -> buckets(c, scope.code(), table, street));
    }

    /**
     * Writes the records of {@code table} in {@code street} within the caller's scope to {@code out},
     * one line each ({@link #HEADER} first), as they stream from the database; completes once the last
     * is written, fails when the database or {@code out} does (the caller went away).
     */
    Future<Void> records(Caller caller, SyncScope scope, String table, String street, WriteStream<Buffer> out) {
        return db.withScope(caller, c -> c.prepare(query(RECORDS, table)).compose(ps -> {
            Promise<Void> done = Promise.promise();
            RowStream<Row> rows = ps.createStream(FETCH, Tuple.of(scope.code(), street));
            Buffer[] pending = {Buffer.buffer(CHUNK + 256).appendString(HEADER).appendString("\n")};
            rows.exceptionHandler(done::tryFail);
            out.exceptionHandler(done::tryFail);
            rows.endHandler(v -> out.write(pending[0]).onComplete(written -> {
                if (written.succeeded()) {
                    done.tryComplete();
                } else {
                    done.tryFail(written.cause());
                }
            }));
            rows.handler(r -> {
                pending[0].appendString(line(r));
                if (pending[0].length() >= CHUNK) {
                    out.write(pending[0]).onFailure(done::tryFail);
                    pending[0] = Buffer.buffer(CHUNK + 256);
                    if (out.writeQueueFull()) {
                        rows.pause();
                        out.drainHandler(v -> rows.resume());
                    }
                }
            });
            return done.future().onFailure(e -> rows.close());
        }));
    }

    // ── this node's own side, on the owner's pool, in the peer's scope ──

    /** The buckets of {@code scopeCode} here, as {@link #buckets(Caller, SyncScope, String, String)} reads them at a peer. */
    static List<BucketDigest> buckets(Pool owner, String scopeCode, String table, String street) {
        return owner.withTransaction(c -> buckets(c, scopeCode, table, street)).await();
    }

    /**
     * Runs {@code work} with the records of one bucket here, in gid order, read through a cursor as
     * {@code work} walks them (blocking: not on an event loop).
     */
    static <T> T withRecords(Pool owner, String scopeCode, String table, String street, Function<Iterator<RecordDigest>, T> work) {
        SqlConnection c = owner.getConnection().await();
        try {
            Transaction tx = c.begin().await();
            try {
                return walk(c, scopeCode, table, street, work);
            } finally {
                tx.rollback().await();   // it only read
            }
        } finally {
            c.close().await();
        }
    }

    private static <T> T walk(SqlConnection c, String scopeCode, String table, String street, Function<Iterator<RecordDigest>, T> work) {
        Cursor cursor = c.prepare(query(RECORDS, table)).await().cursor(Tuple.of(scopeCode, street));
        return work.apply(new Iterator<>() {
            private Iterator<Row> page = Collections.emptyIterator();
            private boolean read;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && (!read || cursor.hasMore())) {
                    page = cursor.read(FETCH).await().iterator();
                    read = true;
                }
                return page.hasNext();
            }

            @Override
            public RecordDigest next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return record(page.next());
            }
        });
    }

    // ── the queries, and the wire forms of their answers ──

    private static Future<List<BucketDigest>> buckets(SqlConnection c, String scopeCode, String table, String street) {
        List<BucketDigest> out = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (String t : table == null ? Ownership.TABLES : List.of(table)) {
            chain = chain.compose(v -> c.preparedQuery(query(BUCKETS, t)).execute(Tuple.of(scopeCode, street)).map(rows -> {
                rows.forEach(r -> out.add(new BucketDigest(t, r.getString("street"), r.getLong("records"), r.getString("digest"))));
                return null;
            }));
        }
        return chain.map(v -> out);
    }

    private static String query(Map<String, String> queries, String table) {
        SyncTables.check(table);
        return queries.get(table);
    }

    private static RecordDigest record(Row r) {
        return new RecordDigest(r.getString("gid"), r.getLong("version"), r.getString("origin"), r.getString("md5"));
    }

    /** A record of a bucket as one line: gid, version, origin, md5, tab-separated. */
    private static String line(Row row) {
        RecordDigest r = record(row);
        return r.gid() + "\t" + r.version() + "\t" + r.origin() + "\t" + r.md5() + "\n";
    }

    /** A line of a peer's record list (not the header), or a refusal naming it. */
    static RecordDigest parse(String line) {
        String[] f = line.split("\t", -1);
        try {
            if (f.length != 4 || f[0].length() != 36 || f[3].length() != 32) {
                throw new IllegalArgumentException();
            }
            return new RecordDigest(f[0], Long.parseLong(f[1]), f[2], f[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("not a line of a record list: '" + (line.length() > 120 ? line.substring(0, 120) + "…" : line) + "'");
        }
    }

    /** The buckets as {@code GET /api/v1/sync/digest} answers them. */
    static JsonArray toJson(List<BucketDigest> buckets) {
        JsonArray out = new JsonArray();
        buckets.forEach(b -> out.add(new JsonObject().put("table", b.table()).put("street", b.street()).put("records", b.records())
                .put("digest", b.digest())));
        return out;
    }

    static List<BucketDigest> fromJson(JsonArray buckets) {
        List<BucketDigest> out = new ArrayList<>();
        for (Object o : buckets) {
            JsonObject b = (JsonObject) o;
            out.add(new BucketDigest(b.getString("table"), b.getString("street"), b.getLong("records"), b.getString("digest")));
        }
        return out;
    }
}
