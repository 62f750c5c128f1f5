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
