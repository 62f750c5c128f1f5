package cn.haizhu.grid.importers.load;

import java.time.Duration;

/**
 * What one load did: rows read from the file, rows written (inserted or changed), rows that were
 * already identical, and rows rejected (with the first reasons, the strict importer keeps them all).
 */
public record LoadReport(String dataset, long read, long written, long unchanged, long rejected, Duration took) {
    @Override
    public String toString() {
        return String.format("%-12s read %,d  written %,d  unchanged %,d  rejected %,d  in %.1f s",
                dataset, read, written, unchanged, rejected, took.toMillis() / 1000.0);
    }
}
