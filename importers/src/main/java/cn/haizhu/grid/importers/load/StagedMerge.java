package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.importers.source.RecordSource;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A load through a staging table, for a re-import (and for the first loads that cannot COPY straight into
 * the target: grids, and loads held to a scope): every row is staged by binary COPY into an UNLOGGED table
 * made in the job's transaction, judged there set-based (in-file duplicates, the dataset's PostGIS checks,
 * the place, the caller's scope), then merged. One hash join against the target finds the rows that are
 * new or differ in a compared column, and only those are upserted: an upsert that skips identical rows
 * still locks (and so rewrites) every one of them; the join only reads them, which makes re-importing an
 * unchanged file cheap and keeps it out of the change log. Into an empty target (a first load, inside its
 * {@link BulkLoadWindow}) every placed row is inserted.
 *
 * <p>What fills the staging table is a {@link Rows}: today a file's rows, each checked here
 * ({@link #checkedRows}). Sync (issue 15) applies a peer's snapshot of records through the same merge: a
 * second {@link Rows}, filled from the snapshot.
 */
final class StagedMerge {
    private static final Logger LOG = LoggerFactory.getLogger(StagedMerge.class);

    private StagedMerge() {
    }

    /**
     * What fills the staging table with its {@link LoadSql#stageColumns} (row number, gid, the staged
     * columns); returns {read, rejected}.
     */
    @FunctionalInterface
    interface Rows {
        long[] copyInto(CopyWriter out) throws IOException, SQLException;
    }

    /** The rows of a file, each checked by the dataset's {@link DatasetSpec#check()} and given a new gid. */
    static Rows checkedRows(DatasetSpec d, LoadContext ctx, RecordSource source) {
        Gids gids = new Gids();
        return out -> Staging.copyChecked(source, ctx.row(), out, (row, w) -> {
            w.uuid(gids.next());
            d.check().write(row, w);
        }, ctx.sink(), 1.0);
    }

    /**
     * Stages {@code rows}, judges them and merges them into the target.
     *
     * @param scope  the part of the district the load may change, or null for all of it: a row placed
     *               outside it, or whose record exists outside it, is rejected with the reason
     * @param window the bulk-load window of a first load, or null
     */
    static LoadCounts run(DatasetSpec d, LoadContext ctx, Rows rows, DataScope scope, BulkLoadWindow window)
            throws IOException, SQLException {
        Statement s = ctx.s();
        Sink sink = ctx.sink();
        s.execute(LoadSql.createStage(d));
        long tStage = System.nanoTime();
        long read;
        long rejected;
        try (CopyWriter out = new CopyWriter(ctx.c(), LoadSql.stageTable(d), LoadSql.stageColumns(d))) {
            long[] n = rows.copyInto(out);
            read = n[0];
            rejected = n[1];
            out.finish();
        }
        long staged = read - rejected;
        sink.progress("placing", read, 1.0);
        long tPlace = System.nanoTime();
        long duplicates = Staging.rejectDuplicates(ctx, d);
        rejected += duplicates;
        long checked = d.stagedCheck().run(s, sink);
        rejected += checked;
        for (String sql : LoadSql.preparePlacement(d)) {
            s.execute(sql);
        }
        if (scope != null) {
            rejected += rejectOutsideScope(ctx, d, scope);
        }
        sink.progress("merging", read, 1.0);
        long tMerge = System.nanoTime();
        d.aroundMerge().before(s);
        long inserted;
        long updated;
        if (window != null) {
            inserted = s.executeUpdate(LoadSql.insertPlaced(d));
            updated = 0;
            if (inserted < staged - duplicates - checked) {
                rejected += Staging.rejectUnplaced(ctx, d);
            }
        } else {
            rejected += Staging.rejectUnplaced(ctx, d);
            s.execute(LoadSql.stageChanged(d));
            try (ResultSet rs = s.executeQuery(LoadSql.upsertChanged(d))) {
                rs.next();
                inserted = rs.getLong(1);
                updated = rs.getLong(2);
            }
        }
        d.aroundMerge().after(s, sink);
        s.execute(LoadSql.dropWorkTables(d));
        long tIndex = System.nanoTime();
        sink.progress("indexing", read, 1.0);
        if (window != null) {
            window.close(ctx.c());
        }
        s.execute(LoadSql.analyze(d));
        LOG.info("{}: read and stage {} ms, check and place {} ms, merge {} ms, index {} ms{}", d.code(),
                Load.ms(tPlace - tStage), Load.ms(tMerge - tPlace), Load.ms(tIndex - tMerge), Load.ms(System.nanoTime() - tIndex),
                window != null ? " (first load: indexes and constraints built after)" : "");
        return new LoadCounts(read, inserted, updated, rejected);
    }

    /**
     * Staged rows placed outside the scope, or whose stored record lies outside it (an upsert would move
     * or rewrite another street's record), leave the staging table, each rejected naming the street it
     * belongs to. Rows without a place are left to {@link Staging#rejectUnplaced}.
     */
    private static long rejectOutsideScope(LoadContext ctx, DatasetSpec d, DataScope scope) throws SQLException {
        String mine = (DataScope.STREET.equals(scope.kind()) ? "street " : "grids ") + scope.code();
        String mineZh = (DataScope.STREET.equals(scope.kind()) ? "街道 " : "网格 ") + scope.code();
        long n = 0;
        try (ResultSet rs = ctx.s().executeQuery(LoadSql.rejectOutsideScope(d))) {
            while (rs.next()) {
                n++;
                boolean placedOutside = rs.getBoolean(5);
                String street = placedOutside ? rs.getString(3) : rs.getString(4);
                String where = placedOutside ? "the row lies in street " + street : "the record exists in street " + street;
                String whereZh = placedOutside ? "该行位于街道 " + street : "该记录已存在于街道 " + street;
                if (placedOutside && street.equals(scope.code())) {
                    where = "the grid's polygon reaches outside street " + street;
                    whereZh = "网格范围超出街道 " + street;
                }
                ctx.sink().reject(rs.getLong(1), d.key().column(), rs.getString(2), where + ", outside your data scope ("
                        + mine + "): it is imported from that street or by the district", whereZh + "，超出您的数据范围（"
                        + mineZh + "），请由所属街道或区级导入");
            }
        }
        return n;
    }
}
