package cn.haizhu.grid.importers.load;

import java.time.Duration;
import java.util.UUID;

/** What an import job did; {@code status} is succeeded, dry_run, aborted or failed (with a message). */
public record ImportResult(UUID jobId, String dataset, String status, long read, long inserted, long updated,
                           long unchanged, long rejected, Duration took, String message) {
    @Override
    public String toString() {
        return String.format("%-11s %-9s read %,d  inserted %,d  updated %,d  unchanged %,d  rejected %,d  in %.1f s%s",
                dataset, status, read, inserted, updated, unchanged, rejected, took.toMillis() / 1000.0,
                message == null ? "" : "  — " + message);
    }
}
