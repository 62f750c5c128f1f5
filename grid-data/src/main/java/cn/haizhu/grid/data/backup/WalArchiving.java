package cn.haizhu.grid.data.backup;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.SqlFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * Continuous WAL archiving of the embedded cluster into the backup repository ({@code backup.dir}).
 * The settings are the configuration's, written into the cluster at every start through the
 * launcher's settings hook ({@link EmbeddedPostgres#settings}): archive_mode needs a PostgreSQL
 * start to change, and a cluster whose configuration names no repository archives nothing.
 *
 * <p>Each closed segment is gzipped into {@code wal/}: written under a temporary name, flushed to disk,
 * then renamed, so the repository never holds half a segment under a real name. A segment already
 * there with the same content counts as archived (PostgreSQL may ask again after a crash); one with
 * other content is refused, and archiving stops there until someone looks.
 */
public final class WalArchiving {
    /** The settings file's name in the cluster ({@code gridctl.conf.d/backup.conf}). */
    static final String FEATURE = "backup";
    private static final String WRITE_COMMIT = SqlFile.load(WalArchiving.class, "write_commit");
    private static final String SWITCH_WAL = SqlFile.load(WalArchiving.class, "switch_wal");
    private static final String ARCHIVER_STATE = SqlFile.load(WalArchiving.class, "archiver_state");
    private static final String ARCHIVE_SETTINGS = SqlFile.load(WalArchiving.class, "archive_settings");

    private WalArchiving() {
    }

    /**
     * The embedded cluster of {@code config}, set to archive into its backup repository when one is
     * configured (and not to, when none is). What {@code Database.open} and {@code ./gridctl db} start.
     */
    public static EmbeddedPostgres cluster(GridConfig config) {
        EmbeddedPostgres pg = new EmbeddedPostgres(config.embeddedDir(), config.embeddedPort());
        if (!config.backup().archiving()) {
            return pg.settings(FEATURE, Map.of());
        }
        BackupRepository repo = new BackupRepository(config.backup().dir());
        try {
            repo.create();
            if (!Files.isDirectory(repo.wal())) {
                Files.createDirectories(repo.wal());
                // the WAL holds every record in clear but the sealed personal fields: for the cluster's user only
                Files.setPosixFilePermissions(repo.wal(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                pg.handToClusterUser(repo.wal(), false);
            }
            claim(repo, pg.clusterDir());
            keepHistories(repo, pg.clusterDir());
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the backup repository " + repo.dir() + ": " + e.getMessage(), e);
        }
        return pg.settings(FEATURE, settings(repo.wal(), config.backup().archiveTimeoutSeconds()));
    }

    static Map<String, String> settings(Path wal, int timeoutSeconds) {
        return Map.of(
                "archive_mode", "on",
                "archive_command", archiveCommand(wal),
                "archive_timeout", timeoutSeconds + "s");
    }

    /**
     * One repository takes the WAL of one cluster. A second cluster archiving into it (a restored
     * copy started with the same configuration) would add a second history beside the first, and a
     * later restore could follow the wrong one; so the first cluster to archive here is recorded,
     * and another is refused with what to do.
     */
    private static void claim(BackupRepository repo, Path clusterDir) throws IOException {
        Path marker = repo.wal().resolve("ARCHIVER");
        String me = clusterDir.toAbsolutePath().normalize().toString();
        if (!Files.exists(marker)) {
            Files.writeString(marker, me + "\n", StandardCharsets.UTF_8);
            return;
        }
        String owner = Files.readString(marker, StandardCharsets.UTF_8).trim();
        if (!owner.equals(me)) {
            throw new IllegalStateException("the backup repository " + repo.dir() + " takes the WAL of the cluster in " + owner
                    + ", not of " + me + ": two clusters archiving into one repository would mix their histories."
                    + " Give this one its own backup.dir (or unset it, " + GridConfig.envName("backup.dir") + "=, for a trial restore);"
                    + " if this cluster replaces that one for good (a restore after losing it), delete " + marker
                    + " and take a base backup (./gridctl backup) once it runs");
        }
    }

    /**
     * A restored cluster begins a new timeline, and its history file (which says where it branched)
     * was written while it did not archive. A restore that must follow that timeline needs the file
     * in the repository, so every history file of the cluster goes there if missing (a few bytes
     * each); PostgreSQL, offering it again later, finds the same content and goes on.
     */
    private static void keepHistories(BackupRepository repo, Path clusterDir) throws IOException {
        Path walOfCluster = clusterDir.resolve("pg_wal");
        if (!Files.isReadable(walOfCluster)) {
            return;
        }
        try (var files = Files.list(walOfCluster)) {
            for (Path history : files.filter(f -> f.getFileName().toString().matches("[0-9A-F]{8}\\.history")).toList()) {
                Path archived = repo.wal().resolve(history.getFileName() + ".gz");
                if (!Files.exists(archived)) {
                    Path part = repo.wal().resolve(history.getFileName() + ".gz.part");
                    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(part))) {
                        Files.copy(history, out);
                    }
                    Files.move(part, archived, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
    }

    /** PostgreSQL's archive_command for the folder {@code wal} (a path without ' or %, which GridConfig ensures). */
    static String archiveCommand(Path wal) {
        String dir = wal.toString();
        return "f='" + dir + "/%f.gz'; if [ -f \"$f\" ]; then gzip -dc \"$f\" | cmp -s - \"%p\";"
                + " else gzip -c \"%p\" > \"$f.part\" && sync \"$f.part\" && mv \"$f.part\" \"$f\" && sync '" + dir + "'; fi";
    }

    /** PostgreSQL's restore_command reading the same folder: a segment that is not there is a plain failure. */
    static String restoreCommand(Path wal) {
        return "f='" + wal + "/%f.gz'; [ -f \"$f\" ] && gzip -dc \"$f\" > \"%p\"";
    }

    /**
     * Refuses when the running cluster does not archive into {@code wal} (started before backup.dir
     * was set, or with another one): a base backup without its WAL restores to its own end only.
     */
    static void requireArchivingInto(Connection c, Path wal) throws SQLException {
        String mode;
        String command;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(ARCHIVE_SETTINGS)) {
            rs.next();
            mode = rs.getString(1);
            command = rs.getString(2);
        }
        if (!"on".equals(mode) || !archiveCommand(wal).equals(command)) {
            throw new IllegalStateException("the running embedded cluster does not archive its WAL into " + wal
                    + " (archive_mode=" + mode + "): it was started before backup.dir named this repository."
                    + " Restart the command center (or ./gridctl db stop, then start) so that it reads backup.dir; archive_mode"
                    + " changes only when PostgreSQL starts");
        }
    }

    /**
     * Closes the current WAL segment and waits until it is in the repository: proof that archiving
     * works, and the point up to which a restore can now reach. Returns the segment's file name.
     */
    public static String flush(Connection c, Path wal, Duration patience) throws SQLException, InterruptedException {
        String segment;
        try (Statement s = c.createStatement()) {
            s.execute(WRITE_COMMIT);
            try (ResultSet rs = s.executeQuery(SWITCH_WAL)) {
                rs.next();
                segment = rs.getString(1);
            }
        }
        long deadline = System.nanoTime() + patience.toNanos();
        while (!Files.exists(wal.resolve(segment + ".gz"))) {
            if (System.nanoTime() > deadline) {
                String failure = "";
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(ARCHIVER_STATE)) {
                    if (rs.next() && rs.getString(1) != null) {
                        failure = "; PostgreSQL last failed to archive " + rs.getString(1) + " at " + rs.getString(2)
                                + " (its log, postgres.log in the cluster folder, says why)";
                    }
                }
                throw new IllegalStateException("WAL segment " + segment + " did not reach " + wal + " within "
                        + patience.toSeconds() + " s" + failure);
            }
            Thread.sleep(100);
        }
        return segment;
    }
}
