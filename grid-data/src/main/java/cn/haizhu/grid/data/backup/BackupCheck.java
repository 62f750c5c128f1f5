package cn.haizhu.grid.data.backup;

import cn.haizhu.grid.data.config.GridConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./gridctl backup verify}: whether a repository would restore, without restoring it. Each
 * base backup against its manifest (pg_verifybackup: every file's size and checksum, and its own WAL
 * parsed through); the archived WAL from the oldest base on, segment by segment with no gap, each one
 * unpacking to a whole segment of this cluster; and each base's secrets opening under the passphrase
 * with a key ring inside. Prints what it found and the span a restore can reach; false if anything fails.
 */
final class BackupCheck {
    private BackupCheck() {
    }

    static boolean run(GridConfig config, Path dir, PrintStream out) throws IOException {
        BackupRepository repo = new BackupRepository(dir);
        List<BackupRepository.Base> bases = repo.list();
        List<String> problems = new ArrayList<>();
        if (bases.isEmpty()) {
            out.println("no finished base backup in " + repo.bases());
            return false;
        }
        try (var entries = Files.list(repo.bases())) {
            entries.filter(p -> p.getFileName().toString().endsWith(".partial"))
                    .forEach(p -> out.println("note: " + p + " is an interrupted base backup (never restored from); remove it"));
        }
        char[] passphrase = Passphrase.ask(config, repo.dir().toString(), false);
        try {
            for (BackupRepository.Base b : bases) {
                String problem = problemOf(b, passphrase, out);
                if (problem != null) {
                    out.println("base " + b.name() + ": " + problem);
                    problems.add("base " + b.name() + ": " + problem);
                }
            }
        } finally {
            Arrays.fill(passphrase, '\0');
        }
        Instant reach = checkWal(repo, bases, problems, out);
        if (problems.isEmpty()) {
            out.println("restorable: from " + Restore.local(bases.get(0).finished()) + " to about "
                    + Restore.local(reach) + " (the newest archived segment)");
            return true;
        }
        out.println("NOT restorable as it stands:");
        problems.forEach(p -> out.println("  " + p));
        return false;
    }

    /** Null when the base is sound (and says so on {@code out}), else what is wrong with it. */
    private static String problemOf(BackupRepository.Base b, char[] passphrase, PrintStream out) throws IOException {
        try {
            PgProgram.run("pg_verifybackup", List.of("--quiet", b.data().toString()), Map.of());
        } catch (IllegalStateException e) {
            return "pg_verifybackup: " + e.getMessage();
        }
        try {
            List<String> ring = BackupSecrets.ring(SealedSecrets.open(Files.readAllBytes(b.secrets()), passphrase));
            out.println("base " + b.name() + " (ended " + Restore.local(b.finished()) + "): ok, verified against its manifest;"
                    + " key ring " + String.join(", ", BackupSecrets.ids(ring)));
            return null;
        } catch (SealedSecrets.WrongPassphrase e) {
            return "its secrets do not open with this passphrase";
        } catch (RuntimeException e) {
            return "its secrets are unreadable: " + e.getMessage();
        }
    }

    /**
     * The archive from the oldest base's first segment on: per timeline, no segment missing from the
     * first needed to the newest, and each sound. Returns the time of the newest segment.
     */
    private static Instant checkWal(BackupRepository repo, List<BackupRepository.Base> bases, List<String> problems, PrintStream out)
            throws IOException {
        BackupRepository.Base oldest = bases.get(0);
        long size = oldest.segmentSize();
        TreeMap<WalSegments.Segment, Path> archived = new TreeMap<>();
        Instant newest = oldest.finished();
        if (Files.isDirectory(repo.wal())) {
            try (var files = Files.list(repo.wal())) {
                for (Path f : files.toList()) {
                    var segment = WalSegments.parse(f.getFileName().toString(), size);
                    if (segment.isPresent() && f.getFileName().toString().endsWith(".gz")) {
                        archived.put(segment.get(), f);
                    }
                }
            }
        }
        WalSegments.Segment first = oldest.firstSegment();
        long older = archived.headMap(first).size();
        if (older > 0) {
            out.println("note: " + older + " archived segments are older than the oldest base backup; no restore needs them"
                    + " (pg_archivecleanup -x .gz " + repo.wal() + " " + first.name(size) + " removes them)");
        }
        var needed = archived.tailMap(first, true);
        Map<Long, List<WalSegments.Segment>> byTimeline = new TreeMap<>();
        needed.keySet().forEach(s -> byTimeline.computeIfAbsent(s.timeline(), t -> new ArrayList<>()).add(s));
        if (!byTimeline.containsKey(first.timeline()) || byTimeline.get(first.timeline()).get(0).number() != first.number()) {
            problems.add("WAL: segment " + first.name(size) + ", where the oldest base backup begins, is not in " + repo.wal());
        }
        for (var timeline : byTimeline.entrySet()) {
            if (timeline.getKey() != first.timeline()
                    && !Files.exists(repo.wal().resolve(String.format("%08X.history.gz", timeline.getKey())))) {
                problems.add("WAL: timeline " + timeline.getKey() + " has segments but no history file");
            }
            List<WalSegments.Segment> segments = timeline.getValue();
            for (int i = 1; i < segments.size(); i++) {
                long gapFrom = segments.get(i - 1).number() + 1;
                if (segments.get(i).number() != gapFrom) {
                    problems.add("WAL: missing " + new WalSegments.Segment(timeline.getKey(), gapFrom).name(size)
                            + (segments.get(i).number() - gapFrom > 1 ? " to " + new WalSegments.Segment(timeline.getKey(),
                            segments.get(i).number() - 1).name(size) : "") + ": no restore gets past it");
                }
            }
        }
        for (var entry : needed.entrySet()) {
            String wrong = WalSegments.problem(entry.getValue(), entry.getKey(), size, oldest.systemId());
            if (wrong != null) {
                problems.add("WAL: " + entry.getValue().getFileName() + " " + wrong);
            }
            Instant written = Files.getLastModifiedTime(entry.getValue()).toInstant();
            newest = written.isAfter(newest) ? written : newest;
        }
        out.println("WAL: " + needed.size() + " segments archived from " + first.name(size)
                + (needed.isEmpty() ? "" : " to " + needed.lastKey().name(size)) + ", checked");
        return newest;
    }
}
