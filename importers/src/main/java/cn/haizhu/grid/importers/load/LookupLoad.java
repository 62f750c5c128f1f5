package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.importers.crs.SourceCrs;
import cn.haizhu.grid.importers.load.RecordLoader.Counts;
import cn.haizhu.grid.importers.load.RejectedRow;
import cn.haizhu.grid.importers.load.Row;
import cn.haizhu.grid.importers.load.Sink;
import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A first load (the target is empty) of rows placed by a code the database already knows (a
 * person by the code of their house), in one pass over the file: each row is checked, looked up,
 * encrypted and COPYed straight into the target with its grid. No staging table, no second read.
 * The rows carry no coordinates (they are placed by code), so the checking and encryption, most of
 * the Java side's work, run on worker threads, a batch of rows each; the batches go into the COPY
 * in file order.
 *
 * <ul>
 *   <li>The places come from an in-memory {@link CodeIndex} of the known codes (the 916,978 demo
 *       houses: 42 MB, read in 1.2-2.0 s). Where the database holds more than
 *       {@link CodeIndex#MAX_CODES}, the loader takes {@link TwoPassLoad}, which places in SQL.</li>
 *   <li>Duplicates in the file are found by adding the target's unique key, which a first load
 *       builds anyway (see {@link BulkLoadWindow#addUniqueKey}). Only when that fails are the later
 *       copies looked for, deleted and reported with their row numbers: the target's identity
 *       column counts the COPYed rows in file order, and a {@link ScratchFile} keeps each one's row
 *       number (8 bytes a row, never the heap).</li>
 * </ul>
 * The heap holds the index and the COPY buffers, whatever the file's size. Everything stays in the
 * import's one transaction.
 */
final class LookupLoad extends FirstLoad {
    private static final Logger LOG = LoggerFactory.getLogger(LookupLoad.class);
    /** {@link CodeIndex#MAX_CODES}, lowered by tests to take the two-pass path. */
    static volatile int maxCodes = CodeIndex.MAX_CODES;
    /** Rows a worker encodes at a time, and batches under way at once (memory: a few MB, whatever the file). */
    private static final int BATCH = 2048;
    private static final int IN_FLIGHT = 4;
    /**
     * Encoding (checks, two AES-GCM ciphertexts and two HMACs a person) is most of the Java side's
     * work. On 2 cores one worker or two load the demo persons alike (the server's side of the COPY
     * bounds it) and a third is slower; with more cores the server has its own.
     */
    private static final int WORKERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    LookupLoad(RecordLoader loader, Connection c, Statement s, ColumnMapping mapping, SourceCrs crs, DistrictBounds bounds,
               Sink sink) {
        super(loader, c, s, mapping, crs, bounds, sink);
    }

    /**
     * The known codes and their places, or null when there are more than {@code max} of them. Read
     * by a binary COPY and parsed as bytes: through a result set, decoding four strings a row, the
     * 916,978 demo houses took 2.0 s.
     */
    static Places places(Statement s, String lookupSql, int width, int max) throws SQLException, IOException {
        long t0 = System.nanoTime();
        long known;
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + lookupSql + ") k")) {
            rs.next();
            known = rs.getLong(1);
        }
        if (known > max) {
            return null;
        }
        CodeIndex index = new CodeIndex((int) known);
        List<String[]> distinct = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        byte[][] fields = new byte[1 + width][64];
        int[] lengths = new int[1 + width];
        byte[][] last = new byte[width][];   // the previous row's place: rows of one place mostly come together
        int lastAt = -1;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new PGCopyInputStream(
                s.getConnection().unwrap(PGConnection.class), "COPY (" + lookupSql + ") TO STDOUT (FORMAT binary)"), 1 << 16))) {
            in.skipNBytes(11 + 4);                  // signature, flags
            in.skipNBytes(in.readInt());            // header extension
            while (true) {
                short n = in.readShort();
                if (n == -1) {
                    break;                          // trailer
                }
                if (n != 1 + width) {
                    throw new IOException("expected " + (1 + width) + " columns from the place lookup, got " + n);
                }
                for (int i = 0; i < n; i++) {
                    int len = in.readInt();
                    if (len < 0) {
                        throw new IOException("the place lookup returned a null in column " + (i + 1));
                    }
                    if (len > fields[i].length) {
                        fields[i] = new byte[len];
                    }
                    in.readFully(fields[i], 0, len);
                    lengths[i] = len;
                }
                if (lastAt < 0 || !samePlace(last, fields, lengths)) {
                    String[] values = new String[width];
                    for (int i = 0; i < width; i++) {
                        values[i] = new String(fields[1 + i], 0, lengths[1 + i], StandardCharsets.UTF_8);
                        last[i] = Arrays.copyOf(fields[1 + i], lengths[1 + i]);
                    }
                    String key = String.join("\u0001", values);
                    Integer at = seen.get(key);
                    if (at == null) {
                        at = distinct.size();
                        distinct.add(values);
                        seen.put(key, at);
                    }
                    lastAt = at;
                }
                index.put(fields[0], 0, lengths[0], lastAt);
            }
        }
        LOG.info("{} known codes in {} places, read in {} ms", index.size(), distinct.size(), RecordLoader.ms(System.nanoTime() - t0));
        return new Places(index, distinct);
    }

    private static boolean samePlace(byte[][] last, byte[][] fields, int[] lengths) {
        for (int i = 0; i < last.length; i++) {
            if (!Arrays.equals(last[i], 0, last[i].length, fields[1 + i], 0, lengths[1 + i])) {
                return false;
            }
        }
        return true;
    }

    /** Each known code's index into {@code values}, the few thousand distinct places. */
    record Places(CodeIndex index, List<String[]> values) {
    }

    Counts run(RecordSource source, Places places, BulkLoadWindow window) throws IOException, SQLException {
        long t0 = System.nanoTime();
        List<String> target = targetColumns();
        String origin = origin();
        Encoder encoder = new Encoder(places, origin);
        ScratchFile rowNumbers = new ScratchFile("gridctl-rows-");
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "import-encode");
            t.setDaemon(true);
            return t;
        });
        try (LoadedGids loaded = new LoadedGids()) {
            long read = 0;
            long rejected = 0;
            long inserted;
            DataOutputStream numbers = rowNumbers.writer();
            try (CopyWriter out = new CopyWriter(c, loader.targetTable(), target)) {
                sink.progress("writing", 0, 0);
                ArrayDeque<Future<Batch>> pending = new ArrayDeque<>();
                ArrayDeque<Batch> free = new ArrayDeque<>();
                Batch filling = new Batch();
                SourceRecord r;
                while ((r = source.next()) != null) {
                    read++;
                    filling.records.add(r);
                    if (filling.records.size() == BATCH) {
                        Batch full = filling;
                        pending.add(workers.submit(() -> encoder.encode(full)));
                        filling = free.isEmpty() ? new Batch() : free.poll();
                        while (pending.size() >= IN_FLIGHT) {
                            rejected += commit(done(pending.poll()), out, numbers, loaded, read, source, free);
                        }
                    }
                }
                Batch last = filling;
                pending.add(workers.submit(() -> encoder.encode(last)));
                while (!pending.isEmpty()) {
                    rejected += commit(done(pending.poll()), out, numbers, loaded, read, source, free);
                }
                inserted = out.finish();
            }
            long t1 = System.nanoTime();
            sink.progress("indexing", read, 1.0);
            String key = loader.keyColumn();
            boolean asCopied = true;   // the table holds exactly the COPYed rows, so the change log can come from their gids
            if (!window.addUniqueKey(c, key)) {
                long duplicates = rejectDuplicates(rowNumbers);
                rejected += duplicates;
                inserted -= duplicates;
                asCopied = false;
                if (!window.addUniqueKey(c, key)) {
                    throw new IllegalStateException("duplicates of " + key + " left after removing them");
                }
            }
            long t2 = System.nanoTime();
            window.close(c, asCopied ? loaded : null, origin);
            s.execute("ANALYZE " + loader.targetTable());
            LOG.info("{}: check, look up, encrypt and COPY into {} {} ms, unique key {} ms, index {} ms "
                            + "(first load in one pass, {} known codes)", loader.dataset().code(), loader.targetTable(),
                    RecordLoader.ms(t1 - t0), RecordLoader.ms(t2 - t1), RecordLoader.ms(System.nanoTime() - t2),
                    places.index().size());
            return new Counts(read, inserted, 0, rejected);
        } finally {
            workers.shutdownNow();
            rowNumbers.close();
        }
    }

    /** Rows read in a row, encoded by one worker into its own buffer. */
    private static final class Batch {
        final List<SourceRecord> records = new ArrayList<>(BATCH);
        final CopyWriter rows = CopyWriter.rows();
        final long[] copied = new long[BATCH];
        final long[] gids = new long[2 * BATCH];
        int n;
        final List<Refusal> refusals = new ArrayList<>();
    }

    private record Refusal(long row, RejectedRow why) {
    }

    /**
     * Checks, looks up, encrypts and encodes the rows of a batch; runs on the worker threads, each
     * with its own row view and gid generator (the cipher and the index are safe to share).
     */
    private final class Encoder {
        private final Places places;
        private final String origin;
        private final String field = loader.placeField();
        private final String[] unplaced = loader.unplacedReason();
        private final ThreadLocal<Row> rows = ThreadLocal.withInitial(() -> new Row(mapping.indexByField(), crs, bounds));
        private final ThreadLocal<Gids> gids = ThreadLocal.withInitial(Gids::new);

        Encoder(Places places, String origin) {
            this.places = places;
            this.origin = origin;
        }

        Batch encode(Batch b) throws SQLException {
            Row row = rows.get();
            Gids ids = gids.get();
            CopyWriter out = b.rows;
            for (SourceRecord r : b.records) {
                row.at(r);
                out.mark();
                try {
                    loader.stage(row, out);
                    String code = row.get(field);
                    int place = places.index().get(code);
                    if (place < 0) {
                        throw new RejectedRow(field, code, unplaced[0], unplaced[1]);
                    }
                    for (String v : places.values().get(place)) {
                        out.text(v);
                    }
                    UUID gid = ids.next();
                    out.uuid(gid).text(origin);
                    out.endRow();
                    b.gids[2 * b.n] = gid.getMostSignificantBits();
                    b.gids[2 * b.n + 1] = gid.getLeastSignificantBits();
                    b.copied[b.n++] = r.row();
                } catch (RejectedRow e) {
                    out.rewind();
                    b.refusals.add(new Refusal(r.row(), e));
                }
            }
            return b;
        }
    }

    private static Batch done(Future<Batch> f) throws SQLException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while encoding rows", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        }
    }

    /** Sends a batch's rows into the COPY and reports its refusals, in file order; returns how many were refused. */
    private long commit(Batch b, CopyWriter out, DataOutputStream numbers, LoadedGids loaded, long read, RecordSource source,
                        ArrayDeque<Batch> free) throws SQLException, IOException {
        out.append(b.rows);
        for (int i = 0; i < b.n; i++) {
            numbers.writeLong(b.copied[i]);
            loaded.add(b.gids[2 * i], b.gids[2 * i + 1]);
        }
        for (Refusal x : b.refusals) {
            sink.reject(x.row(), x.why().field(), x.why().value(), x.why().getMessage(), x.why().zh());
        }
        long refused = b.refusals.size();
        sink.progress("writing", read, source.progress());
        b.records.clear();
        b.refusals.clear();
        b.n = 0;
        free.add(b);
        return refused;
    }

    /**
     * The later copies of a key, deleted and reported naming the first; the target's identity
     * column, filled in COPY order, finds each one's row number in {@code rowNumbers}. Nothing but
     * this load writes the target meanwhile: the window's dropped constraints hold its lock.
     */
    private long rejectDuplicates(ScratchFile rowNumbers) throws SQLException, IOException {
        String table = loader.targetTable();
        String order = loader.loadOrderColumn();
        String key = loader.keyColumn();
        long first;
        try (ResultSet rs = s.executeQuery("SELECT min(" + order + "), max(" + order + ") - min(" + order + ") + 1 = count(*)"
                + " FROM " + table)) {
            rs.next();
            first = rs.getLong(1);
            if (!rs.getBoolean(2)) {
                throw new IllegalStateException(table + "." + order + " is not one run of numbers: cannot tell row numbers");
            }
        }
        long n = 0;
        try (ResultSet rs = s.executeQuery("WITH d AS (SELECT " + key + ", min(" + order + ") AS first FROM " + table
                     + " GROUP BY " + key + " HAVING count(*) > 1), gone AS (DELETE FROM " + table + " t USING d WHERE t."
                     + key + " = d." + key + " AND t." + order + " <> d.first RETURNING t." + order + " AS at, t."
                     + loader.keyDisplay() + " AS shown, d.first) SELECT * FROM gone ORDER BY at")) {
            while (rs.next()) {
                n++;
                long row = rowNumbers.readLong((rs.getLong(1) - first) * 8);
                long firstRow = rowNumbers.readLong((rs.getLong(3) - first) * 8);
                sink.reject(row, key, rs.getString(2), "duplicate of row " + firstRow + " in this file",
                        "与本文件第 " + firstRow + " 行重复");
            }
        }
        return n;
    }
}
