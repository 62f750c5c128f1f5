package cn.haizhu.grid.data.people;

import cn.haizhu.grid.data.db.SqlFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * What the database knows of the personal-data key: the id of the key its hashes are under and
 * whether a re-encryption is under way (table {@code pii_key_state}; never a key).
 *
 * <p>The rule it enforces: {@code person.id_number_hash} is unique, but the same ID number hashed
 * under two keys gives two values, so a person imported under the new key while the database still
 * holds them under the old one would be a second row, past the unique index. Hence a bulk import of
 * persons runs only under the key the database records, never while a re-encryption is under way,
 * and never from a process whose ring has a newer key the database has not been re-encrypted to
 * (between {@code rotate} and {@code reencrypt}). It checks this holding the persons-import lock,
 * which a re-encryption takes too before it records the new key, so neither can slip between the
 * check and the other's start.
 */
public final class KeyRotationState {
    private static final String READ = SqlFile.load(KeyRotationState.class, "key_state");
    private static final String RECORD = SqlFile.load(KeyRotationState.class, "record_key");
    private static final String BEGIN = SqlFile.load(KeyRotationState.class, "begin_reencryption");
    private static final String FINISH = SqlFile.load(KeyRotationState.class, "finish_reencryption");
    private static final String LOCK_PERSON_IMPORTS = SqlFile.load(KeyRotationState.class, "lock_person_imports");
    private static final String ANY_STORED_ID_NUMBER = SqlFile.load(KeyRotationState.class, "any_stored_id_number");

    /** The recorded key id, whether a re-encryption is under way, since when. */
    public record State(String currentKeyId, boolean reencrypting, OffsetDateTime changedAt) {
    }

    /** A bulk import of persons cannot run now; the message says why and what to run. */
    public static final class ImportsWait extends Exception {
        ImportsWait(String message) {
            super(message);
        }
    }

    private KeyRotationState() {
    }

    public static Optional<State> read(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(READ)) {
            return rs.next() ? Optional.of(new State(rs.getString(1), rs.getBoolean(2), rs.getObject(3, OffsetDateTime.class)))
                    : Optional.empty();
        }
    }

    /**
     * Checks, inside an import's transaction that holds the persons-import lock, that persons may be
     * written with {@code ring}'s current key; records that key when the database has none yet (a
     * first import, or a database from before key ids, whose persons must then open with it).
     */
    public static void requireImportable(Connection c, PersonalDataCipher ring) throws SQLException, ImportsWait {
        Optional<State> state = read(c);
        if (state.isEmpty()) {
            String storedUnder = keyOfStoredPersons(c, ring);
            if (storedUnder != null && !storedUnder.equals(ring.keyId())) {
                throw new ImportsWait(storedUnder.isEmpty()
                        ? "the stored persons are under a personal-data key this process's configuration does not hold"
                                + " (current " + ring.keyId() + ", retired " + ring.retiredKeyIds() + "): its configuration"
                                + " is out of date or belongs to another installation (本进程的人员数据密钥与数据库不一致)"
                        : "a personal-data key rotation is pending: this configuration writes with key " + ring.keyId()
                                + " but the stored persons are under key " + storedUnder + "; run ./gridctl pii-key reencrypt"
                                + " before importing persons (人员数据密钥轮换未完成，请先执行 ./gridctl pii-key reencrypt)");
            }
            try (PreparedStatement ps = c.prepareStatement(RECORD)) {
                ps.setString(1, ring.keyId());
                ps.executeUpdate();
            }
            return;
        }
        State s = state.get();
        if (s.reencrypting()) {
            throw new ImportsWait("the personal data are being re-encrypted to key " + s.currentKeyId() + " (since "
                    + s.changedAt() + "): persons cannot be imported until ./gridctl pii-key reencrypt has finished"
                    + " (人员数据正在换密钥重新加密，完成后再导入)");
        }
        if (!s.currentKeyId().equals(ring.keyId())) {
            throw new ImportsWait(ring.holds(s.currentKeyId())
                    ? "a personal-data key rotation is pending: this configuration writes with key " + ring.keyId()
                            + " but the stored persons are under key " + s.currentKeyId()
                            + "; run ./gridctl pii-key reencrypt before importing persons"
                            + " (人员数据密钥轮换未完成，请先执行 ./gridctl pii-key reencrypt)"
                    : "this process writes with personal-data key " + ring.keyId() + " but the stored persons are under key "
                            + s.currentKeyId() + ", which its configuration does not hold: its configuration is out of date"
                            + " or belongs to another installation (本进程的人员数据密钥与数据库不一致)");
        }
    }

    /** The id of the key of {@code ring} a stored person opens with, "" if none does, null if there are no persons. */
    private static String keyOfStoredPersons(Connection c, PersonalDataCipher ring) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(ANY_STORED_ID_NUMBER)) {
            if (!rs.next()) {
                return null;
            }
            String opens = ring.keyIdThatOpens(rs.getBytes(1));
            return opens == null ? "" : opens;
        }
    }

    /** Waits for running imports of persons and keeps new ones out until {@code c}'s transaction ends. */
    static void lockPersonImports(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(LOCK_PERSON_IMPORTS);
        }
    }

    /** Records, in {@code c}'s transaction, that the stored values are being moved to {@code keyId}. */
    static void beginReencryption(Connection c, String keyId) throws SQLException {
        lockPersonImports(c);
        try (PreparedStatement ps = c.prepareStatement(BEGIN)) {
            ps.setString(1, keyId);
            ps.executeUpdate();
        }
    }

    /** Records, in {@code c}'s transaction, that every stored value is under {@code keyId}. */
    static void finishReencryption(Connection c, String keyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FINISH)) {
            ps.setString(1, keyId);
            ps.executeUpdate();
        }
    }
}
