package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.people.KeyRotationState;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.crs.CoordinateSystems;
import cn.haizhu.grid.importers.crs.SourceCrs;
import cn.haizhu.grid.importers.source.RecordSource;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs import jobs: one file into one dataset, atomically. A row's way, in one direction:
 * <ol>
 *   <li>the file is opened once ({@link ImportFile}: the format from its first bytes, the SHA-256 as it
 *       is read) and its job recorded ({@link ImportJob}, on a connection of its own in autocommit, so
 *       the job and its rejected rows survive an abort; it is also where rejects and progress go);</li>
 *   <li>the reader for its format ({@code source/}) gives records; the columns are mapped to the
 *       dataset's fields and the coordinates' system is settled;</li>
 *   <li>the data transaction takes the dataset's locks (and the caller's scope), and {@link Load}
 *       chooses how the records load, from the dataset's {@link DatasetSpec}: each row is checked, placed
 *       and COPYed into the table;</li>
 *   <li>commit (a dry run rolls back), and the job records what happened.</li>
 * </ol>
 * A job killed at any moment, or a database restart, leaves the tables as before it; re-running the file
 * finishes it. Re-importing the same file changes nothing and writes no change-log entries.
 */
public final class Importer {
    private static final Logger LOG = LoggerFactory.getLogger(Importer.class);
    private static final String LOCK = SqlFile.load(Importer.class, "import_lock");
    private static final String SCOPE = SqlFile.load(Importer.class, "import_scope");
    private static final String REFRESH_GRID_STATS = SqlFile.load(Importer.class, "refresh_grid_stats");
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
    public ImportResult run(ImportRequest req, ImportProgress progress, Consumer<UUID> onStart)
            throws ImportRefused, IOException, SQLException {
        long t0 = System.nanoTime();
        if (!Files.isRegularFile(req.file())) {
            throw new ImportRefused(null, "no such file: " + req.file(), null);
        }
        PersonalDataCipher cipher = keys.get();
        DatasetSpec spec = DatasetSpecs.of(req.dataset(), cipher);
        try (ImportFile file = ImportFile.of(req); Connection book = db.connection(); Connection data = db.connection()) {
            ImportJob job = ImportJob.start(book, req, file, optionsJson(req), progress, t0);
            LoadCounts counts = LoadCounts.NONE;
            try (RecordSource source = file.records()) {
                SourceCrs crs = crs(req, source);
                ColumnMapping mapping = ColumnMapping.resolve(req.dataset(), source.columns(), req.mapping(), req.values(),
                        source.hasGeometry());
                onStart.accept(job.id());   // the file opens and its columns fit: the job is under way
                data.setAutoCommit(false);
                try (Statement s = data.createStatement()) {
                    lock(data, req);
                    ImportLevel.requireImportable(data, req.dataset());
                    if (req.dataset() == Dataset.PERSONS) {
                        // Persons are deduplicated on the keyed hash of the ID number, which is only unique under one key.
                        KeyRotationState.requireImportable(data, cipher);
                    }
                    LoadContext ctx = new LoadContext(data, s, mapping, crs, DistrictBounds.load(data), job);
                    counts = Load.run(spec, ctx, source, file::reopen, req.scope());
                }
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
                        s.execute(REFRESH_GRID_STATS);
                    }
                    data.commit();
                    status = "succeeded";
                }
                ImportResult result = job.finish(status, counts, null);
                LOG.info("{}", result);
                return result;
            } catch (ImportJob.TooManyErrors e) {
                data.rollback();
                return job.finish("aborted", new LoadCounts(counts.read(), 0, 0, job.rejected()), e.getMessage());
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

    /**
     * The data transaction's locks: one import per dataset at a time. A grid import also re-places houses,
     * enterprises and residents, so it takes their locks too (always in the same order, so two jobs never
     * wait on each other in a circle). A scoped import sets the caller's scope, as request paths do.
     */
    private static void lock(Connection data, ImportRequest req) throws SQLException {
        try (PreparedStatement ps = data.prepareStatement(LOCK)) {
            for (Dataset d : req.dataset().writes()) {
                ps.setString(1, "gridctl.import." + d.code());
                ps.execute();
            }
        }
        if (req.scoped()) {
            try (PreparedStatement ps = data.prepareStatement(SCOPE)) {
                ps.setString(1, req.scope().kind());
                ps.setString(2, req.scope().code());
                ps.execute();
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

    private static void safeRollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the server rolled back already
        }
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
        if (!req.values().isEmpty()) {
            sb.append(",\"mapValues\":").append(req.values().json());
        }
        if (req.scoped()) {
            sb.append(",\"scope\":\"").append(req.scope().kind()).append(' ').append(req.scope().code()).append('"');
        }
        return sb.append('}').toString();
    }
}
