package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.features.filter.FilterException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.util.PSQLException;

/**
 * Reads a collection's rows for an export through a server-side cursor (JDBC with auto-commit off and a
 * fetch size: {@value #FETCH} rows at a time cross the wire, never the set), as the request role, in one
 * read-only repeatable-read transaction whose data scope is the reader's, so row-level security draws
 * the same scope as every other read. The writer begins once the query has sent its first rows and
 * hands its first bytes on at once ({@link FeatureWriter#flush}): a streamed download starts then, and a
 * query that fails fails before the first byte, as an error answer.
 */
final class ExportRows {
    static final int FETCH = 5_000;
    private static final String BEGIN = SqlFile.load(ExportRows.class, "export_begin");
    private static final String SCOPE = SqlFile.load(ExportRows.class, "export_scope");

    /** Puts the values of the cursor's current row into a feature, in the collection's field order. */
    interface Values {
        void read(ResultSet rs, Object[] values) throws SQLException;
    }

    private ExportRows() {
    }

    /**
     * Runs the request's query on {@code c} (a request-role connection) and hands every row, its values
     * read by {@code values}, to {@code out}; the row count.
     */
    static long copy(Connection c, ExportRequest r, Values values, FeatureWriter out) throws SQLException, IOException {
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
            long rows = 0;
            try (PreparedStatement ps = c.prepareStatement(sql(r))) {
                ps.setFetchSize(FETCH);
                ps.setString(1, r.street());
                ps.setString(2, r.street());
                int p = 3;
                for (Object v : r.condition().parameters()) {
                    ps.setObject(p++, v);
                }
                try (ResultSet rs = query(ps, r)) {
                    out.begin(collection, r.crs());
                    out.flush();
                    int geom = rs.findColumn("geom");
                    Feature f = new Feature(collection.fields().size());
                    while (rs.next()) {
                        values.read(rs, f.values);
                        f.geometry(rs.getBytes(geom));
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

    /**
     * Starts the query. A filter the translator accepted may still be one PostGIS cannot apply (a
     * projected coordinate outside its projection's domain): that is the filter's fault, refused like a
     * bad filter, before anything is written.
     */
    private static ResultSet query(PreparedStatement ps, ExportRequest r) throws SQLException {
        try {
            return ps.executeQuery();
        } catch (SQLException e) {
            String state = String.valueOf(e.getSQLState());
            if (!r.condition().isEmpty() && (state.equals("XX000") || state.startsWith("22"))) {
                throw new FilterException(0, null, "filter: the database cannot apply it: "
                        + (e instanceof PSQLException p && p.getServerErrorMessage() != null
                                ? p.getServerErrorMessage().getMessage() : state));
            }
            throw e;
        }
    }

    /** The values of a collection whose query selects its fields in order, each read as its type. */
    static Values byType(List<ExportCollection.Field> fields) {
        return (rs, values) -> {
            for (int i = 0; i < fields.size(); i++) {
                values[i] = switch (fields.get(i).type()) {
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
        };
    }

    /** The collection's query, with the request's extra condition (translated SQL with ? parameters) appended. */
    static String sql(ExportRequest r) {
        String base = r.collection().sql().strip();
        return r.condition().isEmpty() ? base : base + "\n  AND (" + r.condition().sql() + ")";
    }
}
