package cn.haizhu.grid.data.cases;

import cn.haizhu.grid.data.codes.Coded;
import cn.haizhu.grid.data.codes.Labelled;
import java.util.Optional;

/**
 * The caller's verdict at 回访 (the evaluation of a closed case), as 12345 platforms record it. A
 * verdict of {@link #DISSATISFIED} may still be archived ({@link CaseAction#EVALUATE}); whether the
 * case is redone instead is the evaluating level's decision ({@link CaseAction#REOPEN}).
 */
public enum Satisfaction implements Labelled {
    SATISFIED("满意", "Satisfied"),
    BASICALLY_SATISFIED("基本满意", "Basically satisfied"),
    DISSATISFIED("不满意", "Dissatisfied");

    private final Label label;

    Satisfaction(String zh, String en) {
        this.label = new Label(zh, en);
    }

    public static Optional<Satisfaction> of(String code) {
        return Coded.of(Satisfaction.class, code);
    }

    @Override
    public Label label() {
        return label;
    }
}
