package cn.haizhu.grid.importers.load;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The record of one import (table import_job) and its rejected rows and warnings (import_reject,
 * told apart by severity), written on a connection of its own in autocommit, so they survive
 * whatever happens to the data transaction: a failed, aborted or killed job still explains itself.
 */
final class ImportJob implements Sink {
    private static final String START = """
            INSERT INTO import_job (dataset, file_name, file_sha256, file_bytes, format, submitted_by, options)
            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id""";
    private static final String REJECT = """
            INSERT INTO import_reject (job_id, row_no, field, value, reason_zh, reason_en, severity)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    private static final String HEARTBEAT = """
            UPDATE import_job SET phase = ?, rows_read = ?, rows_rejected = ?, rows_warned = ?, heartbeat_at = now()
            WHERE id = ?""";
    private static final String FINISH = """
            UPDATE import_job SET status = ?, phase = 'done', rows_read = ?, rows_inserted = ?, rows_updated = ?,
                   rows_unchanged = ?, rows_rejected = ?, rows_warned = ?, message = ?, finished_at = now(),
                   heartbeat_at = now()
            WHERE id = ?""";

    /** Thrown from the sink when the officer's --max-errors is exceeded: the job stops, nothing is applied. */
    static final class TooManyErrors extends RuntimeException {
        TooManyErrors(String message) {
            super(message, null, false, false);
        }
    }

    private final Connection c;
    private final UUID id;
    private final ImportRequest.MaxErrors maxErrors;
    private final ImportProgress progress;
    private final PreparedStatement reject;
    private int pending;
    private long rejected;
    private long warned;
    private long lastBeat = System.nanoTime();

    private ImportJob(Connection c, UUID id, ImportRequest.MaxErrors maxErrors, ImportProgress progress) throws SQLException {
        this.c = c;
        this.id = id;
        this.maxErrors = maxErrors;
        this.progress = progress;
        this.reject = c.prepareStatement(REJECT);
    }

    static ImportJob start(Connection c, ImportRequest req, String sha256, long bytes, String format, String optionsJson,
                           ImportProgress progress) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement(START)) {
            ps.setString(1, req.dataset().code());
            ps.setString(2, req.file().getFileName().toString());
            ps.setString(3, sha256);
            ps.setLong(4, bytes);
            ps.setString(5, format);
            ps.setString(6, req.submittedBy());
            ps.setString(7, optionsJson);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ImportJob(c, rs.getObject(1, UUID.class), req.maxErrors(), progress);
            }
        }
    }

    UUID id() {
        return id;
    }

    long rejected() {
        return rejected;
    }

    long warned() {
        return warned;
    }

    @Override
    public void reject(long row, String field, String value, String en, String zh) throws SQLException {
        rejected++;
        record(row, field, value, en, zh, "error");
        if (maxErrors.exceededBy(rejected)) {
            flush();
            throw new TooManyErrors("more than " + maxErrors.count() + " rows rejected (--max-errors); nothing applied");
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
            lastBeat = System.nanoTime();
        }
    }

    void finish(String status, RecordLoader.Counts counts, String message) throws SQLException {
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
            ps.setObject(9, id);
            ps.executeUpdate();
        }
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
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT row_no, severity, field, value, reason_zh, reason_en FROM import_reject WHERE job_id = ?
                ORDER BY row_no, severity""")) {
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
