package cn.haizhu.grid.data.users;

import cn.haizhu.grid.data.db.SqlFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Real accounts, managed by an administrator from the shell ({@code ./gridctl user}), as the
 * database owner: add, change a password, disable (which also ends every session of the user),
 * list. Passwords must pass {@link PasswordPolicy}; only their slow hash is stored.
 */
public final class UserAccounts {
    private static final String ADD = SqlFile.load(UserAccounts.class, "add_user");
    private static final String SET_PASSWORD = SqlFile.load(UserAccounts.class, "set_password");
    private static final String SET_DISABLED = SqlFile.load(UserAccounts.class, "set_disabled");
    private static final String LIST = SqlFile.load(UserAccounts.class, "list_users");
    private static final String END_SESSIONS = SqlFile.load(UserAccounts.class, "end_sessions");

    /** One account as {@code gridctl user list} shows it (never its hash). */
    public record Account(String username, String displayName, String role, DataScope scope, boolean disabled,
                          java.time.OffsetDateTime createdAt) {
    }

    /** A request the rules refuse (an unknown role, a weak password, a name taken); the message says which. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private final Connection c;

    public UserAccounts(Connection ownerConnection) {
        this.c = ownerConnection;
    }

    public void add(String username, String displayName, Role role, DataScope scope, String password) throws SQLException {
        if (username == null || !username.matches("[a-z0-9][a-z0-9._-]{1,63}")) {
            throw new Refused("user names are 2-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
        }
        checkPassword(username, password);
        try (PreparedStatement ps = c.prepareStatement(ADD)) {
            ps.setString(1, username);
            ps.setString(2, displayName == null || displayName.isBlank() ? username : displayName);
            ps.setString(3, PasswordHash.hash(password));
            ps.setString(4, role.code());
            ps.setString(5, scope.kind());
            ps.setString(6, scope.code());
            if (ps.executeUpdate() == 0) {
                throw new Refused("user " + username + " exists already");
            }
        }
    }

    /** Sets a new password; the user's sessions end, so a stolen one stops working with the old password. */
    public void setPassword(String username, String password) throws SQLException {
        checkPassword(username, password);
        String hash = PasswordHash.hash(password);
        inTransaction(() -> {
            try (PreparedStatement ps = c.prepareStatement(SET_PASSWORD)) {
                ps.setString(1, hash);
                ps.setString(2, username);
                if (ps.executeUpdate() == 0) {
                    throw new Refused("no user " + username);
                }
            }
            endSessions(username);
        });
    }

    /** Disables (or enables) the account; disabling ends every session and token of it at once. */
    public void setDisabled(String username, boolean disabled) throws SQLException {
        inTransaction(() -> {
            try (PreparedStatement ps = c.prepareStatement(SET_DISABLED)) {
                ps.setBoolean(1, disabled);
                ps.setString(2, username);
                if (ps.executeUpdate() == 0) {
                    throw new Refused("no user " + username);
                }
            }
            if (disabled) {
                endSessions(username);
            }
        });
    }

    private interface Work {
        void run() throws SQLException;
    }

    /** The change and the end of the user's sessions together, or neither. */
    private void inTransaction(Work work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    public List<Account> list() throws SQLException {
        List<Account> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LIST);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Account(rs.getString(1), rs.getString(2), rs.getString(3),
                        new DataScope(rs.getString(4), rs.getString(5)), rs.getBoolean(6),
                        rs.getObject(7, java.time.OffsetDateTime.class)));
            }
        }
        return out;
    }

    private void endSessions(String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(END_SESSIONS)) {
            ps.setString(1, username);
            ps.executeUpdate();
        }
    }

    private static void checkPassword(String username, String password) {
        PasswordPolicy.problem(username, password).ifPresent(p -> {
            throw new Refused("password refused: " + p);
        });
    }
}
