package cn.haizhu.grid.importers.load;

/** What a load did: rows read, inserted, updated and rejected; the rest were unchanged. */
public record LoadCounts(long read, long inserted, long updated, long rejected) {
    static final LoadCounts NONE = new LoadCounts(0, 0, 0, 0);

    public long unchanged() {
        return read - inserted - updated - rejected;
    }
}
