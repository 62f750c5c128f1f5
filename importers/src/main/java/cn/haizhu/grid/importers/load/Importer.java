package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.people.KeyRotationState;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.crs.CoordinateSystems;
import cn.haizhu.grid.importers.crs.SourceCrs;
import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.RecordSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs import jobs: stage → validate → merge for one file, atomically. The data goes in one
 * transaction (a job killed at any moment, or a database restart, leaves the tables as before the
 * job; re-running the file finishes it); the job record and its rejected rows go on a second
 * connection so they survive an abort. Re-importing the same file changes nothing and writes no
 * change-log entries (upserts skip identical rows).
 */
public final class Importer {
    private static final Logger LOG = LoggerFactory.getLogger(Importer.class);
    private final Database db;
    private final Supplier<PersonalDataCipher> keys;

    public Importer(Database db, PersonalDataCipher cipher) {
        this(db, () -> cipher);
    }

    /**
     * @param keys the personal-data key ring as it is now (a server's changes on rotation); each job
     *             takes it once, at its start, and writes all its persons under that one key
     */
    public Importer(Database db, Supplier<PersonalDataCipher> keys) {
        this.db = db;
        this.keys = keys;
    }

    /** The file's columns or encoding cannot work; nothing was loaded (the job records why). */
    public static final class ImportRefused extends Exception {
        private final UUID jobId;

        ImportRefused(UUID jobId, String message, Throwable cause) {
            super(message, cause);
            this.jobId = jobId;
        }

        public UUID jobId() {
            return jobId;
        }
    }

    public ImportResult run(ImportRequest req, ImportProgress progress) throws ImportRefused, IOException, SQLException {
        return run(req, progress, id -> { });
    }

    /**
     * As {@link #run(ImportRequest, ImportProgress)}; {@code onStart} learns the job id once the file
     * has opened and its columns fit the dataset (a refused file throws before that).
     */
    public ImportResult run(ImportRequest req, ImportProgress progress, java.util.function.Consumer<UUID> onStart)
            throws ImportRefused, IOException, SQLException {
        long t0 = System.nanoTime();
        if (!Files.isRegularFile(req.file())) {
            throw new ImportRefused(null, "no such file: " + req.file(), null);
        }
        String sha = sha256(req.file());
        long bytes = Files.size(req.file());
        String format = format(req.file());
        PersonalDataCipher cipher = keys.get();
        try (Connection book = db.connection(); Connection data = db.connection()) {
            ImportJob job = ImportJob.start(book, req, sha, bytes, format, optionsJson(req), progress);
            RecordLoader.Counts counts = new RecordLoader.Counts(0, 0, 0, 0);
            try (RecordSource source = RecordSources.open(req.file(), new RecordSources.Options(req.encoding(), req.sheetOrLayer()))) {
                SourceCrs crs = crs(req, source);
                ColumnMapping mapping = ColumnMapping.resolve(req.dataset(), source.columns(), req.mapping(), source.hasGeometry());
                onStart.accept(job.id());   // the file opens and its columns fit: the job is under way
                data.setAutoCommit(false);
                try (Statement s = data.createStatement()) {
                    // One import per dataset at a time: two merges of the same table would only wait on each other's rows.
                    // A grid import also re-places houses, enterprises and residents, so it takes their locks too
                    // (always in the same order, so two jobs never wait on each other in a circle).
                    for (Dataset d : req.dataset().writes()) {
                        s.execute("SELECT pg_advisory_xact_lock(hashtext('gridctl.import." + d.code() + "'))");
                    }
                }
                RecordLoader loader = loader(req.dataset(), cipher);
                if (req.scoped()) {
                    // the scope as request paths set it, so the same gridctl_scope_allows() judges every row (RecordLoader)
                    try (PreparedStatement ps = data.prepareStatement(
                            "SELECT set_config('gridctl.scope_kind', ?, true), set_config('gridctl.scope_code', ?, true)")) {
                        ps.setString(1, req.scope().kind());
                        ps.setString(2, req.scope().code());
                        ps.execute();
                    }
                    loader.restrictTo(req.scope());
                }
                if (req.dataset() == Dataset.PERSONS) {
                    // Persons are deduplicated on the keyed hash of the ID number, which is only unique under one key.
                    KeyRotationState.requireImportable(data, cipher);
                }
                RecordSources.Options options = new RecordSources.Options(req.encoding(), req.sheetOrLayer());
                counts = loader.load(data, source, () -> RecordSources.open(req.file(), options), mapping, crs,
                        DistrictBounds.load(data), job);
                if (req.maxErrors().exceededBy(counts.rejected(), counts.read())) {
                    throw new ImportJob.TooManyErrors(counts.rejected() + " of " + counts.read()
                            + " rows rejected, over --max-errors; nothing applied");
                }
                String status;
                if (req.dryRun()) {
                    data.rollback();
                    status = "dry_run";
                } else {
                    try (Statement s = data.createStatement()) {
                        s.execute("SELECT refresh_grid_stats()");
                    }
                    data.commit();
                    status = "succeeded";
                }
                job.finish(status, counts, null);
                ImportResult result = result(job, req, status, counts, t0, null);
                LOG.info("{}", result);
                return result;
            } catch (ImportJob.TooManyErrors e) {
                data.rollback();
                RecordLoader.Counts partial = new RecordLoader.Counts(counts.read(), 0, 0, job.rejected());
                job.finish("aborted", partial, e.getMessage());
                return result(job, req, "aborted", partial, t0, e.getMessage());
            } catch (KeyRotationState.ImportsWait e) {
                safeRollback(data);
                job.finish("failed", counts, e.getMessage());
                throw new ImportRefused(job.id(), e.getMessage(), e);
            } catch (ColumnMapping.MappingException e) {
                job.finish("failed", counts, e.getMessage());
                throw new ImportRefused(job.id(), e.getMessage(), e);
            } catch (IOException | IllegalArgumentException e) {
                safeRollback(data);
                job.finish("failed", counts, e.getMessage());
                throw new ImportRefused(job.id(), e.getMessage(), e);
            } catch (SQLException | RuntimeException e) {
                safeRollback(data);
                job.finish("failed", counts, "internal error: " + e.getMessage());
                throw e;
            }
        }
    }

    /** The rejected rows and warnings of a job as a CSV for the officer (row, severity, field, value, reason_zh, reason_en). */
    public void writeRejects(UUID job, Writer out) throws SQLException, IOException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            ImportJob.writeRejectsCsv(c, job, out);
            c.commit();
        }
    }

    private static RecordLoader loader(Dataset dataset, PersonalDataCipher cipher) {
        return switch (dataset) {
            case HOUSES -> new HouseLoader();
            case PERSONS -> new PersonLoader(cipher);
            case ENTERPRISES -> new EnterpriseLoader();
            case GRIDS -> new GridLoader();
        };
    }

    /** The file's own declaration wins; the officer's --crs covers files that declare nothing; else WGS84. */
    private static SourceCrs crs(ImportRequest req, RecordSource source) {
        String declared = source.declaredCrs().orElse(null);
        if (declared != null) {
            SourceCrs fromFile = CoordinateSystems.resolve(declared);
            if (req.crs() != null && !CoordinateSystems.resolve(req.crs()).name().equals(fromFile.name())) {
                LOG.warn("the file declares {}; --crs {} is ignored", fromFile.name(), req.crs());
            }
            return fromFile;
        }
        return CoordinateSystems.resolve(req.crs() != null ? req.crs() : "EPSG:4326");
    }

    private static ImportResult result(ImportJob job, ImportRequest req, String status, RecordLoader.Counts c, long t0,
                                       String message) {
        return new ImportResult(job.id(), req.dataset().code(), status, c.read(), c.inserted(), c.updated(),
                Math.max(0, c.unchanged()), c.rejected(), job.warned(), Duration.ofNanos(System.nanoTime() - t0), message);
    }

    private static void safeRollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the server rolled back already
        }
    }

    static String format(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "unknown" : name.substring(dot + 1);
    }

    private static String optionsJson(ImportRequest req) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"dryRun\":").append(req.dryRun());
        if (req.encoding() != null) {
            sb.append(",\"encoding\":\"").append(req.encoding().name()).append('"');
        }
        if (req.crs() != null) {
            sb.append(",\"crs\":\"").append(req.crs().replace("\"", "")).append('"');
        }
        if (req.scoped()) {
            sb.append(",\"scope\":\"").append(req.scope().kind()).append(' ').append(req.scope().code()).append('"');
        }
        return sb.append('}').toString();
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) != -1) {
                // digesting
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
