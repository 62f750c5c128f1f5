package cn.haizhu.grid.data.backup;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.SecretFiles;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.people.KeyRotationState;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.data.people.Reencryption;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./gridctl restore}: a new data folder from a repository, at the latest archived point or
 * at a point in time. The newest base backup that ended by then is copied into the new folder's
 * cluster, PostgreSQL replays the archived WAL up to the point (the first commit after it stops the
 * replay) and promotes itself; the secrets are unsealed into the folder. The result is a data folder
 * like any other: {@code GRIDCTL_DATA_DIR=<it> ./gridctl run} starts on it.
 *
 * <p>Nothing is written before the passphrase has opened the base's secrets, and a restore that
 * fails removes what it made: a new folder is either whole or absent.
 */
final class Restore {
    private static final String RECOVERY_STATE = SqlFile.load(Restore.class, "recovery_state");
    /** The settings file of a recovery in the restored cluster, removed once it is done. */
    static final String FEATURE = "restore";
    private static final String NOT_REACHED = "recovery ended before configured recovery target was reached";
    /** recovery_target_time takes PostgreSQL's own timestamp form (not ISO's T and Z). */
    private static final java.time.format.DateTimeFormatter TARGET_TIME =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(java.time.ZoneOffset.UTC);

    /** What was restored: the base it started from and the commit time of the last transaction replayed. */
    record Result(BackupRepository.Base base, Path clusterDir, OffsetDateTime lastCommit, List<String> keyIds) {
    }

    private Restore() {
    }

    static Result run(GridConfig config, Path repoDir, Path targetDir, Instant time, int port, PrintStream out) throws Exception {
        BackupRepository repo = new BackupRepository(repoDir);
        List<BackupRepository.Base> bases = repo.list();
        if (bases.isEmpty()) {
            throw new IllegalStateException("no finished base backup in " + repo.bases() + " (is " + repo.dir() + " a backup repository?)");
        }
        Path target = targetDir.toAbsolutePath().normalize();
        if (Files.exists(target) && (!Files.isDirectory(target) || !empty(target))) {
            throw new IllegalStateException(target + " exists and is not empty: a restore makes a new data folder and never writes"
                    + " into one in use; name a new folder");
        }
        BackupRepository.Base base = time == null ? bases.get(bases.size() - 1) : repo.newestEndedBy(time).orElseThrow(() ->
                new IllegalStateException("no base backup ended by " + local(time) + ": the earliest point this repository restores to is "
                        + local(bases.get(0).finished()) + ", the end of its oldest base backup"));
        Map<String, byte[]> secrets;
        List<List<String>> rings = new ArrayList<>();
        char[] passphrase = Passphrase.ask(config, repo.dir().toString(), false);
        try {
            secrets = SealedSecrets.open(Files.readAllBytes(base.secrets()), passphrase);
            for (BackupRepository.Base b : bases) {
                try {
                    rings.add(BackupSecrets.ring(b == base ? secrets : SealedSecrets.open(Files.readAllBytes(b.secrets()), passphrase)));
                } catch (SealedSecrets.WrongPassphrase other) {
                    out.println("note: the passphrase does not open " + b.secrets() + "; its keys are left out");
                }
            }
        } catch (SealedSecrets.WrongPassphrase e) {
            throw new IllegalStateException("the passphrase does not open " + base.secrets() + ": a wrong passphrase (or an altered"
                    + " file); nothing was restored");
        } finally {
            Arrays.fill(passphrase, '\0');
        }

        boolean targetExisted = Files.exists(target);
        EmbeddedPostgres pg = new EmbeddedPostgres(target.resolve("pgdata"), port == 0 ? freePort() : port);
        Path cluster = pg.clusterDir();
        if (Files.exists(cluster) && !empty(cluster)) {
            if (!targetExisted) {
                TakeBackup.delete(target);
            }
            throw new IllegalStateException(cluster + " (where the new folder's cluster would live) exists and is not empty");
        }
        boolean done = false;
        try {
            out.println("restoring base backup " + base.name() + " (ended " + local(base.finished()) + ") into " + cluster);
            copy(base.data(), cluster);
            Files.deleteIfExists(cluster.resolve("backup_manifest"));
            Files.deleteIfExists(cluster.resolve("postgres.log"));   // the backed-up cluster's log, not this one's
            Files.createFile(cluster.resolve("recovery.signal"));
            Files.setPosixFilePermissions(cluster, PosixFilePermissions.fromString("rwx------"));
            pg.handToClusterUser(cluster, true);
            SecretFiles.write(pg.passwordFile(), new String(secrets.get(BackupSecrets.CLUSTER_PASSWORD), java.nio.charset.StandardCharsets.UTF_8));
            pg.settings(WalArchiving.FEATURE, Map.of()).settings(FEATURE, recovery(repo, time));
            out.println("replaying the archived WAL to " + (time == null ? "its end" : local(time)) + " …");
            try {
                pg.start("postgres");
            } catch (IllegalStateException e) {
                throw failed(cluster, time);
            }
            OffsetDateTime lastCommit = awaitPromotion(pg, cluster, time, out);
            BackupSecrets.Ring ring = keyRing(pg, config.embeddedDatabase(), BackupSecrets.ring(secrets), rings, out);
            pg.settings(FEATURE, Map.of());
            pg.stop(true);

            GridConfig restored = config.withDataDir(target);
            PersonalDataKey.install(restored, ring.current(), ring.retired());
            for (Map.Entry<String, String> file : BackupSecrets.files(secrets).entrySet()) {
                SecretFiles.write(target.resolve(file.getKey()), file.getValue().strip());
            }
            long photos = TakeBackup.mirror(repo.attachments(), target.resolve("attachments"));
            done = true;
            List<String> ids = new ArrayList<>();
            ids.add(PersonalDataCipher.keyIdOf(ring.current()));
            ring.retired().forEach(k -> ids.add(PersonalDataCipher.keyIdOf(k)));
            out.println("restored to " + (lastCommit == null ? "the end of the base backup" : "the transaction committed at " + lastCommit)
                    + "; key ring " + String.join(", ", ids) + " (current first) in " + target.resolve("secrets") + "; " + photos + " photo files");
            return new Result(base, cluster, lastCommit, List.copyOf(ids));
        } finally {
            if (!done) {
                pg.stop(true);
                TakeBackup.delete(cluster);
                Files.deleteIfExists(pg.passwordFile());
                if (!targetExisted) {
                    TakeBackup.delete(target);
                } else {
                    try (var left = Files.list(target)) {
                        for (Path p : left.toList()) {
                            TakeBackup.delete(p);
                        }
                    }
                }
            }
        }
    }

    private static Map<String, String> recovery(BackupRepository repo, Instant time) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("restore_command", WalArchiving.restoreCommand(repo.wal()));
        if (time != null) {
            settings.put("recovery_target_time", TARGET_TIME.format(time));
            settings.put("recovery_target_action", "promote");
        }
        return settings;
    }

    /** Waits while PostgreSQL replays; returns the commit time of the last transaction it replayed (null: none after the base). */
    private static OffsetDateTime awaitPromotion(EmbeddedPostgres pg, Path cluster, Instant time, PrintStream out) throws Exception {
        OffsetDateTime last = null;
        long nextNote = System.nanoTime() + 15_000_000_000L;
        while (true) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), EmbeddedPostgres.SUPERUSER, pg.password());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery(RECOVERY_STATE)) {
                rs.next();
                OffsetDateTime replayed = rs.getObject(2, OffsetDateTime.class);
                last = replayed != null ? replayed : last;
                if (!rs.getBoolean(1)) {
                    return last;
                }
                if (System.nanoTime() > nextNote) {
                    out.println("  replayed up to " + rs.getString(3) + (last == null ? "" : ", a commit of " + last));
                    nextNote = System.nanoTime() + 15_000_000_000L;
                }
            } catch (SQLException e) {
                if (!pg.isRunning()) {
                    throw failed(cluster, time);
                }
            }
            Thread.sleep(250);
        }
    }

    /** The recovery stopped: says why in words an operator can act on. */
    private static IllegalStateException failed(Path cluster, Instant time) {
        String log = tail(cluster.resolve("postgres.log"));
        if (time != null && log.contains(NOT_REACHED)) {
            return new IllegalStateException("the archived WAL ends before " + local(time) + ": no transaction committed after that"
                    + " time has been archived yet (a segment is archived when it fills, or after backup.archive.timeout)."
                    + " Restore without --time for the latest point; nothing was restored");
        }
        return new IllegalStateException("the restored cluster did not recover; its log ends: " + log + "; nothing was restored");
    }

    /**
     * The restored folder's key ring ({@link BackupSecrets#merge}), with the key the restored
     * database records as current; a stored value that no key of the repository opens is named.
     */
    private static BackupSecrets.Ring keyRing(EmbeddedPostgres pg, String database, List<String> baseRing, List<List<String>> rings,
                                               PrintStream out) {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(database), EmbeddedPostgres.SUPERUSER, pg.password())) {
            String recorded = KeyRotationState.read(c).map(KeyRotationState.State::currentKeyId).orElse(null);
            BackupSecrets.Ring ring = BackupSecrets.merge(baseRing, rings, recorded);
            PersonalDataCipher cipher = PersonalDataCipher.fromBase64(ring.current(), ring.retired());
            for (Reencryption.Usage u : Reencryption.usage(c, cipher)) {
                if (u.opensWith() == null && u.values() > 0) {
                    out.println("WARNING: " + u.values() + " values of " + u.stored() + " are under key " + u.keyId()
                            + ", which no backup of this repository holds: they stay unreadable. Take a base backup after every"
                            + " ./gridctl pii-key rotate");
                }
            }
            return ring;
        } catch (SQLException e) {
            out.println("note: database " + database + " of the restored cluster cannot be read (" + e.getMessage()
                    + "); its key ring is the base backup's");
            return BackupSecrets.merge(baseRing, rings, null);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static boolean empty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            return PgProgram.lastLines(Files.readString(log));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    static String local(Instant time) {
        return OffsetDateTime.ofInstant(time, ZoneId.systemDefault()).toString();
    }
}
