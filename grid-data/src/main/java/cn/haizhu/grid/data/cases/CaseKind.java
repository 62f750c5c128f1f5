package cn.haizhu.grid.data.cases;

import java.util.Optional;

/** The two kinds of case of 数字城管: a damaged or missing thing (部件) or a happening (事件). */
public enum CaseKind {
    COMPONENT("BJ", "部件", "Component"),
    EVENT("SJ", "事件", "Event");

    private final String prefix;
    private final String zh;
    private final String en;

    CaseKind(String prefix, String zh, String en) {
        this.prefix = prefix;
        this.zh = zh;
        this.en = en;
    }

    /** The two letters category codes of this kind start with: BJ (部件) or SJ (事件). */
    public String prefix() {
        return prefix;
    }

    public String zh() {
        return zh;
    }

    public String en() {
        return en;
    }

    public static Optional<CaseKind> ofPrefix(String prefix) {
        for (CaseKind k : values()) {
            if (k.prefix.equals(prefix)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
