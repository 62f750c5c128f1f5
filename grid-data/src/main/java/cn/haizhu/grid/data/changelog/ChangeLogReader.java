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

    /** Position after the last change read; {@link #START} reads from the beginning. */
    public record Cursor(long txid, long id) {
        public static final Cursor START = new Cursor(0, 0);

        /** Text form {@code txid:id}, used by peers to checkpoint. */
        @Override
        public String toString() {
            return txid + ":" + id;
        }

        public static Cursor parse(String text) {
            String[] parts = text.split(":", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("cursor must be 'txid:id', got '" + text + "'");
            }
            return new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        }
    }

    public record Change(long id, long txid, String table, UUID recordGid, char op, long version, String origin,
                         Instant changedAt) {
    }

    public record Batch(List<Change> changes, Cursor next) {
    }

    private static final String READ_AFTER = """
            SELECT id, txid::text::bigint AS txid, table_name, record_gid, op, version, origin, changed_at
            FROM change_log
            WHERE (txid, id) > (?::text::xid8, ?)
              AND txid < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY txid, id
            LIMIT ?""";

    private ChangeLogReader() {
    }

    /** Up to {@code limit} changes after {@code after}; the batch's cursor is where to continue. */
    public static Batch readAfter(Connection c, Cursor after, int limit) throws SQLException {
        List<Change> out = new ArrayList<>();
        Cursor next = after;
        try (PreparedStatement ps = c.prepareStatement(READ_AFTER)) {
            ps.setString(1, Long.toString(after.txid()));
            ps.setLong(2, after.id());
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Change ch = new Change(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getObject(4, UUID.class),
                            rs.getString(5).charAt(0), rs.getLong(6), rs.getString(7),
                            rs.getTimestamp(8).toInstant());
                    out.add(ch);
                    next = new Cursor(ch.txid(), ch.id());
                }
            }
        }
        return new Batch(out, next);
    }
}
