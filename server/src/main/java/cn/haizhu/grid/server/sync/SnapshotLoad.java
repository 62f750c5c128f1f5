package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.changelog.ChangeLogReader.Cursor;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.sync.Ownership;
import cn.haizhu.grid.importers.load.BulkLoadWindow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a peer's snapshot ({@link SnapshotStream}) in ONE transaction with the peer's checkpoint
 * (docs/SYNC.md, "Snapshots"): a stream cut anywhere applies nothing.
 *
 * <ul>
 *   <li><b>A first sync</b> (no checkpoint yet). Into a node that holds no records yet (a new city or
 *       street), each table is COPYed straight in, inside the importer's {@link BulkLoadWindow} (indexes,
 *       constraints and the change log written once at the end). Otherwise each table is staged and
 *       merged: what is missing here is added, a copy takes a higher version, an owner keeps its own,
 *       nothing is deleted. The checkpoint becomes the snapshot's cursor.</li>
 *   <li><b>A resync</b> of one street ({@code gridctl sync resync PEER --street CODE}): staged and merged
 *       the same way, and a copy also takes a different content at the same version (it was damaged, or
 *       that version was made at two places); the copies of that
 *       street the snapshot lacks are deleted (this node's own records are left alone). The checkpoint
 *       goes back to the snapshot's cursor if that is older: what changed meanwhile is pulled again,
 *       idempotently.</li>
 * </ul>
 *
 * <p>Most rows pass through as the bytes the peer's COPY made. A person's clear ID number and phone are
 * sealed here under this node's own key ({@link PersonSeal}).
 */
final class SnapshotLoad {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLoad.class);
    private static final String APPLY_FROM = SqlFile.load(SnapshotLoad.class, "apply_from");
    private static final String LOCK_CHECKPOINT = SqlFile.load(SnapshotLoad.class, "lock_checkpoint");
    private static final String CHECKPOINT = SqlFile.load(SnapshotLoad.class, "checkpoint");
    private static final String FRESH = SqlFile.load(SnapshotLoad.class, "snapshot_fresh");
    private static final String REFRESH_GRID_STATS = SqlFile.load(SnapshotLoad.class, "refresh_grid_stats");
    private static final int FLUSH_AT = 1 << 20;

    private final String node;
    private final PersonalDataCipher cipher;

    SnapshotLoad(String node, PersonalDataCipher cipher) {
        this.node = node;
        this.cipher = cipher;
    }

    /** What a snapshot did here. */
    record Outcome(Cursor cursor, long received, long written, long deleted, boolean fresh) {
    }

    /**
     * Asks {@code peer} at {@code target} for a snapshot (of one street, or of this node's whole scope there
     * when {@code street} is null) and applies it: a first sync or a resync, as {@link #apply}.
     */
    Outcome pull(java.net.http.HttpClient http, PeerPuller.Target target, String peer, Connection c, String street)
            throws SQLException, IOException, InterruptedException {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(target.url()
                        + "/api/v1/sync/snapshot" + (street == null ? "" : "?street=" + street)))
                .timeout(java.time.Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + target.key()).header("Accept", "text/plain").GET().build();
        java.net.http.HttpResponse<InputStream> response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                String text = new String(body.readNBytes(600), StandardCharsets.UTF_8);
                throw new IllegalStateException("HTTP " + response.statusCode() + " from " + target.url() + " for a snapshot: "
                        + clip(text));
            }
            return apply(c, peer, body, street);
        }
    }

    /**
     * Applies the snapshot {@code in} from {@code peer}: a first sync when {@code street} is null, else a
     * resync of that street. Commits, or rolls back and throws.
     */
    Outcome apply(Connection c, String peer, InputStream in, String street) throws SQLException, IOException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        long t0 = System.nanoTime();
        try {
            try (PreparedStatement ps = c.prepareStatement(APPLY_FROM)) {
                ps.setString(1, peer);
                ps.executeQuery().close();
            }
            Cursor held;
            try (PreparedStatement ps = c.prepareStatement(LOCK_CHECKPOINT)) {
                ps.setString(1, peer);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    held = Cursor.parse(rs.getString(1));
                }
            }
            boolean fresh;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(FRESH)) {
                rs.next();
                fresh = street == null && rs.getBoolean(1);
            }
            Lines lines = new Lines(in);
            expect(lines.next(), SnapshotStream.MAGIC);
            String cursorLine = lines.next();
            if (cursorLine == null || !cursorLine.startsWith("cursor ")) {
                throw new IllegalArgumentException("a snapshot without its cursor line");
            }
            Cursor cursor = Cursor.parse(cursorLine.substring(7));
            long received = 0;
            long written = 0;
            List<String> staged = new ArrayList<>();
            for (String table : Ownership.TABLES) {
                expect(lines.next(), "table " + table + " " + String.join(",", SyncTables.snapshotSent(table)));
                if (fresh && !table.equals("admin_area")) {
                    BulkLoadWindow window = BulkLoadWindow.open(c, table);
                    long n = copy(c, table, table, lines);
                    window.close(c);
                    try (Statement s = c.createStatement()) {
                        s.execute("ANALYZE " + table);
                    }
                    received += n;
                    written += n;
                } else {
                    try (Statement s = c.createStatement()) {
                        s.execute(SyncTables.snapshotStage(table));
                    }
                    received += copy(c, table, SyncTables.stageOf(table), lines);
                    if (street != null) {
                        try (PreparedStatement ps = c.prepareStatement(SyncTables.snapshotMarkDamaged(table))) {
                            ps.setString(1, node);
                            ps.setString(2, node);
                            ps.executeUpdate();
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(SyncTables.snapshotMerge(table))) {
                        ps.setString(1, node);
                        written += ps.executeUpdate();
                    }
                    staged.add(table);
                }
            }
            String end = lines.next();
            if (end == null || !end.equals("end " + received)) {
                throw new IllegalArgumentException("a snapshot that does not end as it should (" + received + " rows read, then "
                        + (end == null ? "the end of the stream" : "'" + clip(end) + "'") + "): the peer's stream was cut");
            }
            long deleted = 0;
            if (street != null) {
                for (int i = staged.size() - 1; i >= 0; i--) {
                    try (PreparedStatement ps = c.prepareStatement(SyncTables.snapshotDeleteMissing(staged.get(i)))) {
                        ps.setString(1, street);
                        ps.setString(2, street);
                        ps.setString(3, node);
                        deleted += ps.executeUpdate();
                    }
                }
            }
            Cursor next = street == null || before(cursor, held) ? cursor : held;
            try (PreparedStatement ps = c.prepareStatement(CHECKPOINT)) {
                ps.setString(1, peer);
                ps.setString(2, next.toString());
                ps.setLong(3, written + deleted);
                ps.setLong(4, 0);
                ps.setDouble(5, 0);
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.executeQuery(REFRESH_GRID_STATS).close();
            }
            c.commit();
            LOG.info("sync snapshot from {}{}: {} rows received, {} written, {} deleted in {} ms{}; the feed continues at {}", peer,
                    street == null ? "" : " (street " + street + ")", received, written, deleted,
                    (System.nanoTime() - t0) / 1_000_000, fresh ? " (loaded as a first load)" : "", next);
            return new Outcome(next, received, written, deleted, fresh);
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static boolean before(Cursor a, Cursor b) {
        return a.txid() != b.txid() ? a.txid() < b.txid() : a.id() != b.id() ? a.id() < b.id() : a.seq() < b.seq();
    }

    /** COPYs one section's rows into {@code target}, up to its {@code \.} line; answers how many. */
    private long copy(Connection c, String table, String target, Lines lines) throws SQLException, IOException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(SyncTables.snapshotCopyIn(table, target));
        boolean person = table.equals("person");
        int fields = SyncTables.snapshotSent(table).size();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(FLUSH_AT + (64 << 10));
        long n = 0;
        try {
            while (true) {
                if (!lines.advance()) {
                    throw new IllegalArgumentException("the snapshot ends inside the rows of " + table + ": the peer's stream was cut");
                }
                if (lines.len == 2 && lines.buf[0] == '\\' && lines.buf[1] == '.') {
                    break;
                }
                if (person) {
                    sealed(lines.buf, lines.len, fields, buf);
                } else {
                    buf.write(lines.buf, 0, lines.len);
                    buf.write('\n');
                }
                n++;
                if (buf.size() >= FLUSH_AT) {
                    copy.writeToCopy(buf.toByteArray(), 0, buf.size());
                    buf.reset();
                }
            }
            if (buf.size() > 0) {
                copy.writeToCopy(buf.toByteArray(), 0, buf.size());
            }
            copy.endCopy();
            return n;
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** A person's row with its clear ID number and phone (the last two fields) replaced by this node's sealed values. */
    private void sealed(byte[] row, int end, int fields, ByteArrayOutputStream out) {
        int[] at = CopyText.fields(row, end, fields);
        int id = fields - 2;
        int gid = fields - 5;
        PersonSeal seal = PersonSeal.of(cipher, CopyText.text(row, at[gid], at[gid + 1] - 1),
                CopyText.text(row, at[id], at[id + 1] - 1), CopyText.text(row, at[id + 1], at[id + 2] - 1));
        out.write(row, 0, at[id]);
        CopyText.putBytes(out, seal.idNumberEnc());
        out.write(CopyText.TAB);
        CopyText.putBytes(out, seal.idNumberHash());
        out.write(CopyText.TAB);
        CopyText.put(out, seal.idNumberMasked());
        out.write(CopyText.TAB);
        CopyText.putBytes(out, seal.phoneEnc());
        out.write(CopyText.TAB);
        CopyText.putBytes(out, seal.phoneHash());
        out.write(CopyText.TAB);
        CopyText.put(out, seal.phoneMasked());
        out.write(CopyText.NEWLINE);
    }

    private static void expect(String line, String expected) {
        if (!expected.equals(line)) {
            throw new IllegalArgumentException("the snapshot has '" + clip(line) + "' where this node expects '" + clip(expected)
                    + "': the peer runs another version of the schema or of the exchange");
        }
    }

    private static String clip(String s) {
        return s == null ? "the end of the stream" : s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    /** The stream's lines as bytes, without their newline, in one reused buffer (read in chunks, scanned for newlines). */
    private static final class Lines {
        private final InputStream in;
        private final byte[] chunk = new byte[1 << 16];
        private int pos;
        private int lim;
        byte[] buf = new byte[1 << 16];
        int len;

        Lines(InputStream in) {
            this.in = in;
        }

        /** Reads the next line into {@link #buf}; false at the end of the stream (a last line without newline counts as cut). */
        boolean advance() throws IOException {
            len = 0;
            while (true) {
                if (pos == lim) {
                    lim = in.read(chunk, 0, chunk.length);
                    pos = 0;
                    if (lim <= 0) {
                        lim = 0;
                        return false;
                    }
                }
                int from = pos;
                while (pos < lim && chunk[pos] != '\n') {
                    pos++;
                }
                int n = pos - from;
                if (len + n > buf.length) {
                    buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
                }
                System.arraycopy(chunk, from, buf, len, n);
                len += n;
                if (pos < lim) {
                    pos++;   // the newline
                    return true;
                }
            }
        }

        String next() throws IOException {
            return advance() ? new String(buf, 0, len, StandardCharsets.UTF_8) : null;
        }
    }
}
