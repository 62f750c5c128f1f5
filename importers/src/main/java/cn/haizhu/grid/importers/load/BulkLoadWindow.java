package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.db.SqlFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The first load into an empty table: drop what would be maintained row by row (secondary
 * indexes, unique constraints other than the primary key and those other tables reference, and
 * this table's foreign keys), insert, then build and validate them all once. Loading into
 * indexed tables is 2-3x slower than indexing afterwards (docs/DOMAIN.md, measured figures).
 *
 * <p>The insert triggers that record every new row (the change log; the tile boxes for tables under
 * a map layer) are off in the window too. They work on a transition table, a copy of every inserted
 * row that the COPY of a whole file writes out and the trigger reads back (most of a house load's
 * COPY phase). Since the table was empty, the rows in it at the end are exactly the inserted ones:
 * {@link #close} writes the same change-log entries, from the gids the load COPYed where it kept
 * them ({@link LoadedGids}) or else from the table in one pass, and one box per layer (the whole
 * layer is new), then turns the triggers back on.
 *
 * <p>Everything happens inside the caller's transaction: a failed load rolls back to the table
 * with all its indexes and constraints.
 *
 * <p>A sync snapshot into an empty table (server/.../sync/SnapshotLoad) loads through the same window; its
 * rows keep the peer's versions and origins, and their change-log entries name the peer they came from.
 *
 * <p>The window also reads this platform's origin once ({@link #origin()}): the rows a first load COPYs
 * carry it, and so do the change-log entries it writes for them.
 */
public final class BulkLoadWindow {
    private static final String INDEXES = SqlFile.load(BulkLoadWindow.class, "bulk_load_indexes");
    private static final String CONSTRAINTS = SqlFile.load(BulkLoadWindow.class, "bulk_load_constraints");
    private static final String ROW_LOGGING_TRIGGERS = SqlFile.load(BulkLoadWindow.class, "bulk_load_triggers");
    private static final String TILE_LAYER = SqlFile.load(BulkLoadWindow.class, "bulk_load_tile_layer");
    private static final String ORIGIN = SqlFile.load(BulkLoadWindow.class, "origin");

    private final String table;
    private final String origin;
    private final List<String> rebuild = new ArrayList<>();
    private final List<String> triggersOff = new ArrayList<>();

    private BulkLoadWindow(String table, String origin) {
        this.table = table;
        this.origin = origin;
    }

    public static BulkLoadWindow open(Connection c, String table) throws SQLException {
        String origin;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(ORIGIN)) {
            rs.next();
            origin = rs.getString(1);
        }
        BulkLoadWindow w = new BulkLoadWindow(table, origin);
        List<String> drops = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(INDEXES)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    drops.add(LoadSql.dropIndex(rs.getString(1)));
                    w.rebuild.add(rs.getString(2));
                }
            }
        }
        List<String> constraints = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CONSTRAINTS)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    drops.add(LoadSql.dropConstraint(table, rs.getString(1)));
                    // unique keys first (foreign keys may rely on them), then foreign keys
                    constraints.add((rs.getString(3).equals("u") ? "0" : "1")
                            + LoadSql.addConstraint(table, rs.getString(1), rs.getString(2)));
                }
            }
        }
        constraints.stream().sorted().map(s -> s.substring(1)).forEach(w.rebuild::add);
        try (PreparedStatement ps = c.prepareStatement(ROW_LOGGING_TRIGGERS)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    w.triggersOff.add(rs.getString(1));
                }
            }
        }
        try (Statement s = c.createStatement()) {
            for (String d : drops) {
                s.execute(d);
            }
            for (String t : w.triggersOff) {
                s.execute(LoadSql.trigger(table, t, false));
            }
        }
        return w;
    }

    /** This platform's origin, as the loaded rows and their change-log entries carry it. */
    String origin() {
        return origin;
    }

    /**
     * Records the loaded rows as the triggers would have, turns them back on, builds the indexes and
     * re-adds (and so validates) the constraints.
     */
    public void close(Connection c) throws SQLException {
        close(c, null);
    }

    /**
     * As {@link #close(Connection)}, with the change-log entries written from {@code gids}, the gids of
     * every row the load COPYed (in COPY order, all with {@link #origin()}), instead of from the table: the
     * same entries of up to 1,000 records, without reading the table back. Only for a load whose table
     * holds exactly those rows; null reads the table.
     */
    void close(Connection c, LoadedGids gids) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (triggersOff.contains("change_log_ins")) {
                if (gids == null) {
                    s.execute(LoadSql.changeLogOfTable(table));
                } else {
                    logFrom(c, gids);
                }
            }
            if (triggersOff.contains("tile_dirty_ins")) {
                String layer;
                String street;
                try (PreparedStatement ps = c.prepareStatement(TILE_LAYER)) {
                    ps.setString(1, table);
                    ps.setString(2, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        layer = rs.getString(1);
                        street = rs.getString(2);
                    }
                }
                s.execute(LoadSql.tileBoxes(table, layer, street));
            }
            for (String t : triggersOff) {
                s.execute(LoadSql.trigger(table, t, true));
            }
            for (String sql : rebuild) {
                s.execute(sql);
            }
        }
    }

    /** What {@link LoadSql#changeLogOfTable} writes, from the gids: a first load's rows are all version 1 (the column default). */
    private void logFrom(Connection c, LoadedGids gids) throws SQLException {
        try (CopyWriter out = new CopyWriter(c, "change_log", List.of("table_name", "record_gid", "record_gids", "op", "version",
                "origin"))) {
            gids.forEachBatch(1000, (ids, n) -> {
                out.mark();
                out.text(table);
                if (n == 1) {
                    out.uuid(ids[0]).nul();
                } else {
                    out.nul().uuidArray(ids, n);
                }
                out.text("I").number(1).text(origin);
                out.endRow();
            });
            out.finish();
        } catch (java.io.IOException e) {
            throw new SQLException("could not read back the loaded gids: " + e.getMessage(), e);
        }
    }

    /**
     * Adds the unique key on {@code column} now, ahead of {@link #close}, in a savepoint: false (and
     * the table as it was, without the key) when the loaded rows hold duplicates. Its index must be
     * built anyway, so a clean file learns it has no duplicates for free (a separate check was a
     * 3.6 s hash aggregate over the 1.58 M demo persons); only a file with duplicates pays for
     * finding them, and then calls this again.
     */
    boolean addUniqueKey(Connection c, String column) throws SQLException {
        String sql = rebuild.stream().filter(r -> r.endsWith(" UNIQUE (" + column + ")")).findFirst()
                .orElseThrow(() -> new IllegalStateException(table + " has no unique key on " + column + " to add"));
        Savepoint before = c.setSavepoint();
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(before);
            return false;
        }
        c.releaseSavepoint(before);
        rebuild.remove(sql);
        return true;
    }
}
