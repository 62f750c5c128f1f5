package cn.haizhu.grid.data.backup;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A backup repository, one folder:
 * <pre>
 *   base/&lt;UTC time&gt;/data/             a base backup: pg_basebackup, plain format, with its backup_manifest
 *   base/&lt;UTC time&gt;/backup.properties  when it began and ended, where its WAL starts, the cluster it is of
 *   base/&lt;UTC time&gt;/secrets.sealed     the personal-data key ring and the cluster's password, under the passphrase
 *   base/&lt;UTC time&gt;.partial/           a base backup under way, or one that failed (never restored from)
 *   wal/&lt;segment&gt;.gz                   every WAL segment, archived by PostgreSQL as it closes one
 *   wal/ARCHIVER                         the cluster folder that archives here (one cluster per repository)
 *   attachments/                         the case photos, as of the last base backup
 * </pre>
 * As root the cluster runs as the postgres user, who writes {@code wal/}; the repository folder
 * is then 0711 (postgres may pass through, nobody else may list it) and everything else root's, 0700.
 */
final class BackupRepository {
    static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;

    BackupRepository(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    Path wal() {
        return dir.resolve("wal");
    }

    Path bases() {
        return dir.resolve("base");
    }

    Path attachments() {
        return dir.resolve("attachments");
    }

    /** Creates the folders a first backup needs, private to this user (and passable for postgres when root). */
    void create() throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        for (Path p : List.of(dir, bases(), attachments())) {
            if (!Files.isDirectory(p)) {
                Files.createDirectories(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(p.equals(dir) && root ? "rwx--x--x" : "rwx------"));
            }
        }
    }

    /** A finished base backup of this repository. */
    record Base(String name, Path dir, Instant started, Instant finished, long timeline, String startLsn, String endLsn,
                String systemId, long segmentSize) {
        Path data() {
            return dir.resolve("data");
        }

        Path secrets() {
            return dir.resolve("secrets.sealed");
        }

        WalSegments.Segment firstSegment() {
            return WalSegments.of(timeline, startLsn, segmentSize);
        }

        WalSegments.Segment lastSegment() {
            return WalSegments.of(timeline, endLsn, segmentSize);
        }
    }

    /** The finished base backups, oldest first. */
    List<Base> list() throws IOException {
        if (!Files.isDirectory(bases())) {
            return List.of();
        }
        List<Base> found = new ArrayList<>();
        try (var entries = Files.list(bases())) {
            for (Path p : entries.filter(Files::isDirectory).toList()) {
                Path props = p.resolve("backup.properties");
                if (!p.getFileName().toString().endsWith(".partial") && Files.isRegularFile(props)) {
                    found.add(read(p, props));
                }
            }
        }
        found.sort(Comparator.comparing(Base::finished));
        return List.copyOf(found);
    }

    /** The newest base backup that ended at or before {@code time}: the one a restore to that time starts from. */
    Optional<Base> newestEndedBy(Instant time) throws IOException {
        Base chosen = null;
        for (Base b : list()) {
            if (!b.finished().isAfter(time)) {
                chosen = b;
            }
        }
        return Optional.ofNullable(chosen);
    }

    static void write(Path baseDir, Base b) throws IOException {
        Properties p = new Properties();
        p.setProperty("started", b.started().toString());
        p.setProperty("finished", b.finished().toString());
        p.setProperty("timeline", Long.toString(b.timeline()));
        p.setProperty("start.lsn", b.startLsn());
        p.setProperty("end.lsn", b.endLsn());
        p.setProperty("system.identifier", b.systemId());
        p.setProperty("wal.segment.size", Long.toString(b.segmentSize()));
        try (var out = Files.newBufferedWriter(baseDir.resolve("backup.properties"), StandardCharsets.UTF_8)) {
            p.store(out, "a base backup of the gridctl embedded cluster; restore with ./gridctl restore");
        }
    }

    private static Base read(Path dir, Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        try {
            return new Base(dir.getFileName().toString(), dir, Instant.parse(p.getProperty("started")),
                    Instant.parse(p.getProperty("finished")), Long.parseLong(p.getProperty("timeline")),
                    p.getProperty("start.lsn"), p.getProperty("end.lsn"), p.getProperty("system.identifier"),
                    Long.parseLong(p.getProperty("wal.segment.size")));
        } catch (RuntimeException e) {
            throw new IOException(file + " is damaged: " + e.getMessage(), e);
        }
    }
}
