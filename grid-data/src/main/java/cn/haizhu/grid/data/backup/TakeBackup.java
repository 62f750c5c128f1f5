package cn.haizhu.grid.data.backup;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.SqlFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./gridctl backup}: one base backup of the embedded cluster into the repository, while the
 * command center keeps serving. Archiving must already run into the same repository (the base's
 * own WAL takes it only to its end; the archive takes it on from there). The base is written under
 * {@code base/<time>.partial}, checked with pg_verifybackup against its manifest, and only then gets
 * its real name: a restore never starts from half a backup.
 */
final class TakeBackup {
    private static final String CLOCK = SqlFile.load(TakeBackup.class, "clock");
    /** How long archiving may take to show that it works before the backup gives up. */
    static final Duration ARCHIVE_PATIENCE = Duration.ofSeconds(60);

    private TakeBackup() {
    }

    static BackupRepository.Base run(GridConfig config, Path requested, PrintStream out) throws Exception {
        if (!config.embedded()) {
            throw new IllegalStateException("db.url names a database of your own (" + config.dbUrl() + "): back it up with its"
                    + " server's own base backups and WAL archiving; ./gridctl backup serves the embedded cluster");
        }
        Path dir = requested == null ? config.backup().dir() : requested.toAbsolutePath().normalize();
        if (dir == null || !dir.equals(config.backup().dir())) {
            throw new IllegalStateException("WAL archiving into " + (dir == null ? "a backup repository" : dir) + " is not configured."
                    + " A backup restores to a point in time only with the WAL after it, which the embedded cluster archives into"
                    + " backup.dir: set backup.dir=" + (dir == null ? "DIR" : dir) + " in gridctl.conf (or "
                    + GridConfig.envName("backup.dir") + "), restart the command center so PostgreSQL starts archiving, then run"
                    + " ./gridctl backup again");
        }
        BackupRepository repo = new BackupRepository(dir);
        repo.create();
        char[] passphrase = passphraseFor(config, repo);
        try (EmbeddedPostgres pg = WalArchiving.cluster(config)) {
            if (!pg.isRunning()) {
                out.println("starting the embedded cluster for the backup (it stops again afterwards)");
                pg.start(config.embeddedDatabase());
            }
            String password = pg.password();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), EmbeddedPostgres.SUPERUSER, password)) {
                WalArchiving.requireArchivingInto(c, repo.wal());
                String segment = WalArchiving.flush(c, repo.wal(), ARCHIVE_PATIENCE);
                out.println("WAL archiving works (segment " + segment + " is in " + repo.wal() + ")");
                return base(config, repo, pg, c, passphrase, out);
            }
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** The passphrase: a repository with secrets already keeps its passphrase; a new one asks for it twice. */
    private static char[] passphraseFor(GridConfig config, BackupRepository repo) throws IOException {
        List<BackupRepository.Base> bases = repo.list();
        if (bases.isEmpty()) {
            return Passphrase.ask(config, "new repository " + repo.dir(), true);
        }
        char[] passphrase = Passphrase.ask(config, repo.dir().toString(), false);
        BackupRepository.Base newest = bases.get(bases.size() - 1);
        try {
            SealedSecrets.open(Files.readAllBytes(newest.secrets()), passphrase);
        } catch (SealedSecrets.WrongPassphrase e) {
            Arrays.fill(passphrase, '\0');
            throw new IllegalStateException("the passphrase does not open the secrets of the newest base backup ("
                    + newest.secrets() + "): every backup of a repository is sealed under the same passphrase; nothing was written");
        }
        return passphrase;
    }

    private static BackupRepository.Base base(GridConfig config, BackupRepository repo, EmbeddedPostgres pg, Connection c,
                                              char[] passphrase, PrintStream out) throws Exception {
        Instant started = clock(c);
        String name = BackupRepository.NAME.format(started);
        Path partial = repo.bases().resolve(name + ".partial");
        Path done = repo.bases().resolve(name);
        if (Files.exists(done) || Files.exists(partial)) {
            throw new IllegalStateException(done + " exists already: one base backup a second");
        }
        Files.createDirectory(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        boolean finished = false;
        try {
            out.println("base backup " + name + " …");
            PgProgram.run("pg_basebackup", List.of("-D", partial.resolve("data").toString(), "--format=plain",
                    "--wal-method=stream", "--checkpoint=fast", "--label=gridctl " + name, "--no-password",
                    "-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", EmbeddedPostgres.SUPERUSER),
                    Map.of("PGPASSWORD", pg.password()));
            Instant end = clock(c);
            BackupRepository.Base base = describe(name, done, partial.resolve("data"), started, end);
            BackupRepository.write(partial, base);
            Map<String, byte[]> secrets = BackupSecrets.collect(config, pg.password());
            Files.write(partial.resolve("secrets.sealed"), SealedSecrets.seal(secrets, passphrase));
            PgProgram.run("pg_verifybackup", List.of("--quiet", partial.resolve("data").toString()), Map.of());
            Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
            finished = true;
            long photos = mirror(config.dataDir().resolve("attachments"), repo.attachments());
            out.printf("base backup %s: %,d MB, verified against its manifest; restorable from %s on%n", name,
                    size(done) >> 20, OffsetDateTime.ofInstant(end, java.time.ZoneId.systemDefault()));
            out.println("key ring sealed: keys " + String.join(", ", BackupSecrets.ids(BackupSecrets.ring(secrets)))
                    + " (current first); " + photos + " new photo files copied");
            return base;
        } finally {
            if (!finished) {
                delete(partial);
            }
        }
    }

    private static final Pattern LSN_RANGE = Pattern.compile(
            "\"Timeline\"\\s*:\\s*(\\d+)\\s*,\\s*\"Start-LSN\"\\s*:\\s*\"([0-9A-F]+/[0-9A-F]+)\"\\s*,\\s*\"End-LSN\"\\s*:\\s*\"([0-9A-F]+/[0-9A-F]+)\"");

    /** Where the base's WAL starts and ends (its manifest) and which cluster it is of (its pg_control). */
    private static BackupRepository.Base describe(String name, Path dir, Path data, Instant started, Instant end) throws IOException {
        String manifest = Files.readString(data.resolve("backup_manifest"), StandardCharsets.UTF_8);
        Matcher m = LSN_RANGE.matcher(manifest);
        long timeline = -1;
        String startLsn = null;
        String endLsn = null;
        while (m.find()) {
            if (startLsn == null) {
                timeline = Long.parseLong(m.group(1));
                startLsn = m.group(2);
            }
            endLsn = m.group(3);
        }
        if (startLsn == null) {
            throw new IllegalStateException("the backup manifest names no WAL range: " + data.resolve("backup_manifest"));
        }
        String control = PgProgram.run("pg_controldata", List.of("-D", data.toString()), Map.of("LC_ALL", "C"));
        return new BackupRepository.Base(name, dir, started, end, timeline, startLsn, endLsn,
                controlValue(control, "Database system identifier"), Long.parseLong(controlValue(control, "Bytes per WAL segment")));
    }

    static String controlValue(String controlData, String label) {
        return controlData.lines().filter(l -> l.startsWith(label + ":")).map(l -> l.substring(label.length() + 1).trim())
                .findFirst().orElseThrow(() -> new IllegalStateException("pg_controldata says nothing of '" + label + "'"));
    }

    private static Instant clock(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CLOCK)) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /**
     * Copies the photo files that {@code to} does not have yet (a photo never changes once stored):
     * the repository holds every photo up to the latest base backup. Returns how many it copied.
     */
    static long mirror(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return 0;
        }
        long copied = 0;
        try (var walk = Files.walk(from)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (!Files.exists(target) || Files.size(target) != Files.size(file)) {
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    copied++;
                }
            }
        }
        return copied;
    }

    static long size(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            long total = 0;
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
