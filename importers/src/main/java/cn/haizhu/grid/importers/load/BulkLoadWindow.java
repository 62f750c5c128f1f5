package cn.haizhu.grid.importers.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The first load into an empty table: drop what would be maintained row by row (secondary
 * indexes, unique constraints other than the primary key and those other tables reference, and
 * this table's foreign keys), insert, then build and validate them all once. Loading into
 * indexed tables is 2-3x slower than indexing afterwards (PRODUCT.md, measured figures).
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

    private final String table;
    private final List<String> rebuild = new ArrayList<>();

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
        try (Statement s = c.createStatement()) {
            for (String d : drops) {
                s.execute(d);
            }
        }
        return w;
    }

    /** Builds the indexes and re-adds (and so validates) the constraints. */
    void close(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : rebuild) {
                s.execute(sql);
            }
        }
    }

    private static String quote(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }
}
