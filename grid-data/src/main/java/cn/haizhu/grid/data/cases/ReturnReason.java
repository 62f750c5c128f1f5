package cn.haizhu.grid.data.cases;

import cn.haizhu.grid.data.codes.Coded;
import java.util.Optional;

/**
 * Why a worker or department sends a dispatched case back (退单原因). The dispatcher arbitrates:
 * a groundless return is overruled and the original deadline keeps running, so the list is short
 * and specific enough to audit; anything else is OTHER with a comment.
 */
public enum ReturnReason implements CodedReason {
    NOT_OUR_DUTY("非本单位职责", "Not this department's responsibility"),
    OUTSIDE_AREA("不在本网格或辖区", "Outside the assigned grid or area"),
    WRONG_LOCATION("地址不详或定位错误", "Address unclear or location wrong"),
    NOT_FOUND("现场未发现问题", "Problem not found on site"),
    DUPLICATE("重复派遣", "Duplicate of another case"),
    WRONG_CATEGORY("案件分类错误", "Wrong category"),
    BEYOND_MEANS("超出处置能力，需上级协调", "Beyond the handler's means, needs coordination"),
    OTHER("其他（见说明）", "Other (see comment)");

    private final Label label;

    ReturnReason(String zh, String en) {
        this.label = new Label(zh, en);
    }

    public static Optional<ReturnReason> of(String code) {
        return Coded.of(ReturnReason.class, code);
    }

    @Override
    public Label label() {
        return label;
    }
}
