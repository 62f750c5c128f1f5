package cn.haizhu.grid.importers.demo;

import cn.haizhu.grid.data.config.SecretFiles;
import cn.haizhu.grid.data.users.PasswordHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One demo login per role (and one street-scoped command user), so scripts, tests and a newcomer
 * can sign in. The password is {@code GRIDCTL_DEMO_PASSWORD} where set, otherwise generated once
 * and kept in {@code <data dir>/secrets/demo-password}; changing the setting re-hashes the users.
 */
public final class DemoUsers {
    /** A demo login: user name, role, scope kind, scope code (grids are resolved when created). */
    public record Login(String username, String displayName, String role, String scopeKind, String scopeCode) {
    }

    public static final List<Login> LOGINS = List.of(
            new Login("admin", "系统管理员", "admin", "district", "440105"),
            new Login("command", "区指挥中心值班员", "command", "district", "440105"),
            new Login("dispatcher", "区调度员", "dispatcher", "district", "440105"),
            new Login("worker", "网格员（演示）", "worker", "grids", null),
            new Login("officer", "数据管理员", "officer", "district", "440105"),
            new Login("peer", "市平台对接账号", "peer", "district", "440105"),
            new Login("command-440105001", "赤岗街道指挥中心", "command", "street", "440105001"));

    private DemoUsers() {
    }

    /** The demo password: the configured one, or the one generated earlier, or a new one. */
    public static String password(String configured, Path dataDir) throws IOException {
        Path file = dataDir.resolve("secrets/demo-password");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] raw = new byte[9];
        new SecureRandom().nextBytes(raw);
        String generated = "hz-" + java.util.HexFormat.of().formatHex(raw);
        write(file, generated);
        return generated;
    }

    /** Creates missing demo users; re-hashes all of them when the password changed since last time. */
    public static void ensure(Connection c, String password, Path dataDir) throws SQLException, IOException {
        Path marker = dataDir.resolve("secrets/demo-password");
        boolean changed = !Files.exists(marker) || !Files.readString(marker).trim().equals(password);
        String workerGrids = workerGrids(c);
        // Hashing is deliberately slow; do the seven in parallel.
        String[] hashes = new String[LOGINS.size()];
        IntStream.range(0, LOGINS.size()).parallel().forEach(i -> hashes[i] = needsHash(c, LOGINS.get(i), changed)
                ? PasswordHash.hash(password) : null);
        try (PreparedStatement ins = c.prepareStatement("""
                INSERT INTO app_user (username, display_name, password_hash, role, scope_kind, scope_code)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash""")) {
            for (int i = 0; i < LOGINS.size(); i++) {
                if (hashes[i] == null) {
                    continue;
                }
                Login l = LOGINS.get(i);
                ins.setString(1, l.username());
                ins.setString(2, l.displayName());
                ins.setString(3, hashes[i]);
                ins.setString(4, l.role());
                ins.setString(5, l.scopeKind());
                ins.setString(6, l.scopeCode() != null ? l.scopeCode() : workerGrids);
                ins.executeUpdate();
            }
        }
        linkWorker(c);
        write(marker, password);
    }

    private static boolean needsHash(Connection c, Login l, boolean passwordChanged) {
        if (passwordChanged) {
            return true;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM app_user WHERE username = ?")) {
            ps.setString(1, l.username());
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The demo worker patrols the first grid of 赤岗街道 (and its neighbour, to show a multi-grid scope). */
    private static String workerGrids(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT string_agg(code, ',' ORDER BY code) FROM (SELECT code FROM grid ORDER BY code LIMIT 2) g");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            String grids = rs.getString(1);
            if (grids == null) {
                throw new SQLException("no grids loaded: the demo worker needs a grid");
            }
            return grids;
        }
    }

    private static void linkWorker(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE grid_worker w SET user_id = u.id
                FROM app_user u
                WHERE u.username = 'worker'
                  AND w.id = (SELECT wg.worker_id FROM grid_worker_grid wg
                              WHERE wg.grid_code = split_part(u.scope_code, ',', 1) ORDER BY wg.worker_id LIMIT 1)
                  AND w.user_id IS DISTINCT FROM u.id
                  AND NOT EXISTS (SELECT 1 FROM grid_worker o WHERE o.user_id = u.id)""")) {
            ps.executeUpdate();
        }
    }

    private static void write(Path file, String value) throws IOException {
        SecretFiles.write(file, value);
    }
}
