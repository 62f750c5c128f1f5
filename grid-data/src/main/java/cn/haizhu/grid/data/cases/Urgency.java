package cn.haizhu.grid.data.cases;

import cn.haizhu.grid.data.codes.Coded;
import cn.haizhu.grid.data.codes.Labelled;
import java.util.Optional;

/** How urgent a case is (紧急程度); each category has a time limit for each. */
public enum Urgency implements Labelled {
    URGENT("紧急", "Urgent"),
    NORMAL("一般", "Normal");

    private final Label label;

    Urgency(String zh, String en) {
        this.label = new Label(zh, en);
    }

    public static Optional<Urgency> of(String code) {
        return Coded.of(Urgency.class, code);
    }

    @Override
    public Label label() {
        return label;
    }
}
