package cn.haizhu.grid.server.cluster;

import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.SqlFile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL's own streaming replication between the cluster's two nodes, as SQL on the nodes: the
 * primary's settings and replication role, the slot the standby streams from, promotion, and the
 * figures {@code ./gridctl cluster status} shows. The files (base backup, rewind, standby.signal) are
 * {@link EmbeddedPostgres}'s.
 */
final class Replication {
    /** The role the standby connects as: it may replicate and log in, nothing else. */
    static final String ROLE = "gridctl_replication";
    /** The physical slot on the primary that keeps the WAL its standby has not received yet. */
    static final String SLOT = "gridctl_standby";

    /**
     * The primary's replication settings (ALTER SYSTEM, so a base backup carries them to the standby,
     * and a promoted standby already has them). Asynchronous commit to the standby
     * ({@code synchronous_standby_names} empty): with one standby, synchronous replication would stop
     * every write while the standby is down or being rebuilt, that is right after every failover
     * (docs/CLUSTER.md, "RPO"). {@code wal_log_hints} lets pg_rewind turn an old primary into the new
     * standby; {@code max_slot_wal_keep_size} keeps a standby that is gone for good from filling the
     * disk with the WAL its slot holds (past it the slot is given up and rejoin takes a fresh base
     * backup); the standby reports every second so the lag figures are fresh; {@code hot_standby_feedback}
     * keeps the primary's vacuum from cancelling reads on the standby.
     */
    static final Map<String, String> PRIMARY_SETTINGS = settings(
            "wal_level", "replica",
            "max_wal_senders", "10",
            "max_replication_slots", "10",
            "wal_log_hints", "on",
            "hot_standby", "on",
            "hot_standby_feedback", "on",
            "wal_receiver_status_interval", "1s",
            "max_slot_wal_keep_size", "10GB",
            "synchronous_commit", "on",
            "synchronous_standby_names", "");

    private static final String ALTER_SYSTEM = SqlFile.load(Replication.class, "alter_system");
    private static final String ALTER_SYSTEM_RESET = SqlFile.load(Replication.class, "alter_system_reset");
    private static final String SETTING = SqlFile.load(Replication.class, "setting");
    private static final String REPLICATION_ROLE = SqlFile.load(Replication.class, "replication_role");
    private static final String REPLICATION_HBA = SqlFile.load(Replication.class, "replication_hba");
    private static final String ENSURE_SLOT = SqlFile.load(Replication.class, "ensure_slot");
    private static final String RELOAD = SqlFile.load(Replication.class, "reload");
    private static final String CHECKPOINT = SqlFile.load(Replication.class, "checkpoint");
    private static final String PROMOTE = SqlFile.load(Replication.class, "promote");
    private static final String ROLE_NOW = SqlFile.load(Replication.class, "role");
    private static final String PRIMARY_LAG = SqlFile.load(Replication.class, "primary_lag");
    private static final String SLOTS = SqlFile.load(Replication.class, "slots");
    private static final String STANDBY_LAG = SqlFile.load(Replication.class, "standby_lag");

    private Replication() {
    }

    /** What a running node is now. */
    record Role(boolean standby, int port) {
    }

    /**
     * Makes a running node a primary that a standby can follow: its settings, the replication role
     * with {@code password}, and a check that pg_hba.conf lets replication in from loopback (initdb's
     * file does). Returns whether a setting waits for a restart (wal_log_hints on a new cluster).
     */
    static boolean configurePrimary(EmbeddedPostgres node, String password) throws SQLException {
        try (Connection c = connect(node)) {
            for (Map.Entry<String, String> s : PRIMARY_SETTINGS.entrySet()) {
                execute(c, built(c, ALTER_SYSTEM, s.getKey(), s.getValue()));
            }
            execute(c, built(c, REPLICATION_ROLE, ROLE, password));
            execute(c, RELOAD);
            if (!bool(c, REPLICATION_HBA)) {
                throw new IllegalStateException("pg_hba.conf of " + node.clusterDir() + " lets no replication connection in from"
                        + " 127.0.0.1 with a password; add: host replication " + ROLE + " 127.0.0.1/32 scram-sha-256");
            }
            for (String name : PRIMARY_SETTINGS.keySet()) {
                try (PreparedStatement ps = c.prepareStatement(SETTING)) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getBoolean(2)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
    }

    /** The slot the standby streams from, on the primary; kept when it exists. */
    static void ensureSlot(EmbeddedPostgres primary) throws SQLException {
        try (Connection c = connect(primary); PreparedStatement ps = c.prepareStatement(ENSURE_SLOT)) {
            ps.setString(1, SLOT);
            ps.executeQuery().close();
        }
    }

    /**
     * Promotes a standby and waits until it takes writes; then it forgets whom it followed (a base
     * backup or rewind taken from it must not carry that along) and gets the slot for its own future
     * standby, which keeps the WAL from the promotion on until {@code rejoin}.
     */
    static void promote(EmbeddedPostgres standby) throws SQLException {
        try (Connection c = connect(standby)) {
            if (!bool(c, PROMOTE)) {
                throw new IllegalStateException("the standby in " + standby.clusterDir() + " did not finish its promotion within 60 s");
            }
            for (String name : List.of("primary_conninfo", "primary_slot_name")) {
                execute(c, built(c, ALTER_SYSTEM_RESET, name));
            }
            execute(c, RELOAD);
        }
        ensureSlot(standby);
    }

    /**
     * A checkpoint on the primary, before pg_rewind reads it: a node promoted moments ago names its new
     * timeline in pg_control only from its first checkpoint on, and until then pg_rewind finds "the same
     * timeline, no rewind required" and leaves the old primary on a dead end of the old one.
     */
    static void checkpoint(EmbeddedPostgres primary) throws SQLException {
        try (Connection c = connect(primary)) {
            execute(c, CHECKPOINT);
        }
    }

    /** What the node on {@code port} is, through whatever address reaches it (the entry, or the node itself). */
    static Optional<Role> role(String jdbcUrl, String password) {
        try (Connection c = DriverManager.getConnection(jdbcUrl + "?connectTimeout=3&socketTimeout=5", EmbeddedPostgres.SUPERUSER, password);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(ROLE_NOW)) {
            rs.next();
            return Optional.of(new Role(rs.getBoolean(1), rs.getInt(2)));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * The replication as the primary sees it: per standby its state and lags, then its slots; what
     * {@code status} prints under the primary.
     */
    static List<String> primaryView(EmbeddedPostgres primary) {
        List<String> lines = new ArrayList<>();
        try (Connection c = connect(primary); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(PRIMARY_LAG)) {
                while (rs.next()) {
                    lines.add(String.format(Locale.ROOT, "streams to %s: %s (%s), lag write %s flush %s replay %s, %s not replayed, %s not sent",
                            rs.getString(1), rs.getString(2), rs.getString(3), seconds(rs, 4), seconds(rs, 5), seconds(rs, 6),
                            bytes(rs.getLong(7)), bytes(rs.getLong(8))));
                }
            }
            if (lines.isEmpty()) {
                lines.add("no standby streams from it");
            }
            try (ResultSet rs = st.executeQuery(SLOTS)) {
                while (rs.next()) {
                    lines.add(String.format(Locale.ROOT, "slot %s: %s, WAL %s, holds %s", rs.getString(1),
                            rs.getBoolean(2) ? "in use" : "not in use", rs.getString(3),
                            rs.getObject(4) == null ? "nothing" : bytes(rs.getLong(4))));
                }
            }
        } catch (SQLException e) {
            lines.add("replication unknown: " + e.getMessage());
        }
        return lines;
    }

    /** The replication as a standby sees it: its last replayed transaction and what it received but has not replayed. */
    static List<String> standbyView(EmbeddedPostgres standby) {
        try (Connection c = connect(standby); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(STANDBY_LAG)) {
            rs.next();
            return List.of(String.format(Locale.ROOT, "receiver %s, last transaction replayed %s (%s ago), %s received not yet replayed",
                    rs.getString(4) == null ? "not connected" : rs.getString(4),
                    rs.getObject(1) == null ? "none yet" : rs.getObject(1).toString(), seconds(rs, 2), bytes(rs.getLong(3))));
        } catch (SQLException e) {
            return List.of("replication unknown: " + e.getMessage());
        }
    }

    private static Connection connect(EmbeddedPostgres node) throws SQLException {
        return DriverManager.getConnection(node.jdbcUrl("postgres"), EmbeddedPostgres.SUPERUSER, node.password());
    }

    /** The statement a format() query builds from its bound values. */
    private static String built(Connection c, String sql, String... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void execute(Connection c, String statement) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String seconds(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? "-" : String.format(Locale.ROOT, "%.3f s", v);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        return n < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0) : String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0);
    }

    private static Map<String, String> settings(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
