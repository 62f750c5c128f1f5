package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A first load (the target is empty, inside its {@link BulkLoadWindow}) in two passes over the file, so
 * the wide rows go straight into the target by COPY instead of through a staging table and an
 * {@code INSERT … SELECT} (PostgreSQL 15 inserts those row by row: 7.5 s for the 1.58 M persons, against
 * 3.3 s for a COPY of the same rows).
 *
 * <ol>
 *   <li>Pass 1 checks every row and stages only what judging it needs ({@link DatasetSpec#firstPass()}):
 *       the key (duplicates) and the house or point (placement). Duplicates of a digit key (house codes)
 *       are rejected as the file streams ({@link InFileKeys}); other keys in SQL, as in
 *       {@link StagedMerge}.</li>
 *   <li>One pass over the staged rows in file order, joined to their places: a row without a place is
 *       rejected with the same reason as in {@link StagedMerge}; the grid of every other row goes to a
 *       {@link ScratchFile} (row number and an index into the few thousand distinct grids: 12 bytes a
 *       row, never the heap).</li>
 *   <li>Pass 2 reads the file again, encrypts and writes each accepted row with its grid by binary COPY
 *       into the target; rows pass 1 refused are skipped (already reported). The gids it writes become
 *       the load's change-log entries ({@link LoadedGids}).</li>
 * </ol>
 * Houses and enterprises load this way (their place needs PostGIS); persons do where the database
 * knows too many houses for {@link OnePassLoad}. Everything stays in the import's one transaction.
 */
final class TwoPassLoad {
    private static final Logger LOG = LoggerFactory.getLogger(TwoPassLoad.class);

    /** Opens the import's file again, for the second pass. */
    @FunctionalInterface
    interface Reopen {
        RecordSource open() throws IOException;
    }

    private final DatasetSpec d;
    private final LoadContext ctx;

    private TwoPassLoad(DatasetSpec d, LoadContext ctx) {
        this.d = d;
        this.ctx = ctx;
    }

    static LoadCounts run(DatasetSpec d, LoadContext ctx, RecordSource source, Reopen reopen, BulkLoadWindow window)
            throws IOException, SQLException {
        return new TwoPassLoad(d, ctx).run(source, reopen, window);
    }

    private LoadCounts run(RecordSource source, Reopen reopen, BulkLoadWindow window) throws IOException, SQLException {
        long t0 = System.nanoTime();
        Sink sink = ctx.sink();
        ctx.s().execute(LoadSql.createKeyStage(d));
        long read;
        InFileKeys keys = new InFileKeys(d.firstPass().digitKey());
        try (CopyWriter out = new CopyWriter(ctx.c(), LoadSql.stageTable(d), LoadSql.keyStageColumns(d))) {
            long[] n = Staging.copyChecked(source, ctx.row(), out, (row, w) -> {
                d.firstPass().check().write(row, w);
                keys.check(row);
            }, sink, 0.5);
            read = n[0];   // n[1], the rows refused here, are among those not placed below
            out.finish();
        }
        long t1 = System.nanoTime();
        sink.progress("placing", read, 0.5);
        if (!keys.checked()) {
            Staging.rejectDuplicates(ctx, d);   // counted with the rest below: what is not placed was rejected
        }
        for (String sql : LoadSql.prepareKeyPlacement(d)) {
            ctx.s().execute(sql);
        }
        try (ScratchFile placements = new ScratchFile("gridctl-placements-"); LoadedGids loaded = new LoadedGids()) {
            List<String[]> places = new ArrayList<>();
            long accepted = parkPlacements(placements, places);
            long rejected = read - accepted;
            ctx.s().execute(LoadSql.dropKeyStage(d));
            long t2 = System.nanoTime();
            sink.progress("writing", read, 0.5);
            long inserted = writeAccepted(reopen, placements, places, accepted, read, window.origin(), loaded);
            long t3 = System.nanoTime();
            sink.progress("indexing", read, 1.0);
            window.close(ctx.c(), loaded);
            ctx.s().execute(LoadSql.analyze(d));
            LOG.info("{}: check and stage keys {} ms, duplicates and placement {} ms, encrypt and COPY into {} {} ms, "
                            + "index {} ms (first load in two passes)", d.code(), Load.ms(t1 - t0),
                    Load.ms(t2 - t1), d.table(), Load.ms(t3 - t2), Load.ms(System.nanoTime() - t3));
            return new LoadCounts(read, inserted, 0, rejected);
        }
    }

    /**
     * Duplicates of a digit key ({@link DatasetSpec.FirstPass#digitKey()}) found as the file streams, so
     * the staged rows need no grouping in SQL (1.45 s for the 916,978 demo houses). Past
     * {@link CodeIndex#MAX_CODES} keys it stops keeping them, and the SQL check runs instead.
     */
    private final class InFileKeys {
        private final CodeIndex seen = new CodeIndex(1 << 16);
        private final Function<Row, String> digitKey;
        private boolean gaveUp;

        InFileKeys(Function<Row, String> digitKey) {
            this.digitKey = digitKey;
            this.gaveUp = digitKey == null;
        }

        void check(Row row) throws RejectedRow {
            String key = gaveUp ? null : digitKey.apply(row);
            if (key == null) {
                gaveUp = true;
                return;
            }
            int first = seen.get(key);
            if (first >= 0) {
                throw RejectedRow.duplicate(d.key().column(), key, first);
            }
            if (seen.size() >= CodeIndex.MAX_CODES || row.number() > Integer.MAX_VALUE || !seen.put(key, (int) row.number())) {
                gaveUp = true;
            }
        }

        /** Whether every staged row's key was checked here. */
        boolean checked() {
            return !gaveUp;
        }
    }

    /**
     * One pass over the staged rows in file order: a row with a place goes to {@code file} as (row
     * number, index into {@code places}, the distinct places); a row without one is rejected with the
     * placement's reason, as {@link Staging#rejectUnplaced} would (a separate anti-join before this pass
     * cost 2 s for the 1.58 M demo persons). Returns how many rows were placed.
     */
    private long parkPlacements(ScratchFile file, List<String[]> places) throws SQLException, IOException {
        int width = d.placement().placedColumns().size();
        Map<String, Integer> index = new HashMap<>();
        long n = 0;
        DataOutputStream out = file.writer();
        try (PreparedStatement ps = ctx.c().prepareStatement(LoadSql.placementsInFileOrder(d))) {
            ps.setFetchSize(50_000);   // a cursor: the rows stream, the heap holds one fetch
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(3)) {
                        Staging.rejectUnplaced(ctx.sink(), d, rs.getLong(1), rs.getString(2));
                        continue;
                    }
                    StringBuilder key = new StringBuilder(48);
                    for (int i = 0; i < width; i++) {
                        key.append(rs.getString(4 + i)).append('\u0001');
                    }
                    Integer at = index.get(key.toString());
                    if (at == null) {
                        String[] values = new String[width];
                        for (int i = 0; i < width; i++) {
                            values[i] = rs.getString(4 + i);
                        }
                        at = places.size();
                        places.add(values);
                        index.put(key.toString(), at);
                    }
                    out.writeLong(rs.getLong(1));
                    out.writeInt(at);
                    n++;
                }
            }
        }
        return n;
    }

    private long writeAccepted(Reopen reopen, ScratchFile placements, List<String[]> places, long accepted, long read,
                               String origin, LoadedGids loaded) throws IOException, SQLException {
        Gids gids = new Gids();
        try (DataInputStream in = placements.reader();
             RecordSource again = reopen.open();
             CopyWriter out = new CopyWriter(ctx.c(), d.table(), LoadSql.targetColumns(d))) {
            Row row = ctx.row();
            long left = accepted;
            long next = left > 0 ? in.readLong() : -1;
            int place = left > 0 ? in.readInt() : -1;
            long seen = 0;
            SourceRecord r;
            while (left > 0 && (r = again.next()) != null) {
                seen++;
                if ((seen & 4095) == 0) {
                    ctx.sink().progress("writing", read, 0.5 + again.progress() / 2);
                }
                if (r.row() != next) {
                    continue;   // refused in the first pass, and reported there
                }
                row.at(r);
                out.mark();
                try {
                    d.check().write(row, out);
                } catch (RejectedRow e) {
                    throw new IllegalStateException("row " + r.row() + " passed the first check but not the second: "
                            + e.getMessage(), e);
                }
                for (String v : places.get(place)) {
                    out.text(v);
                }
                UUID gid = gids.next();
                out.uuid(gid).text(origin);
                loaded.add(gid.getMostSignificantBits(), gid.getLeastSignificantBits());
                out.endRow();
                if (--left > 0) {
                    next = in.readLong();
                    place = in.readInt();
                }
            }
            if (left > 0) {
                throw new IOException("the file changed while it was being imported: " + left
                        + " accepted rows were not found on the second read");
            }
            return out.finish();
        }
    }
}
