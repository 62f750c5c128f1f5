package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.db.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One node's database in a federation's cluster ({@code node_<code>}), for tests that read and
 * write it beside the running node: one connection, opened again after it broke (the cluster
 * restarted, the backend terminated). Not thread-safe: one per thread. The static helpers run a
 * statement on any connection.
 */
final class NodeDatabase implements AutoCloseable {
    final String code;
    private final String url;
    private final String password;
    private Connection connection;

    NodeDatabase(Federation.Plan plan, String code) {
        EmbeddedPostgres cluster = new EmbeddedPostgres(plan.folder().resolve("pgdata"), plan.dbPort());
        this.code = code;
        this.url = cluster.jdbcUrl("node_" + code);
        this.password = cluster.password();
    }

    /** The connection, opened when there is none (autocommit on, statements bounded). */
    Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(url, EmbeddedPostgres.SUPERUSER, password);
            try (var s = connection.createStatement()) {
                s.execute("SET statement_timeout = '20s'");
            }
        }
        return connection;
    }

    /** The connection broke or is in doubt: the next use opens a new one. */
    void reset() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is broken already
            }
            connection = null;
        }
    }

    long count(String sql, Object... args) throws SQLException {
        return count(connection(), sql, args);
    }

    List<String[]> rows(String sql, Object... args) throws SQLException {
        return rows(connection(), sql, args);
    }

    int update(String sql, Object... args) throws SQLException {
        return update(connection(), sql, args);
    }

    @Override
    public void close() {
        reset();
    }

    /** One statement's rows, every column as text. */
    static List<String[]> rows(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<String[]> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }

    /** The first column of the first row of a count. */
    static long count(Connection c, String sql, Object... args) throws SQLException {
        return Long.parseLong(rows(c, sql, args).get(0)[0]);
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
