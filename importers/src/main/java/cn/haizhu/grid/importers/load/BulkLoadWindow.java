package cn.haizhu.grid.importers.load;

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
 */
final class BulkLoadWindow {
    private static final String INDEXES = """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ?::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)""";
    // Unique constraints no foreign key depends on, and this table's own foreign keys.
    private static final String CONSTRAINTS = """
            SELECT k.conname, pg_get_constraintdef(k.oid), k.contype
            FROM pg_constraint k
            WHERE k.conrelid = ?::regclass
              AND (k.contype = 'f'
                   OR (k.contype = 'u' AND NOT EXISTS (
                        SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = k.conindid)))
            ORDER BY k.contype DESC, k.conname""";

    /** The insert triggers on the table: the ones the window replaces by a pass at the end. */
    private static final String ROW_LOGGING_TRIGGERS = """
            SELECT tgname FROM pg_trigger
            WHERE tgrelid = ?::regclass AND tgname IN ('change_log_ins', 'tile_dirty_ins') AND tgenabled <> 'D'""";
    /**
     * What change_log_capture() (V7) writes for one statement's inserted rows, with the whole table as
     * that statement's rows: entries of up to 1,000 records. The records of one entry are in no
     * particular order (they are one statement's), which lets a hash aggregate group them: no sort
     * of the whole table (6.5 s → 2.8 s for the 1.58 M demo persons, with V18).
     */
    private static final String CHANGE_LOG = """
            INSERT INTO change_log (table_name, record_gid, record_gids, op, version, origin)
            SELECT '%1$s', CASE WHEN count(*) = 1 THEN min(gid::text)::uuid END,
                   CASE WHEN count(*) > 1 THEN array_agg(gid) END, 'I', version, origin
            FROM (SELECT gid, version, origin, row_number() OVER () AS n FROM %1$s) d
            GROUP BY (n - 1) / 1000, version, origin""";
    /**
     * One box per layer and street around everything loaded (tile_layer_of, V5, names the layer of a row;
     * tile_scope_of, V26, its street): a street's users hear of their street's box only.
     */
    private static final String TILE_BOXES = """
            INSERT INTO tile_dirty (layer, street_code, bbox)
            SELECT layer, street_code, ST_SetSRID(ST_Extent(geom_3857)::geometry, 3857)
            FROM (SELECT %2$s AS layer, %3$s AS street_code, geom_3857 FROM %1$s) t
            GROUP BY layer, street_code""";

    private final String table;
    private final List<String> rebuild = new ArrayList<>();
    private final List<String> triggersOff = new ArrayList<>();

    private BulkLoadWindow(String table) {
        this.table = table;
    }

    static BulkLoadWindow open(Connection c, String table) throws SQLException {
        BulkLoadWindow w = new BulkLoadWindow(table);
        List<String> drops = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(INDEXES)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    drops.add("DROP INDEX " + rs.getString(1));
                    w.rebuild.add(rs.getString(2));
                }
            }
        }
        List<String> constraints = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CONSTRAINTS)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = quote(rs.getString(1));
                    drops.add("ALTER TABLE " + table + " DROP CONSTRAINT " + name);
                    // unique keys first (foreign keys may rely on them), then foreign keys
                    constraints.add((rs.getString(3).equals("u") ? "0" : "1")
                            + "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + rs.getString(2));
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
                s.execute("ALTER TABLE " + table + " DISABLE TRIGGER " + t);
            }
        }
        return w;
    }

    /**
     * Records the loaded rows as the triggers would have, turns them back on, builds the indexes and
     * re-adds (and so validates) the constraints.
     */
    void close(Connection c) throws SQLException {
        close(c, null, null);
    }

    /**
     * As {@link #close(Connection)}, with the change-log entries written from {@code gids}, the gids
     * of every row the load COPYed (in COPY order, all with {@code origin}), instead of from the
     * table: the same entries of up to 1,000 records, without reading the table back. Only for a
     * load whose table holds exactly those rows.
     */
    void close(Connection c, LoadedGids gids, String origin) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (triggersOff.contains("change_log_ins")) {
                if (gids == null) {
                    s.execute(CHANGE_LOG.formatted(table));
                } else {
                    logFrom(c, gids, origin);
                }
            }
            if (triggersOff.contains("tile_dirty_ins")) {
                String layer;
                String street;
                try (ResultSet rs = s.executeQuery("SELECT tile_layer_of('" + table + "'), (tile_scope_of('" + table + "'))[1]")) {
                    rs.next();
                    layer = rs.getString(1);
                    street = rs.getString(2);
                }
                s.execute(TILE_BOXES.formatted(table, layer, street));
            }
            for (String t : triggersOff) {
                s.execute("ALTER TABLE " + table + " ENABLE TRIGGER " + t);
            }
            for (String sql : rebuild) {
                s.execute(sql);
            }
        }
    }

    /** What {@link #CHANGE_LOG} writes, from the gids: a first load's rows are all version 1 (the column default). */
    private void logFrom(Connection c, LoadedGids gids, String origin) throws SQLException {
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

    private static String quote(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }
}
