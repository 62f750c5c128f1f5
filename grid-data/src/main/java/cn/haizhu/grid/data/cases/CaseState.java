package cn.haizhu.grid.data.cases;

import cn.haizhu.grid.data.codes.Coded;
import cn.haizhu.grid.data.codes.Labelled;
import java.util.Optional;

/**
 * Where a case stands in the 数字城管 closed loop (GB/T 30428), with 12345 work orders in the same
 * model. {@link CaseWorkflow} says which actions lead from one state to another.
 *
 * <p>{@link #isOpen()} is the Open311 status: a case is "closed" to the outside once it is closed,
 * evaluated or rejected, or returned to the level above (it is no longer this level's to handle);
 * everything else is "open".
 */
public enum CaseState implements Labelled {
    REPORTED("已上报", "Reported"),
    VERIFYING("核实中", "Being verified"),
    FILED("已立案", "Filed"),
    REJECTED("不予立案", "Rejected"),
    DISPATCHED("已派遣", "Dispatched"),
    RETURNED("已退单", "Returned"),
    /** A work order from a level above, sent back to it (退回上级); that level decides where it goes next. */
    RETURNED_UP("已退回上级", "Returned to the level above"),
    SIGNED("已签收", "Signed for"),
    IN_PROCESS("处置中", "In process"),
    SUSPENDED("缓办", "Suspended"),
    DONE_FEEDBACK("已反馈", "Done, reported back"),
    SELF_HANDLED("自行处置", "Handled on the spot"),
    CHECKING("核查中", "Being checked"),
    CLOSED("已结案", "Closed"),
    EVALUATED("已回访", "Evaluated"),
    REOPENED("重办", "Reopened"),
    JOINT_REVIEW("联合审定", "In joint review");

    private final Label label;

    CaseState(String zh, String en) {
        this.label = new Label(zh, en);
    }

    /** False once the case has ended here: closed, evaluated, rejected, or returned to the level above. */
    public boolean isOpen() {
        return this != CLOSED && this != EVALUATED && this != REJECTED && this != RETURNED_UP;
    }

    /**
     * True for states no action leaves (不予立案, 已回访). A case returned to the level above is not
     * final: that level may overrule the return and send it back.
     */
    public boolean isFinal() {
        return this == REJECTED || this == EVALUATED;
    }

    public static Optional<CaseState> of(String code) {
        return Coded.of(CaseState.class, code);
    }

    @Override
    public Label label() {
        return label;
    }
}
