package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.db.SqlFile;
import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

/**
 * The record of one import (table import_job) and its rejected rows and warnings (import_reject,
 * told apart by severity), written on a connection of its own in autocommit, so they survive
 * whatever happens to the data transaction: a failed, aborted or killed job still explains itself.
 */
final class ImportJob implements Sink {
    private static final String START = SqlFile.load(ImportJob.class, "import_job_start");
    private static final String SHA = SqlFile.load(ImportJob.class, "import_job_sha");
    private static final String REJECT = SqlFile.load(ImportJob.class, "import_reject");
    private static final String HEARTBEAT = SqlFile.load(ImportJob.class, "import_job_heartbeat");
    private static final String FINISH = SqlFile.load(ImportJob.class, "import_job_finish");
    private static final String REJECTS_CSV = SqlFile.load(ImportJob.class, "import_rejects_csv");

    /** Thrown from the sink when the officer's --max-errors is exceeded: the job stops, nothing is applied. */
    static final class TooManyErrors extends RuntimeException {
        TooManyErrors(String message) {
            super(message, null, false, false);
        }
    }

    private final Connection c;
    private final UUID id;
    private final ImportRequest req;
    private final ImportFile file;
    private final ImportProgress progress;
    private final long t0;
    private final PreparedStatement reject;
    private boolean shaRecorded;
    private int pending;
    private long rejected;
    private long warned;
    private long lastBeat = System.nanoTime();

    private ImportJob(Connection c, UUID id, ImportRequest req, ImportFile file, ImportProgress progress, long t0,
                      boolean shaRecorded) throws SQLException {
        this.c = c;
        this.id = id;
        this.req = req;
        this.file = file;
        this.progress = progress;
        this.t0 = t0;
        this.shaRecorded = shaRecorded;
        this.reject = c.prepareStatement(REJECT);
    }

    /**
     * Records the job as running. The file's SHA-256 goes with it when the file was hashed before it opened,
     * else once the first read has passed the whole file (a heartbeat), and at the end in any case.
     *
     * @param t0 when the job was asked for ({@link System#nanoTime()}), for its duration
     */
    static ImportJob start(Connection c, ImportRequest req, ImportFile file, String optionsJson, ImportProgress progress,
                           long t0) throws SQLException, IOException {
        c.setAutoCommit(true);
        String sha = file.sha256IfRead();
        try (PreparedStatement ps = c.prepareStatement(START)) {
            ps.setString(1, req.dataset().code());
            ps.setString(2, req.file().getFileName().toString());
            ps.setString(3, sha == null ? "" : sha);
            ps.setLong(4, file.bytes());
            ps.setString(5, file.format());
            ps.setString(6, req.submittedBy());
            ps.setString(7, optionsJson);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ImportJob(c, rs.getObject(1, UUID.class), req, file, progress, t0, sha != null);
            }
        }
    }

    UUID id() {
        return id;
    }

    long rejected() {
        return rejected;
    }

    @Override
    public void reject(long row, String field, String value, String en, String zh) throws SQLException {
        rejected++;
        record(row, field, value, en, zh, "error");
        if (req.maxErrors().exceededBy(rejected)) {
            flush();
            throw new TooManyErrors("more than " + req.maxErrors().count() + " rows rejected (--max-errors); nothing applied");
        }
    }

    /** A row that loaded with a change the officer should know of; not a rejection (--max-errors ignores it). */
    @Override
    public void warn(long row, String field, String value, String en, String zh) throws SQLException {
        warned++;
        record(row, field, value, en, zh, "warning");
    }

    private void record(long row, String field, String value, String en, String zh, String severity) throws SQLException {
        reject.setObject(1, id);
        reject.setLong(2, row);
        reject.setString(3, field);
        reject.setString(4, value);
        reject.setString(5, zh);
        reject.setString(6, en);
        reject.setString(7, severity);
        reject.addBatch();
        if (++pending >= 500) {
            flush();
        }
    }

    @Override
    public void progress(String phase, long rowsRead, double fraction) throws SQLException {
        progress.update(phase, rowsRead, rejected, fraction);
        if (System.nanoTime() - lastBeat > 1_000_000_000L) {
            flush();
            try (PreparedStatement ps = c.prepareStatement(HEARTBEAT)) {
                ps.setString(1, phase);
                ps.setLong(2, rowsRead);
                ps.setLong(3, rejected);
                ps.setLong(4, warned);
                ps.setObject(5, id);
                ps.executeUpdate();
            }
            recordShaOnceRead();
            lastBeat = System.nanoTime();
        }
    }

    /** The file's SHA-256, as soon as the first read has passed the whole file. */
    private void recordShaOnceRead() throws SQLException {
        if (shaRecorded) {
            return;
        }
        String sha;
        try {
            sha = file.sha256IfRead();
        } catch (IOException e) {
            return;   // the end of the job reads it again, and fails the job if it must
        }
        if (sha != null) {
            try (PreparedStatement ps = c.prepareStatement(SHA)) {
                ps.setString(1, sha);
                ps.setObject(2, id);
                ps.executeUpdate();
            }
            shaRecorded = true;
        }
    }

    /**
     * Records how the job ended, with the file's SHA-256 (what the reader did not read is read now), and
     * says what it did.
     */
    ImportResult finish(String status, LoadCounts counts, String message) throws SQLException, IOException {
        flush();
        try (PreparedStatement ps = c.prepareStatement(FINISH)) {
            ps.setString(1, status);
            ps.setLong(2, counts.read());
            ps.setLong(3, counts.inserted());
            ps.setLong(4, counts.updated());
            ps.setLong(5, Math.max(0, counts.unchanged()));
            ps.setLong(6, counts.rejected());
            ps.setLong(7, warned);
            ps.setString(8, message);
            ps.setString(9, file.sha256());
            ps.setObject(10, id);
            ps.executeUpdate();
        }
        return new ImportResult(id, req.dataset().code(), status, counts.read(), counts.inserted(), counts.updated(),
                Math.max(0, counts.unchanged()), counts.rejected(), warned, Duration.ofNanos(System.nanoTime() - t0), message);
    }

    private void flush() throws SQLException {
        if (pending > 0) {
            reject.executeBatch();
            pending = 0;
        }
    }

    /**
     * The rejected rows and warnings of a job as CSV (UTF-8 with BOM, so Excel opens the Chinese
     * correctly); severity says which: error (the row was not loaded) or warning (it was, see why).
     */
    static void writeRejectsCsv(Connection c, UUID job, Writer out) throws SQLException, IOException {
        out.write('\uFEFF');
        out.write("row,severity,field,value,reason_zh,reason_en\r\n");
        try (PreparedStatement ps = c.prepareStatement(REJECTS_CSV)) {
            ps.setObject(1, job);
            ps.setFetchSize(5000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.write(rs.getLong(1) + "," + csv(rs.getString(2)) + "," + csv(rs.getString(3)) + ","
                            + csv(rs.getString(4)) + "," + csv(rs.getString(5)) + "," + csv(rs.getString(6)) + "\r\n");
                }
            }
        }
    }

    /** Leading characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
    static final String FORMULA_STARTS = "=+-@\t\r";

    /**
     * One CSV cell: quoted when it holds a comma, quote or line break, and prefixed with ' when it
     * starts like a formula: = + - @, and TAB or CR, which OWASP lists too because a spreadsheet may
     * drop leading whitespace before it decides ("\t=HYPERLINK(...)"). The ' makes the cell text.
     */
    static String csv(String v) {
        if (v == null) {
            return "";
        }
        String safe = !v.isEmpty() && FORMULA_STARTS.indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")
                ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
}
