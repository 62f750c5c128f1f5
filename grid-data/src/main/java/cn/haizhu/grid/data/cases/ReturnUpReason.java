package cn.haizhu.grid.data.cases;

import cn.haizhu.grid.data.codes.Coded;
import java.util.Optional;

/**
 * Why a level sends a work order back to the level it came from (退回上级, a 退单 to the city's
 * 12345 platform). The origin reads the code to decide where the order goes next, so the list says
 * what the origin must do about it; anything else is OTHER with a comment.
 */
public enum ReturnUpReason implements CodedReason {
    NOT_OUR_JURISDICTION("非本辖区", "Not in this level's jurisdiction"),
    NOT_OUR_REMIT("不属本级职责，应由上级部门办理", "Not this level's remit: a department above handles it"),
    ADDRESS_UNKNOWN("地址不详，无法定位", "Address unclear, cannot be located"),
    DUPLICATE_ORDER("重复派单", "Duplicate of another work order"),
    NOT_A_GRID_MATTER("不属网格化管理事项（涉法涉诉、信访等）", "Not a grid-management matter (litigation, petitions …)"),
    OTHER("其他（见说明）", "Other (see comment)");

    private final Label label;

    ReturnUpReason(String zh, String en) {
        this.label = new Label(zh, en);
    }

    public static Optional<ReturnUpReason> of(String code) {
        return Coded.of(ReturnUpReason.class, code);
    }

    @Override
    public Label label() {
        return label;
    }
}
