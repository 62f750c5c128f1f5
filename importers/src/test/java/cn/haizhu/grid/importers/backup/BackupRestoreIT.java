package cn.haizhu.grid.importers.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.backup.BackupCommand;
import cn.haizhu.grid.data.backup.RestoreCommand;
import cn.haizhu.grid.data.backup.WalArchiving;
import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.Gridctl;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.importers.demo.CaseHistory;
import cn.haizhu.grid.importers.demo.DemoDataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Backups that restore, end to end, as an operator runs them: a small demo district archiving its
 * WAL into a repository, {@code ./gridctl backup}, two rounds of changes at T1 &lt; T2, then
 * {@code ./gridctl restore} to a time between them and to the latest point, each into a new data
 * folder that a server's start-up ({@code Database.open}, the key ring) takes as its own; table
 * digests must equal those recorded when the changes were committed. Its own clusters, ports and
 * folders (under {@code importers/target/backup-it}), all removed afterwards.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class BackupRestoreIT {
    static final int PORT = Integer.parseInt(System.getenv().getOrDefault("GRIDCTL_TEST_DB_PORT", "54330"));
    static final String PASSPHRASE = "海珠 backup drill passphrase";
    static final List<String> TABLES = List.of("grid", "house", "person", "enterprise", "civic_case", "case_event", "change_log");
    static final Path HOME = TestDatabases.projectDir().resolve("importers/target/backup-it");
    static final Path REPO = HOME.resolve("repo");

    static GridConfig live;
    static Database db;

    @BeforeAll
    static void demoDistrictArchivingItsWal() throws Exception {
        delete(HOME);
        Files.createDirectories(HOME);
        live = config(HOME.resolve("live"), PORT + 5, REPO, PASSPHRASE);
        db = Database.open(live);   // the launcher's start: archiving into REPO, as backup.dir says
        new DemoDataset(0.01, 20240105L, TestDatabases.projectDir().resolve("var/test-data"))
                .ensureLoaded(db, PersonalDataKey.cipher(live));
    }

    @AfterAll
    static void stopAndRemove() throws IOException {
        if (db != null) {
            db.close();
        }
        delete(HOME);
    }

    @Test
    void restoresToATimeBetweenTwoChangesAndToTheLatestPoint() throws Exception {
        Run refused = gridctl(live, "backup", HOME.resolve("elsewhere").toString());
        assertEquals(2, refused.code);
        assertTrue(refused.err.contains("backup.dir=" + HOME.resolve("elsewhere")), "says what to configure: " + refused.err);

        Run backup = gridctl(live, "backup");
        assertEquals(0, backup.code, backup.err + backup.out);
        assertTrue(backup.out.contains("verified against its manifest"), backup.out);
        String keyId = PersonalDataKey.existing(live).keyId();
        assertTrue(backup.out.contains("keys " + keyId), "the ring went with it: " + backup.out);

        // T1: houses renumbered, 300 cases taken in
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE house SET floor = coalesce(floor, 0) + 1 WHERE code IN (SELECT code FROM house ORDER BY code LIMIT 50)");
        }
        assertEquals(300, CaseHistory.make(db, 300, 11));
        Map<String, String> atT1 = digests(db.connection());
        OffsetDateTime between = clock();
        Thread.sleep(1_100);
        // T2: other houses readdressed, one resident's phone changed, the cases withdrawn
        String phoneOwner;
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE house SET address = address || '（复核）' WHERE code IN (SELECT code FROM house ORDER BY code DESC LIMIT 80)");
            try (ResultSet rs = s.executeQuery("SELECT id_number_hash FROM person ORDER BY id_number_hash LIMIT 1")) {
                rs.next();
                phoneOwner = java.util.HexFormat.of().formatHex(rs.getBytes(1));
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE person SET phone_enc = ? WHERE id_number_hash = decode(?, 'hex')")) {
                ps.setBytes(1, PersonalDataKey.existing(live).encrypt("13800138000"));
                ps.setString(2, phoneOwner);
                assertEquals(1, ps.executeUpdate());
            }
        }
        assertEquals(300, CaseHistory.remove(db));
        Map<String, String> atT2 = digests(db.connection());
        assertNotEquals(atT1, atT2);
        try (Connection c = db.connection()) {
            WalArchiving.flush(c, REPO.resolve("wal"), Duration.ofSeconds(60));   // what archive_timeout would do within a minute
        }

        Run verify = gridctl(live, "backup", "verify");
        assertEquals(0, verify.code, verify.err + verify.out);
        assertTrue(verify.out.contains("restorable: from"), verify.out);

        Path latest = HOME.resolve("restored-latest");
        Run toEnd = gridctl(live, "restore", REPO.toString(), "--to", latest.toString(), "--port", Integer.toString(PORT + 6));
        assertEquals(0, toEnd.code, toEnd.err + toEnd.out);
        assertEquals(atT2, startAndDigest(latest, keyId, phoneOwner), "the restore to the latest point holds everything archived");

        // the key is rotated after the first base and a second base taken: a restore to T1 still starts from the
        // first base (the second ended later), and its ring has the new key too, with the one the data records current
        String newKeyId = PersonalDataKey.rotate(live).currentKeyId();
        Run second = gridctl(live, "backup");
        assertEquals(0, second.code, second.err + second.out);
        assertTrue(second.out.contains("keys " + newKeyId + ", " + keyId), second.out);

        Path toT1 = HOME.resolve("restored-t1");
        Run pitr = gridctl(live, "restore", REPO.toString(), "--to", toT1.toString(), "--time", between.toString(),
                "--port", Integer.toString(PORT + 6));
        assertEquals(0, pitr.code, pitr.err + pitr.out);
        assertEquals(atT1, startAndDigest(toT1, keyId, null), "the restore to a time between the changes holds what was committed then");
        assertTrue(PersonalDataKey.existing(config(toT1, PORT + 7, null, "")).holds(newKeyId), "the later backup's key is in the ring");
    }

    @Test
    void refusalsLeaveNothingAndSayWhy() throws Exception {
        if (!Files.isDirectory(REPO.resolve("base")) || isEmpty(REPO.resolve("base"))) {
            assertEquals(0, gridctl(live, "backup").code);
        }
        Path target = HOME.resolve("restored-wrong");
        GridConfig wrong = config(HOME.resolve("live"), PORT + 5, REPO, "not the passphrase at all");
        Run run = gridctl(wrong, "restore", REPO.toString(), "--to", target.toString(), "--port", Integer.toString(PORT + 6));
        assertEquals(2, run.code, run.out);
        assertTrue(run.err.contains("the passphrase does not open"), run.err);
        assertFalse(Files.exists(target), "nothing left behind");

        GridConfig second = config(HOME.resolve("other"), PORT + 7, REPO, PASSPHRASE);
        IllegalStateException two = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> WalArchiving.cluster(second), "a second cluster archiving into the repository");
        assertTrue(two.getMessage().contains("takes the WAL of the cluster in " + HOME.resolve("live/pgdata")), two.getMessage());

        Run intoLive = gridctl(live, "restore", REPO.toString(), "--to", HOME.resolve("live").toString());
        assertEquals(2, intoLive.code);
        assertTrue(intoLive.err.contains("is not empty"), intoLive.err);

        Run tooEarly = gridctl(live, "restore", REPO.toString(), "--to", target.toString(), "--time", "2020-01-01T00:00:00+08:00");
        assertEquals(2, tooEarly.code);
        assertTrue(tooEarly.err.contains("the earliest point this repository restores to is"), tooEarly.err);
        assertFalse(Files.exists(target));

        Run beyond = gridctl(live, "restore", REPO.toString(), "--to", target.toString(),
                "--time", clock().plusHours(1).toString(), "--port", Integer.toString(PORT + 6));
        assertEquals(2, beyond.code);
        assertTrue(beyond.err.contains("the archived WAL ends before"), "PostgreSQL's refusal, in words to act on: " + beyond.err);
        assertFalse(Files.exists(target), "the replayed copy is removed again");
    }

    @Test
    void verifyNamesAMissingSegment() throws Exception {
        if (!Files.isDirectory(REPO.resolve("base")) || isEmpty(REPO.resolve("base"))) {
            assertEquals(0, gridctl(live, "backup").code);
        }
        try (Connection c = db.connection()) {
            WalArchiving.flush(c, REPO.resolve("wal"), Duration.ofSeconds(60));
            WalArchiving.flush(c, REPO.resolve("wal"), Duration.ofSeconds(60));
        }
        List<Path> segments;
        try (var files = Files.list(REPO.resolve("wal"))) {
            segments = files.filter(f -> f.getFileName().toString().matches("[0-9A-F]{24}\\.gz")).sorted().toList();
        }
        Path middle = segments.get(segments.size() - 2);
        Path aside = HOME.resolve(middle.getFileName());
        Files.move(middle, aside);
        try {
            Run verify = gridctl(live, "backup", "verify", REPO.toString());
            assertEquals(2, verify.code, verify.out);
            assertTrue(verify.out.contains("missing " + middle.getFileName().toString().replace(".gz", "")), verify.out);
        } finally {
            Files.move(aside, middle);
        }
    }

    /** Starts the restored folder as a server would (its own port, no archiving), digests it, stops it. */
    private static Map<String, String> startAndDigest(Path dataDir, String currentKeyId, String phoneOwner) throws Exception {
        GridConfig restored = config(dataDir, PORT + 7, null, "");
        try (Database copy = Database.open(restored)) {
            PersonalDataCipher ring = PersonalDataKey.existing(restored);
            assertEquals(currentKeyId, ring.keyId(), "the key ring came back, with the key the data is under current");
            try (Connection c = copy.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id_number_enc, phone_enc, encode(id_number_hash, 'hex') FROM person"
                         + " ORDER BY id_number_hash LIMIT 1")) {
                rs.next();
                assertEquals(18, ring.decrypt(rs.getBytes(1)).length(), "an ID number opens with the restored ring");
                if (phoneOwner != null) {
                    assertEquals(phoneOwner, rs.getString(3));
                    assertEquals("13800138000", ring.decrypt(rs.getBytes(2)), "the phone changed at T2");
                }
            }
            // the server's request pool logs in as gridctl_app, with a password derived from the cluster's: restored with it
            try (Connection app = java.sql.DriverManager.getConnection(copy.url(), copy.requestUser(), copy.requestPassword());
                 Statement s = app.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
                rs.next();
                assertEquals(copy.requestUser(), rs.getString(1));
            }
            return digests(copy.connection());
        }
    }

    /** Per table: count and md5 of its rows in order, as text. */
    private static Map<String, String> digests(Connection connection) throws Exception {
        Map<String, String> digests = new LinkedHashMap<>();
        try (Connection c = connection; Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-')"
                        + " FROM " + table + " t")) {
                    rs.next();
                    digests.put(table, rs.getString(1));
                }
            }
        }
        return digests;
    }

    private static OffsetDateTime clock() throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }

    private static GridConfig config(Path dataDir, int port, Path repo, String passphrase) {
        Map<String, String> env = new HashMap<>();
        env.put("GRIDCTL_CONFIG", HOME.resolve("no-such.conf").toString());
        env.put("GRIDCTL_DATA_DIR", dataDir.toString());
        env.put("GRIDCTL_DB_EMBEDDED_PORT", Integer.toString(port));
        env.put("GRIDCTL_BACKUP_DIR", repo == null ? "" : repo.toString());
        env.put("GRIDCTL_BACKUP_PASSPHRASE", passphrase);
        return GridConfig.load(TestDatabases.projectDir(), env);
    }

    record Run(int code, String out, String err) {
    }

    /** One {@code ./gridctl} command of the importers' jar, in this JVM, with {@code config}. */
    private static synchronized Run gridctl(GridConfig config, String... args) {
        CommandLine cli = new CommandLine(new Root())
                .addSubcommand("backup", BackupCommand.create(() -> config))
                .addSubcommand("restore", new RestoreCommand(() -> config));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Gridctl.execute(cli, args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(before);
            System.out.print(out.toString(StandardCharsets.UTF_8));
        }
    }

    @CommandLine.Command(name = "gridctl")
    static final class Root implements Runnable {
        @Override
        public void run() {
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void delete(Path dir) throws IOException {
        org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile());   // a missing folder is fine
    }
}
