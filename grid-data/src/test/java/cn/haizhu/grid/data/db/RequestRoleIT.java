package cn.haizhu.grid.data.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an injection on a request path could do as the role requests log in as: it is no
 * superuser, bypasses no row-level security, cannot become the owner, cannot run programs, cannot
 * read secrets (password hashes, token hashes, the salt key), cannot mint tokens, and cannot change
 * the personal-data audit.
 */
class RequestRoleIT {
    private static Database db;

    @BeforeAll
    static void migrate() {
        db = TestDatabases.fresh("it_request_role");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static Connection asRequestRole() throws SQLException {
        return DriverManager.getConnection(db.url(), db.requestUser(), db.requestPassword());
    }

    @Test
    void requestsLogInAsAnOrdinaryRoleThatCannotBecomeTheOwner() throws SQLException {
        try (Connection c = asRequestRole(); Statement s = c.createStatement()) {
            assertEquals("gridctl_app", text(s, "SELECT current_user"));
            assertEquals("f f", text(s, "SELECT rolsuper || ' ' || rolbypassrls FROM pg_roles WHERE rolname = current_user")
                    .replace("false", "f"));
            assertEquals("false", text(s, "SELECT pg_has_role(current_user, '" + db.user() + "', 'MEMBER')::text"));
            assertThrows(SQLException.class, () -> s.execute("SET ROLE " + db.user()));
            assertThrows(SQLException.class, () -> s.execute("RESET ROLE; SET SESSION AUTHORIZATION " + db.user()));
            assertThrows(SQLException.class, () -> s.execute("COPY (SELECT 1) TO PROGRAM 'true'"));
            assertThrows(SQLException.class, () -> s.execute("CREATE TABLE planted (x int)"));
        }
    }

    @Test
    void itReadsNoSecretAndMintsNoToken() throws SQLException {
        try (Connection c = asRequestRole(); Statement s = c.createStatement()) {
            for (String sql : List.of("SELECT password_hash FROM app_user", "SELECT token_hash FROM auth_token",
                    "SELECT salt_key FROM auth_secret",
                    "INSERT INTO auth_token (token_hash, user_id, kind, expires_at) VALUES ('\\x00', 1, 'api', now() + interval '1 day')")) {
                assertThrows(SQLException.class, () -> s.execute(sql), sql);
            }
            // what it may call answers only what a sign-in is entitled to
            try (ResultSet rs = s.executeQuery("SELECT iterations, salt, known_address FROM gridctl_password_salt('nobody', '127.0.0.1')")) {
                assertTrue(rs.next());
                assertEquals(22, rs.getString("salt").length(), "an unknown name still gets a salt");
            }
            assertEquals(null, text(s, "SELECT gridctl_sign_in('nobody', 'x', '\\x01', 'api', now() + interval '1 day', '127.0.0.1')"));
            try (ResultSet rs = s.executeQuery("SELECT salt, address_wait, account_wait FROM gridctl_sign_in_start('nobody', '127.0.0.2')")) {
                assertTrue(rs.next());
                assertEquals(22, rs.getString("salt").length());
                assertEquals(0, rs.getInt("address_wait"));
            }
            assertEquals(null, text(s, "SELECT signed_in_user FROM gridctl_sign_in_attempt('nobody', 'x', '\\x02', 'api',"
                    + " now() + interval '1 day', '127.0.0.2')"));
            // the throttle's counts and the event log: the owner's alone (the sign-in functions and the triggers reach them)
            for (String sql : List.of("SELECT * FROM sign_in_failure", "DELETE FROM sign_in_failure",
                    "SELECT * FROM event_log", "SELECT * FROM event_commit", "INSERT INTO event_pending DEFAULT VALUES",
                    "INSERT INTO event_log (payload) VALUES ('{}')", "SELECT nextval('event_id_seq')",
                    "SELECT gridctl_events_raise('[{\"type\": \"case.created\"}]')", "SELECT gridctl_sign_in_wait('a:127.0.0.2')")) {
                assertThrows(SQLException.class, () -> s.execute(sql), sql);
            }
        }
    }

    @Test
    void theAuditIsAppendOnly() throws SQLException {
        try (Connection c = asRequestRole(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO pii_audit (username, role, action, subject, row_count) VALUES ('t', 'admin', 'read', 'x', 1)");
            assertThrows(SQLException.class, () -> s.execute("UPDATE pii_audit SET subject = 'y'"));
            assertThrows(SQLException.class, () -> s.execute("DELETE FROM pii_audit"));
            assertThrows(SQLException.class, () -> s.execute("TRUNCATE pii_audit"));
        }
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            // not even the owner changes it by mistake: the trigger refuses
            assertThrows(SQLException.class, () -> s.execute("DELETE FROM pii_audit"));
        }
    }

    @Test
    void noFunctionThatRunsAsTheOwnerIsOpenToEveryone() throws SQLException {
        List<String> open = new ArrayList<>();
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = 'public' AND p.prosecdef AND has_function_privilege('public', p.oid, 'EXECUTE')""")) {
            while (rs.next()) {
                open.add(rs.getString(1));
            }
        }
        assertEquals(List.of(), open, "SECURITY DEFINER functions must be granted one by one (REVOKE … FROM PUBLIC)");
    }

    @Test
    void theRequestRolesPasswordIsTheSameForEveryDatabaseOfTheCluster() {
        assertEquals(RequestRole.password(db.password()), db.requestPassword());
        assertFalse(db.requestPassword().equals(db.password()));
    }

    /** Two instances of a node start together (cluster up, rolling upgrade): both set the login at once. */
    @Test
    void instancesStartingTogetherBothSetTheLogin() throws Exception {
        int starts = 6;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(starts);
        try {
            for (int round = 0; round < 10; round++) {
                var ready = new java.util.concurrent.CountDownLatch(starts);
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (int i = 0; i < starts; i++) {
                    done.add(pool.submit(() -> {
                        // Own connections, not the pool's four: every start holds one while it waits.
                        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
                            ready.countDown();
                            ready.await();
                            RequestRole.enableLogin(c, db.password());
                        }
                        return null;
                    }));
                }
                for (var f : done) {
                    f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = asRequestRole(); Statement s = c.createStatement()) {
            assertEquals(RequestRole.NAME, text(s, "SELECT current_user"));
        }
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
