package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.data.db.SqlFile;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Reads a collection's rows for an export through a server-side cursor (JDBC with auto-commit off and a
 * fetch size: {@value #FETCH} rows at a time cross the wire, never the set), as the request role, in one
 * read-only repeatable-read transaction whose data scope is the reader's, so row-level security draws
 * the same scope as every other read.
 */
final class ExportRows {
    static final int FETCH = 5_000;
    private static final String BEGIN = SqlFile.load(ExportRows.class, "export_begin");
    private static final String SCOPE = SqlFile.load(ExportRows.class, "export_scope");

    private ExportRows() {
    }

    /** Runs the request's query on {@code c} (a request-role connection) and hands every row to {@code out}; the row count. */
    static long copy(Connection c, ExportRequest r, FeatureWriter out) throws SQLException, IOException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute(BEGIN);
            }
            try (PreparedStatement ps = c.prepareStatement(SCOPE)) {
                ps.setString(1, r.reader().scope().kind());
                ps.setString(2, r.reader().scope().code());
                ps.setString(3, r.reader().workerId() == null ? "" : r.reader().workerId().toString());
                ps.setString(4, r.reader().username());
                ps.executeQuery().close();
            }
            ExportCollection collection = r.collection();
            List<ExportCollection.Field> fields = collection.fields();
            out.begin(collection, r.crs());
            long rows = 0;
            try (PreparedStatement ps = c.prepareStatement(sql(r))) {
                ps.setFetchSize(FETCH);
                ps.setString(1, r.street());
                ps.setString(2, r.street());
                int p = 3;
                for (Object v : r.condition().parameters()) {
                    ps.setObject(p++, v);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    Feature f = new Feature(fields.size());
                    while (rs.next()) {
                        for (int i = 0; i < fields.size(); i++) {
                            f.values[i] = switch (fields.get(i).type()) {
                                case TEXT -> rs.getString(i + 1);
                                case INTEGER -> {
                                    int v = rs.getInt(i + 1);
                                    yield rs.wasNull() ? null : v;
                                }
                                case REAL -> {
                                    double v = rs.getDouble(i + 1);
                                    yield rs.wasNull() ? null : v;
                                }
                            };
                        }
                        f.geometry(rs.getBytes(fields.size() + 1));
                        out.write(f);
                        rows++;
                    }
                }
            }
            out.finish();
            c.commit();
            return rows;
        } finally {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            c.setAutoCommit(autoCommit);
        }
    }

    /** The collection's query, with the request's extra condition (translated SQL with ? parameters) appended. */
    static String sql(ExportRequest r) {
        String base = r.collection().sql().strip();
        return r.condition().isEmpty() ? base : base + "\n  AND (" + r.condition().sql() + ")";
    }
}
