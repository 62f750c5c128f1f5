package cn.haizhu.grid.importers.load;

/** Live progress of a job, for the shell's progress bar and the import page (both read the same job state). */
@FunctionalInterface
public interface ImportProgress {
    ImportProgress NONE = (phase, read, rejected, fraction) -> { };

    /** @param fraction 0..1 of the input consumed, or -1 when unknown */
    void update(String phase, long rowsRead, long rejected, double fraction);
}
