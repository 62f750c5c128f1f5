package cn.haizhu.grid.data.db;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The role every request path logs in as: {@value #NAME}, an ordinary role (no superuser, no
 * BYPASSRLS, member of no other role) on which row-level security applies (V21__auth_request_role.sql).
 * Migrations, bulk imports and the server's own background jobs use the owner.
 *
 * <p>Its password is derived from the owner's (HMAC-SHA256), so every server instance and every
 * database of a cluster gives it the same one without a second secret to keep: whoever holds the
 * owner's password may do more than the request role anyway. It is set at each start.
 */
public final class RequestRole {
    public static final String NAME = "gridctl_app";
    private static final String LOCK_LOGIN = SqlFile.load(RequestRole.class, "lock_request_role_login");
    /** PostgreSQL's message when two transactions alter one catalog row (SQLSTATE XX000, no code of its own). */
    private static final String CONCURRENT_UPDATE = "ERROR: tuple concurrently updated";
    private static final int LOGIN_ATTEMPTS = 5;

    private RequestRole() {
    }

    /** The request role's password for a database whose owner has {@code ownerPassword}. */
    public static String password(String ownerPassword) {
        if (ownerPassword == null || ownerPassword.isBlank()) {
            throw new IllegalStateException("db.password is empty: the request role's password is derived from the owner's;"
                    + " give the database user a password (db.password / GRIDCTL_DB_PASSWORD)");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ownerPassword.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] derived = mac.doFinal(("gridctl request role login: " + NAME).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(derived);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Lets the request role log in with its password. Needs the owner to be a superuser or to have
     * CREATEROLE with admin rights on the role; says so when it cannot.
     */
    static void enableLogin(Connection owner, String ownerPassword) {
        // ALTER ROLE takes no parameters; the password is base64url, so it needs no quoting beyond the literal.
        String sql = "ALTER ROLE " + NAME + " WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '" + password(ownerPassword) + "'";
        for (int attempt = 1; ; attempt++) {
            try {
                alterUnderLock(owner, sql);
                return;
            } catch (SQLException e) {
                // Roles belong to the whole PostgreSQL cluster but advisory locks to one database: a node
                // of another database in the same cluster may still alter the role at the same moment.
                if (attempt < LOGIN_ATTEMPTS && e.getMessage() != null && e.getMessage().startsWith(CONCURRENT_UPDATE)) {
                    pause(attempt);
                    continue;
                }
                throw new IllegalStateException("cannot let the request role " + NAME + " log in (the database user needs"
                        + " CREATEROLE, or a DBA runs ALTER ROLE " + NAME + " LOGIN PASSWORD …): " + e.getMessage(), e);
            }
        }
    }

    private static void alterUnderLock(Connection owner, String alterRole) throws SQLException {
        boolean autoCommit = owner.getAutoCommit();
        owner.setAutoCommit(false);
        try (Statement st = owner.createStatement()) {
            st.execute(LOCK_LOGIN);
            st.execute(alterRole);
            owner.commit();
        } catch (SQLException e) {
            owner.rollback();
            throw e;
        } finally {
            owner.setAutoCommit(autoCommit);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(50L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the request role's login", e);
        }
    }
}
