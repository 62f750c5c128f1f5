package cn.haizhu.grid.data.changelog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads the change log (outbox) in commit-safe order.
 *
 * <p>An {@code id > last} cursor loses rows: transaction A takes id 5, transaction B takes id 6
 * and commits first, a reader sees 6 and moves its cursor past 5 before A commits. This reader
 * orders by (transaction id, id) and returns only changes of transactions older than the
 * snapshot's xmin fence, i.e. transactions that can no longer commit or abort. A change that will
 * become visible later therefore always sorts after the returned cursor.
 */
public final class ChangeLogReader {

    /**
     * Position after the last change read: the entry (txid, id) and how many of its records
     * ({@code seq}, from 1) were read; an entry logged by a bulk statement holds up to 1,000.
     * {@link #START} reads from the beginning.
     */
    public record Cursor(long txid, long id, long seq) {
        public static final Cursor START = new Cursor(0, 0, 0);

        /** Text form {@code txid:id:seq}, used by peers to checkpoint. */
        @Override
        public String toString() {
            return txid + ":" + id + ":" + seq;
        }

        public static Cursor parse(String text) {
            String[] parts = text.split(":", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("cursor must be 'txid:id:seq', got '" + text + "'");
            }
            try {
                return new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cursor must be 'txid:id:seq' with whole numbers, got '" + text + "'");
            }
        }
    }

    public record Change(long id, long txid, String table, UUID recordGid, char op, long version, String origin,
                         Instant changedAt) {
    }

    public record Batch(List<Change> changes, Cursor next) {
    }

    // The first condition lets the (txid, id) key find where to start; the second skips the records
    // of the cursor's own entry that were read already.
    private static final String READ_AFTER = """
            SELECT c.id, c.txid::text::bigint AS txid, c.table_name, g.gid, c.op, c.version, c.origin, c.changed_at, g.n
            FROM change_log c
            CROSS JOIN LATERAL unnest(coalesce(c.record_gids, ARRAY[c.record_gid])) WITH ORDINALITY AS g (gid, n)
            WHERE (c.txid, c.id) >= (?::text::xid8, ?)
              AND (c.txid, c.id, g.n) > (?::text::xid8, ?, ?)
              AND c.txid < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY c.txid, c.id, g.n
            LIMIT ?""";

    private ChangeLogReader() {
    }

    /** Up to {@code limit} record changes after {@code after}; the batch's cursor is where to continue. */
    public static Batch readAfter(Connection c, Cursor after, int limit) throws SQLException {
        List<Change> out = new ArrayList<>();
        Cursor next = after;
        try (PreparedStatement ps = c.prepareStatement(READ_AFTER)) {
            ps.setString(1, Long.toString(after.txid()));
            ps.setLong(2, after.id());
            ps.setString(3, Long.toString(after.txid()));
            ps.setLong(4, after.id());
            ps.setLong(5, after.seq());
            ps.setInt(6, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Change ch = new Change(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getObject(4, UUID.class),
                            rs.getString(5).charAt(0), rs.getLong(6), rs.getString(7),
                            rs.getTimestamp(8).toInstant());
                    out.add(ch);
                    next = new Cursor(ch.txid(), ch.id(), rs.getLong(9));
                }
            }
        }
        return new Batch(out, next);
    }
}
