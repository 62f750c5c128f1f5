package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.sync.Ownership;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * A snapshot this node serves a peer (docs/SYNC.md, "Snapshots"): every base table in the peer's scope
 * (or one street of it), read in ONE repeatable-read transaction as the request role, so row-level
 * security draws the scope and the tables agree with each other (a person's house is there), and
 * stamped with the cursor the peer's feed continues from. Each table goes out as PostgreSQL's own COPY
 * text, row by row as the server sends it: the receiver COPYs it in without parsing most of it. Only a
 * person's ID number and phone are opened here and sent in clear text, since each node seals them
 * under its own key; the persons sent are written to the personal-data audit.
 *
 * <p>The stream: a line {@code GRIDCTL-SNAPSHOT 1}, a line {@code cursor txid:id:seq}, then per table
 * a line {@code table NAME col,col,…}, its rows, and a line {@code \.}; at the end a line
 * {@code end N} with the number of rows. A stream without its end line was cut: the receiver applies
 * nothing of it.
 */
public final class SnapshotStream {
    static final String MAGIC = "GRIDCTL-SNAPSHOT 1";
    private static final String BEGIN = SqlFile.load(SnapshotStream.class, "snapshot_begin");
    private static final String SCOPE = SqlFile.load(SnapshotStream.class, "snapshot_scope");
    private static final String CURSOR = SqlFile.load(SnapshotStream.class, "snapshot_cursor");
    private static final String AUDIT = SqlFile.load(SnapshotStream.class, "audit_snapshot");
    private static final int PERSON_FIELDS = SyncTables.snapshotSent("person").size();

    private final Database db;
    private final Supplier<PersonalDataCipher> keys;

    public SnapshotStream(Database db, Supplier<PersonalDataCipher> keys) {
        this.db = db;
        this.keys = keys;
    }

    /** Who asks: the peer, its scope, the street it asked for ('' for all of its scope), and for the audit. */
    record Request(String peer, String username, String scopeKind, String scopeCode, String street, String path,
                   String clientAddress) {
    }

    /** The cursor of the picture, known before the first row: {@code cursorReady} gets it (for a header), then the rows go to {@code out}. */
    void write(Request r, java.util.function.Consumer<String> cursorReady, OutputStream out) throws SQLException, IOException {
        long persons = 0;
        try (Connection c = db.requestConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute(BEGIN);
                }
                try (PreparedStatement ps = c.prepareStatement(SCOPE)) {
                    ps.setString(1, r.scopeKind());
                    ps.setString(2, r.scopeCode());
                    ps.setString(3, r.username());
                    // the street asked for, else the caller's whole scope: row-level security lets a scope see more
                    // than the feed sends it (a city's other districts' outlines), the same rule as the feed's cuts that
                    ps.setString(4, r.street().isEmpty() ? r.scopeCode() : r.street());
                    ps.executeQuery().close();
                }
                String cursor;
                try (PreparedStatement ps = c.prepareStatement(CURSOR)) {
                    ps.setString(1, r.peer());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        cursor = rs.getString(1) + ":0:0";
                    }
                }
                cursorReady.accept(cursor);
                line(out, MAGIC);
                line(out, "cursor " + cursor);
                long rows = 0;
                PersonalDataCipher cipher = keys.get();
                for (String table : Ownership.TABLES) {
                    line(out, "table " + table + " " + String.join(",", SyncTables.snapshotSent(table)));
                    CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut(SyncTables.snapshotCopyOut(table));
                    boolean person = table.equals("person");
                    ByteArrayOutputStream clear = new ByteArrayOutputStream(256);
                    byte[] row;
                    while ((row = copy.readFromCopy()) != null) {
                        if (person) {
                            clear.reset();
                            opened(cipher, row, clear);
                            clear.writeTo(out);
                            persons++;
                        } else {
                            out.write(row);
                        }
                        rows++;
                    }
                    line(out, "\\.");
                }
                line(out, "end " + rows);
                out.flush();
                c.commit();
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                audit(c, r, persons);
            }
        }
    }

    /** A person's row with its two sealed fields (the last two, hex) replaced by their clear text. */
    private static void opened(PersonalDataCipher cipher, byte[] row, ByteArrayOutputStream out) {
        int end = row.length - 1;   // the newline
        int[] at = CopyText.fields(row, end, PERSON_FIELDS);
        int id = PERSON_FIELDS - 2;
        out.write(row, 0, at[id]);
        CopyText.put(out, cipher.decrypt(CopyText.hex(row, at[id], at[id + 1] - 1)));
        out.write(CopyText.TAB);
        CopyText.put(out, cipher.decrypt(CopyText.hex(row, at[id + 1], at[id + 2] - 1)));
        out.write(CopyText.NEWLINE);
    }

    private static void audit(Connection c, Request r, long persons) throws SQLException {
        if (persons == 0) {
            return;
        }
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement(AUDIT)) {
            ps.setString(1, r.username());
            ps.setString(2, "sync snapshot of persons to " + r.peer() + (r.street().isEmpty() ? "" : ", street " + r.street()));
            ps.setLong(3, persons);
            ps.setString(4, r.path());
            ps.setString(5, r.clientAddress());
            ps.setString(6, "sync:" + r.peer());
            ps.executeUpdate();
        }
    }

    private static void line(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }
}
