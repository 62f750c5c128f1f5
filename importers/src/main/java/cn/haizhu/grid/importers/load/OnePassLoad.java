package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A first load (the target is empty, inside its {@link BulkLoadWindow}) of rows placed by a code the
 * database already knows (a person by the code of their house, {@link Placement#HOUSE_CODE}), in one pass
 * over the file: each row is checked, looked up, encrypted and COPYed straight into the target with its
 * grid. No staging table, no second read. The rows carry no coordinates (they are placed by code), so the
 * checking and encryption, most of the Java side's work, run on worker threads, a batch of rows each; the
 * batches go into the COPY in file order.
 *
 * <ul>
 *   <li>The places come from the in-memory {@link KnownPlaces}. Where the database holds more codes than
 *       that may keep, {@link Load} takes {@link TwoPassLoad}, which places in SQL.</li>
 *   <li>Duplicates in the file are found by adding the target's unique key, which a first load builds
 *       anyway (see {@link BulkLoadWindow#addUniqueKey}). Only when that fails are the later copies looked
 *       for, deleted and reported with their row numbers: the target's identity column
 *       ({@link DatasetSpec.Key#loadOrder()}) counts the COPYed rows in file order, and a
 *       {@link ScratchFile} keeps each one's row number (8 bytes a row, never the heap).</li>
 * </ul>
 * The heap holds the index and the COPY buffers, whatever the file's size. Everything stays in the
 * import's one transaction.
 */
final class OnePassLoad {
    private static final Logger LOG = LoggerFactory.getLogger(OnePassLoad.class);
    /** Rows a worker encodes at a time, and batches under way at once (memory: a few MB, whatever the file). */
    private static final int BATCH = 2048;
    private static final int IN_FLIGHT = 4;
    /**
     * Encoding (checks, two AES-GCM ciphertexts and two HMACs a person) is most of the Java side's
     * work. On 2 cores one worker or two load the demo persons alike (the server's side of the COPY
     * bounds it) and a third is slower; with more cores the server has its own.
     */
    private static final int WORKERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final DatasetSpec d;
    private final LoadContext ctx;

    private OnePassLoad(DatasetSpec d, LoadContext ctx) {
        this.d = d;
        this.ctx = ctx;
    }

    static LoadCounts run(DatasetSpec d, LoadContext ctx, RecordSource source, KnownPlaces places, BulkLoadWindow window)
            throws IOException, SQLException {
        return new OnePassLoad(d, ctx).run(source, places, window);
    }

    private LoadCounts run(RecordSource source, KnownPlaces places, BulkLoadWindow window) throws IOException, SQLException {
        long t0 = System.nanoTime();
        Sink sink = ctx.sink();
        Encoder encoder = new Encoder(places, window.origin());
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
            try (CopyWriter out = new CopyWriter(ctx.c(), d.table(), LoadSql.targetColumns(d))) {
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
            String key = d.key().column();
            boolean asCopied = true;   // the table holds exactly the COPYed rows, so the change log can come from their gids
            if (!window.addUniqueKey(ctx.c(), key)) {
                long duplicates = rejectDuplicates(rowNumbers);
                rejected += duplicates;
                inserted -= duplicates;
                asCopied = false;
                if (!window.addUniqueKey(ctx.c(), key)) {
                    throw new IllegalStateException("duplicates of " + key + " left after removing them");
                }
            }
            long t2 = System.nanoTime();
            window.close(ctx.c(), asCopied ? loaded : null);
            ctx.s().execute(LoadSql.analyze(d));
            LOG.info("{}: check, look up, encrypt and COPY into {} {} ms, unique key {} ms, index {} ms "
                            + "(first load in one pass, {} known codes)", d.code(), d.table(),
                    Load.ms(t1 - t0), Load.ms(t2 - t1), Load.ms(System.nanoTime() - t2), places.index().size());
            return new LoadCounts(read, inserted, 0, rejected);
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
        /** What accepted rows loaded with, to report as warnings (the same shape as a refusal). */
        final List<Refusal> warnings = new ArrayList<>();
    }

    private record Refusal(long row, RejectedRow why) {
    }

    /**
     * Checks, looks up, encrypts and encodes the rows of a batch; runs on the worker threads, each
     * with its own row view and gid generator (the cipher and the index are safe to share).
     */
    private final class Encoder {
        private final KnownPlaces places;
        private final String origin;
        private final ThreadLocal<Row> rows = ThreadLocal.withInitial(ctx::row);
        private final ThreadLocal<Gids> gids = ThreadLocal.withInitial(Gids::new);

        Encoder(KnownPlaces places, String origin) {
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
                    d.check().write(row, out);
                    String code = row.get(Placement.HOUSE_FIELD);
                    int place = places.index().get(code);
                    if (place < 0) {
                        throw RejectedRow.unplaced(Placement.HOUSE_FIELD, code, d.placement());
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
                    for (RejectedRow w : row.warnings()) {
                        b.warnings.add(new Refusal(r.row(), w));
                    }
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
            ctx.sink().reject(x.row(), x.why());
        }
        for (Refusal x : b.warnings) {
            ctx.sink().warn(x.row(), x.why());
        }
        long refused = b.refusals.size();
        ctx.sink().progress("writing", read, source.progress());
        b.records.clear();
        b.refusals.clear();
        b.warnings.clear();
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
        long first;
        try (ResultSet rs = ctx.s().executeQuery(LoadSql.loadOrderRun(d))) {
            rs.next();
            first = rs.getLong(1);
            if (!rs.getBoolean(2)) {
                throw new IllegalStateException(d.table() + "." + d.key().loadOrder()
                        + " is not one run of numbers: cannot tell row numbers");
            }
        }
        long n = 0;
        try (ResultSet rs = ctx.s().executeQuery(LoadSql.rejectLoadedDuplicates(d))) {
            while (rs.next()) {
                n++;
                long row = rowNumbers.readLong((rs.getLong(1) - first) * 8);
                long firstRow = rowNumbers.readLong((rs.getLong(3) - first) * 8);
                ctx.sink().reject(row, RejectedRow.duplicate(d.key().column(), rs.getString(2), firstRow));
            }
        }
        return n;
    }
}
