package cn.haizhu.grid.importers.load;

/** A row the loader refuses: the field, its value (personal data masked) and why, in Chinese and English. */
public final class RejectedRow extends Exception {
    private final String field;
    private final String value;
    private final String zh;

    public RejectedRow(String field, String value, String en, String zh) {
        super(en, null, false, false);
        this.field = field;
        this.value = value;
        this.zh = zh;
    }

    /** A later copy of a key in the same file: the first one loads. */
    static RejectedRow duplicate(String field, String value, long firstRow) {
        return new RejectedRow(field, value, "duplicate of row " + firstRow + " in this file", "与本文件第 " + firstRow + " 行重复");
    }

    /** A row that found no place, for its placement's reason. */
    static RejectedRow unplaced(String field, String value, Placement placement) {
        return new RejectedRow(field, value, placement.unplacedEn(), placement.unplacedZh());
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }

    public String zh() {
        return zh;
    }
}
