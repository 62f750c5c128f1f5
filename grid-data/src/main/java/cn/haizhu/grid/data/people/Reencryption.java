package cn.haizhu.grid.data.people;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.SqlFile;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Moves every stored ID number and phone (persons, grid workers) under the current key of the ring,
 * while the command center keeps serving (docs/KEY-ROTATION.md).
 *
 * <ol>
 *   <li>Refuses when some value is under a key the ring does not hold (nothing could open it).</li>
 *   <li>Tells running servers to read their key ring again and waits until every one of them
 *       writes with the new key ({@link PersonalDataKey#HOLDER_APPLICATION_NAME} in
 *       {@code pg_stat_activity}); a server that cannot (its key in its own environment, another
 *       data folder) stops the run before a single row changes, since it could neither open a
 *       re-encrypted value nor find a re-encrypted person by ID number.</li>
 *   <li>Records the new key as the database's and that a re-encryption is under way (imports of
 *       persons wait: {@link KeyRotationState}).</li>
 *   <li>Walks the tables in id order, a batch of rows per transaction (short row locks, the server's
 *       reads never wait long), rewriting each value and its keyed hash under the new key, but only
 *       where the row still holds what was read: a concurrent edit wins and the row comes again in the
 *       next pass. Passes repeat until none finds a value under another key. A run stopped at any
 *       moment is resumed by running it again.</li>
 *   <li>Records that the re-encryption is complete, under the import lock, after one last count.</li>
 * </ol>
 * The rewrite changes how a value is stored, not the record: versions stay and no change-log entry
 * is written ({@code gridctl.rekey}, V50__pii_key_rotation.sql).
 */
public final class Reencryption {
    public static final int DEFAULT_BATCH = 5_000;
    private static final int MAX_PASSES = 20;
    private static final String USAGE = SqlFile.load(Reencryption.class, "key_usage");
    private static final String SAMPLE = SqlFile.load(Reencryption.class, "sample_values");
    private static final String HOLDERS = SqlFile.load(Reencryption.class, "key_holders");
    private static final String NOTIFY = SqlFile.load(Reencryption.class, "notify_key_change");
    private static final String NOT_UNDER_KEY = SqlFile.load(Reencryption.class, "not_under_key");
    private static final String PERSONS = SqlFile.load(Reencryption.class, "persons_to_reencrypt");
    private static final String REENCRYPT_PERSON = SqlFile.load(Reencryption.class, "reencrypt_person");
    private static final String WORKERS = SqlFile.load(Reencryption.class, "workers_to_reencrypt");
    private static final String REENCRYPT_WORKER = SqlFile.load(Reencryption.class, "reencrypt_worker");
    private static final String PERSONS_BY_ID_HASH = SqlFile.load(Reencryption.class, "persons_by_id_hash");
    private static final String PERSON_ID_NUMBERS = SqlFile.load(Reencryption.class, "person_id_numbers");

    /** Stored values of one column under one key: {@code keyId} null for format 1, which names none. */
    public record Usage(String stored, String keyId, long values, String opensWith) {
    }

    /** A running server's key listener: its backend pid and the key it writes with (null if it does not say). */
    public record Holder(int pid, String keyId, OffsetDateTime since) {
    }

    /** Where a run is: values re-encrypted in this pass of this table, out of those found at its start. */
    public record Progress(String table, int pass, long done, long toDo, long changedMeanwhile, Duration elapsed) {
    }

    /** Values moved to the new key, rows changed by others meanwhile (and taken up again), passes made. */
    public record Result(long persons, long workers, long changedMeanwhile, int passes, Duration took) {
    }

    /** What the command prints while it works. */
    public interface Listener {
        default void note(String message) {
        }

        default void progress(Progress p) {
        }
    }

    /** The run cannot go on; nothing is lost, the message says what to do. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private final Database db;
    private final PersonalDataCipher ring;
    private final int batchSize;
    private final Duration serverWait;
    private final Listener listener;
    private final byte[] header;

    public Reencryption(Database db, PersonalDataCipher ring, int batchSize, Duration serverWait, Listener listener) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        this.db = db;
        this.ring = ring;
        this.batchSize = batchSize;
        this.serverWait = serverWait;
        this.listener = listener;
        this.header = ring.currentHeader();
    }

    public Result run() throws SQLException, InterruptedException, Refused {
        long t0 = System.nanoTime();
        try (Connection c = db.connection()) {
            refuseUnknownKeys(usage(c, ring));
            announce(c, ring);
            awaitServers(c);
            c.setAutoCommit(false);
            KeyRotationState.beginReencryption(c, ring.keyId());
            c.commit();
            listener.note("the database records key " + ring.keyId() + "; imports of persons wait until this run completes");
            long persons = 0;
            long workers = 0;
            long changed = 0;
            for (int pass = 1; pass <= MAX_PASSES; pass++) {
                long toDo = notUnderKey(c);
                if (toDo == 0 && finished(c)) {
                    return new Result(persons, workers, changed, pass - 1, Duration.ofNanos(System.nanoTime() - t0));
                }
                Counts p = pass(c, personValues, pass, toDo);
                Counts w = pass(c, workerValues, pass, toDo - p.done - p.changed);
                persons += p.done;
                workers += w.done;
                changed += p.changed + w.changed;
            }
            throw new Refused("values keep arriving under another key after " + MAX_PASSES + " passes: some process"
                    + " with an old configuration is writing personal data; find it (./gridctl pii-key status lists the"
                    + " running servers), give it the new configuration, and run reencrypt again");
        }
    }

    private record Counts(long done, long changed) {
    }

    /** One table's stored values: how to find the rows still to do, and how to rewrite one. */
    private abstract static class StoredValues {
        final String table;
        final String select;
        final String update;

        StoredValues(String table, String select, String update) {
            this.table = table;
            this.select = select;
            this.update = update;
        }

        /** Binds the select: rows after {@code after}, not under {@code header}, at most {@code limit}. */
        abstract void bind(PreparedStatement select, long after, byte[] header, int limit) throws SQLException;

        /** Adds the conditional update of the row under the cursor to {@code update}'s batch; returns its id. */
        abstract long stage(ResultSet row, PreparedStatement update) throws SQLException, Refused;
    }

    private final StoredValues personValues = new StoredValues("person", PERSONS, REENCRYPT_PERSON) {
        void bind(PreparedStatement select, long after, byte[] header, int limit) throws SQLException {
            select.setLong(1, after);
            select.setBytes(2, header);
            select.setBytes(3, header);
            select.setInt(4, limit);
        }

        long stage(ResultSet row, PreparedStatement update) throws SQLException, Refused {
            long id = row.getLong(1);
            byte[] idSealed = row.getBytes(2);
            byte[] phoneSealed = row.getBytes(3);
            String idNumber = open(idSealed, "person", id);
            String phone = open(phoneSealed, "person", id);
            update.setBytes(1, ring.encrypt(idNumber));
            update.setBytes(2, ring.hash(idNumber));
            update.setBytes(3, ring.encrypt(phone));
            update.setBytes(4, ring.hash(phone));
            update.setLong(5, id);
            update.setBytes(6, idSealed);
            update.setBytes(7, phoneSealed);
            return id;
        }
    };

    private final StoredValues workerValues = new StoredValues("grid_worker", WORKERS, REENCRYPT_WORKER) {
        void bind(PreparedStatement select, long after, byte[] header, int limit) throws SQLException {
            select.setLong(1, after);
            select.setBytes(2, header);
            select.setInt(3, limit);
        }

        long stage(ResultSet row, PreparedStatement update) throws SQLException, Refused {
            long id = row.getLong(1);
            byte[] sealed = row.getBytes(2);
            String phone = open(sealed, "grid_worker", id);
            update.setBytes(1, ring.encrypt(phone));
            update.setBytes(2, ring.hash(phone));
            update.setLong(3, id);
            update.setBytes(4, sealed);
            return id;
        }
    };

    /** One walk over a table in id order, a batch per transaction. */
    private Counts pass(Connection c, StoredValues values, int pass, long toDo) throws SQLException, Refused {
        long t0 = System.nanoTime();
        long after = 0;
        long done = 0;
        long changed = 0;
        try (PreparedStatement select = c.prepareStatement(values.select);
             PreparedStatement update = c.prepareStatement(values.update)) {
            while (true) {
                rekeyTransaction(c);
                values.bind(select, after, header, batchSize);
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        after = values.stage(rs, update);
                        update.addBatch();
                        ids.add(after);
                    }
                }
                if (ids.isEmpty()) {
                    c.commit();
                    return new Counts(done, changed);
                }
                int[] counts;
                try {
                    counts = update.executeBatch();
                } catch (BatchUpdateException e) {
                    c.rollback();
                    if ("23505".equals(e.getSQLState()) && values == personValues) {
                        throw samePersonTwice(c, ids);
                    }
                    throw e;
                }
                c.commit();
                for (int n : counts) {
                    if (n == 1) {
                        done++;
                    } else {
                        changed++;
                    }
                }
                listener.progress(new Progress(values.table, pass, done, Math.max(toDo, done + changed), changed,
                        Duration.ofNanos(System.nanoTime() - t0)));
            }
        }
    }

    /** A transaction whose updates are a change of key, not of the record (no version, no change log). */
    private static void rekeyTransaction(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT set_config('gridctl.rekey', 'on', true)");
        }
    }

    private String open(byte[] sealed, String table, long id) throws Refused {
        try {
            return ring.decrypt(sealed);
        } catch (IllegalArgumentException e) {
            throw new Refused(table + " id " + id + ": " + e.getMessage());
        }
    }

    /**
     * The same ID number is stored twice, once under each key: imported again under the new key while
     * the old row was still under the old one (before this rule existed, or by a process that ignored
     * it). Nothing of the batch was written; the operator decides which row to keep.
     */
    private Refused samePersonTwice(Connection c, List<Long> batch) throws SQLException, Refused {
        List<byte[]> newHashes = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<String> clashes = new ArrayList<>();
        try (PreparedStatement read = c.prepareStatement(PERSON_ID_NUMBERS);
             PreparedStatement holders = c.prepareStatement(PERSONS_BY_ID_HASH)) {
            read.setArray(1, c.createArrayOf("bigint", batch.toArray(new Long[0])));
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    newHashes.add(ring.hash(open(rs.getBytes(2), "person", rs.getLong(1))));
                }
            }
            holders.setArray(1, c.createArrayOf("bytea", newHashes.toArray(new byte[0][])));
            try (ResultSet rs = holders.executeQuery()) {
                while (rs.next()) {
                    for (int i = 0; i < newHashes.size(); i++) {
                        if (java.util.Arrays.equals(newHashes.get(i), rs.getBytes(2)) && ids.get(i) != rs.getLong(1)) {
                            clashes.add("person id " + ids.get(i) + " and person id " + rs.getLong(1) + " (" + rs.getString(3) + ")");
                        }
                    }
                }
            }
        } finally {
            c.rollback();
        }
        return new Refused("the same person is stored twice, once under each key: " + String.join("; ", clashes)
                + ". Keep one row of each pair (delete the other as the owner), then run reencrypt again");
    }

    /** Counts, then records the run complete, holding the import lock so no import of persons comes between. */
    private boolean finished(Connection c) throws SQLException {
        KeyRotationState.lockPersonImports(c);
        if (notUnderKey(c) > 0) {
            c.commit();
            return false;
        }
        KeyRotationState.finishReencryption(c, ring.keyId());
        c.commit();
        return true;
    }

    private long notUnderKey(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NOT_UNDER_KEY)) {
            ps.setBytes(1, header);
            ps.setBytes(2, header);
            ps.setBytes(3, header);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void refuseUnknownKeys(List<Usage> usage) throws Refused {
        List<String> unknown = usage.stream().filter(u -> u.opensWith() == null)
                .map(u -> u.values() + " in " + u.stored() + " under " + (u.keyId() == null ? "an unknown key (format 1)" : "key " + u.keyId()))
                .toList();
        if (!unknown.isEmpty()) {
            throw new Refused("stored values under keys this configuration does not hold: " + String.join(", ", unknown)
                    + ". Nothing was changed; add the missing key to the retired keys (docs/KEY-ROTATION.md) and run again");
        }
    }

    private void awaitServers(Connection c) throws SQLException, InterruptedException, Refused {
        long deadline = System.nanoTime() + serverWait.toNanos();
        boolean said = false;
        while (true) {
            List<Holder> behind = holders(c).stream().filter(h -> !ring.keyId().equals(h.keyId())).toList();
            if (behind.isEmpty()) {
                return;
            }
            String who = behind.stream().map(h -> "pid " + h.pid() + " (" + (h.keyId() == null ? "no key id" : "key " + h.keyId()) + ")")
                    .collect(Collectors.joining(", "));
            if (System.nanoTime() > deadline) {
                throw new Refused(behind.size() + " running server(s) still write with another key after " + serverWait.toSeconds()
                        + " s: " + who + ". A server reads its keys again when told, from its own configuration: one whose key"
                        + " is set in its environment, or that uses another data folder, keeps the old one. Give it the new"
                        + " configuration and restart it, then run reencrypt again. Nothing was re-encrypted");
            }
            if (!said) {
                listener.note("waiting for running servers to load key " + ring.keyId() + ": " + who);
                said = true;
            }
            Thread.sleep(200);
        }
    }

    /** Tells every running server to read its key ring again. */
    public static void announce(Connection c, PersonalDataCipher ring) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NOTIFY)) {
            ps.setString(1, PersonalDataKey.RELOAD_CHANNEL);
            ps.setString(2, ring.keyId());
            ps.execute();
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    /** The running servers' key listeners on this database and the key each writes with. */
    public static List<Holder> holders(Connection c) throws SQLException {
        List<Holder> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(HOLDERS)) {
            ps.setString(1, PersonalDataKey.HOLDER_APPLICATION_NAME);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(2);
                    String rest = name.substring(PersonalDataKey.HOLDER_APPLICATION_NAME.length()).trim();
                    out.add(new Holder(rs.getInt(1), rest.matches("[0-9a-f]{8}") ? rest : null,
                            rs.getObject(3, OffsetDateTime.class)));
                }
            }
        }
        return out;
    }

    /** Stored values per column and key; for each group, which key of {@code ring} opens it (null: none). */
    public static List<Usage> usage(Connection c, PersonalDataCipher ring) throws SQLException {
        List<Usage> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(USAGE);
             PreparedStatement sample = c.prepareStatement(SAMPLE)) {
            while (rs.next()) {
                String stored = rs.getString(1);
                sample.setString(1, stored);
                for (int i = 2; i <= 4; i++) {
                    sample.setLong(i, rs.getLong(4));
                }
                String opensWith = null;
                try (ResultSet v = sample.executeQuery()) {
                    if (v.next() && v.getBytes(1) != null) {
                        opensWith = ring.keyIdThatOpens(v.getBytes(1));
                    }
                }
                out.add(new Usage(stored, rs.getString(2), rs.getLong(3), opensWith));
            }
        }
        return out;
    }

    /** Ids of the keys some stored value names in its header (format-1 values name none). */
    public static Set<String> keyIdsInUse(List<Usage> usage) {
        return usage.stream().map(Usage::keyId).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
    }
}
