package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.importers.load.DatasetSpec.RowCheck;
import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The staging table of a load ({@link LoadSql#stageTable}): filled with the checked rows by binary COPY,
 * then judged as a whole, set-based: in-file duplicates, rows that find no place.
 */
final class Staging {
    private Staging() {
    }

    /**
     * Streams every record of {@code source} into {@code out} as (row number, what {@code check} writes);
     * a row it refuses is taken back and reported to the sink. Progress is reported as {@code share} of the
     * whole job. Returns {read, rejected}.
     */
    static long[] copyChecked(RecordSource source, Row row, CopyWriter out, RowCheck check, Sink sink, double share)
            throws IOException, SQLException {
        long read = 0;
        long rejected = 0;
        SourceRecord r;
        while ((r = source.next()) != null) {
            read++;
            row.at(r);
            out.mark();
            try {
                out.number(r.row());
                check.write(row, out);
                out.endRow();
                for (RejectedRow w : row.warnings()) {
                    sink.warn(r.row(), w);
                }
            } catch (RejectedRow e) {
                out.rewind();
                rejected++;
                sink.reject(r.row(), e);
            }
            if ((read & 4095) == 0) {
                sink.progress("reading", read, source.progress() * share);
            }
        }
        return new long[] {read, rejected};
    }

    /** In-file duplicates of the key: the first occurrence loads, later ones are rejected naming it. */
    static long rejectDuplicates(LoadContext ctx, DatasetSpec d) throws SQLException {
        long n = 0;
        try (ResultSet rs = ctx.s().executeQuery(LoadSql.rejectDuplicates(d))) {
            while (rs.next()) {
                n++;
                ctx.sink().reject(rs.getLong(1), RejectedRow.duplicate(d.key().column(), rs.getString(2), rs.getLong(3)));
            }
        }
        return n;
    }

    /** Staged rows without a place (outside every grid, unknown house): rejected with the placement's reason. */
    static long rejectUnplaced(LoadContext ctx, DatasetSpec d) throws SQLException {
        long n = 0;
        try (ResultSet rs = ctx.s().executeQuery(LoadSql.rejectUnplaced(d))) {
            while (rs.next()) {
                n++;
                rejectUnplaced(ctx.sink(), d, rs.getLong(1), rs.getString(2));
            }
        }
        return n;
    }

    /** Reports one staged row that found no place, {@code shown} being its {@link DatasetSpec#unplacedColumn()}. */
    static void rejectUnplaced(Sink sink, DatasetSpec d, long row, String shown) throws SQLException {
        String field = d.placement() == Placement.HOUSE_CODE ? Placement.HOUSE_FIELD : d.key().column();
        sink.reject(row, RejectedRow.unplaced(field, shown, d.placement()));
    }
}
