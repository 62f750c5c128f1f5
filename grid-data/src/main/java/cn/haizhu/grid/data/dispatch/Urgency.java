package cn.haizhu.grid.data.dispatch;

import java.util.Locale;
import java.util.Optional;

/** How urgent a case is (紧急程度); each category has a time limit for each. */
public enum Urgency {
    URGENT("紧急", "Urgent"),
    NORMAL("一般", "Normal");

    private final String zh;
    private final String en;

    Urgency(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    public String zh() {
        return zh;
    }

    public String en() {
        return en;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Urgency> of(String code) {
        for (Urgency u : values()) {
            if (u.code().equals(code)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
