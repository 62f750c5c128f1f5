package cn.haizhu.grid.data.cases;

import cn.haizhu.grid.data.codes.Coded;
import cn.haizhu.grid.data.codes.Labelled;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What an actor does to a case. Which action is legal in which state, and for whom, is the table
 * in {@link CaseWorkflow}. Three actions need a coded reason: {@link #RETURN} a {@link ReturnReason},
 * {@link #RETURN_UP} a {@link ReturnUpReason}, {@link #REQUEST_EXTENSION} an {@link ExtensionReason}.
 */
public enum CaseAction implements Labelled {
    VERIFY("派核实", "send for verification"),
    REPORT_VERIFICATION("核实反馈", "report verification"),
    FILE("立案", "file"),
    REJECT("不予立案", "reject"),
    SELF_HANDLE("自行处置", "handle on the spot"),
    DISPATCH("派遣", "dispatch"),
    SIGN("签收", "sign for"),
    RETURN("退单", "return"),
    /** 退回上级: a work order from a level above goes back to it (非本辖区 …), with a {@link ReturnUpReason}. */
    RETURN_UP("退回上级", "return to the level above"),
    REDISPATCH("驳回退单", "overrule the return"),
    ACCEPT_RETURN("同意退单", "accept the return"),
    START_HANDLING("开始处置", "start handling"),
    REQUEST_EXTENSION("申请延期", "request an extension"),
    GRANT_EXTENSION("批准延期", "grant the extension"),
    REFUSE_EXTENSION("不批准延期", "refuse the extension"),
    SUSPEND("缓办", "suspend"),
    RESUME("恢复办理", "resume"),
    FEEDBACK("处置反馈", "report done"),
    START_CHECK("派核查", "send for checking"),
    CLOSE("核查通过结案", "pass the check and close"),
    REWORK("核查不通过返工", "fail the check (rework)"),
    EVALUATE("回访评价", "evaluate"),
    REOPEN("回访不满意重办", "reopen"),
    REQUEST_JOINT_REVIEW("提请联合审定", "send to joint review"),
    REVIEW_OPINION("会审意见", "record a review opinion"),
    REVIEW_DISPATCH("审定后派遣", "dispatch as jointly decided"),
    REVIEW_CLOSE("审定后结案", "close as jointly decided");

    private final Label label;

    CaseAction(String zh, String en) {
        this.label = new Label(zh, en);
    }

    /** The kind of coded reason this action must carry, or null if it takes none. */
    public Class<? extends CodedReason> reasonType() {
        return switch (this) {
            case RETURN -> ReturnReason.class;
            case RETURN_UP -> ReturnUpReason.class;
            case REQUEST_EXTENSION -> ExtensionReason.class;
            default -> null;
        };
    }

    /** The coded reasons this action offers, in list order; empty if it takes none. */
    public List<CodedReason> reasons() {
        Class<? extends CodedReason> type = reasonType();
        return type == null ? List.of() : Arrays.asList(type.getEnumConstants());
    }

    /** The reason of this action's list with {@code code}, or empty (an unknown code, or an action without reasons). */
    public Optional<CodedReason> reason(String code) {
        return reasons().stream().filter(r -> r.code().equals(code)).findFirst();
    }

    /** What the reason of this action is called ("退单原因"), in Chinese and English; null if it takes none. */
    public Label reasonName() {
        Class<? extends CodedReason> type = reasonType();
        if (type == null) {
            return null;
        }
        return type == ExtensionReason.class ? new Label("延期原因", "extension reason")
                : type == ReturnUpReason.class ? new Label("退回上级原因", "reason for returning to the level above")
                : new Label("退单原因", "return reason");
    }

    public static Optional<CaseAction> of(String code) {
        return Coded.of(CaseAction.class, code);
    }

    @Override
    public Label label() {
        return label;
    }
}
