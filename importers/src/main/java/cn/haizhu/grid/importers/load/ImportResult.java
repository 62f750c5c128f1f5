package cn.haizhu.grid.importers.load;

import java.time.Duration;
import java.util.UUID;

/**
 * What an import job did; {@code status} is succeeded, dry_run, aborted or failed (with a message).
 * {@code warned} rows loaded but not exactly as written (a repaired polygon); they are among
 * inserted/updated/unchanged, not among rejected.
 */
public record ImportResult(UUID jobId, String dataset, String status, long read, long inserted, long updated,
                           long unchanged, long rejected, long warned, Duration took, String message) {
    @Override
    public String toString() {
        return String.format("%-11s %-9s read %,d  inserted %,d  updated %,d  unchanged %,d  rejected %,d%s  in %.1f s%s",
                dataset, status, read, inserted, updated, unchanged, rejected,
                warned == 0 ? "" : String.format("  warnings %,d", warned), took.toMillis() / 1000.0,
                message == null ? "" : "  — " + message);
    }
}
