package cn.haizhu.grid.data.cases;

import cn.haizhu.grid.data.codes.Coded;
import java.util.Optional;

/** Why a handler asks for more time (延期原因); the dispatcher grants or refuses. */
public enum ExtensionReason implements CodedReason {
    WEATHER("天气原因无法施工", "Weather prevents the work"),
    MATERIALS("需采购材料或设备", "Materials or equipment must be bought"),
    LARGE_WORKS("工程量大需分期施工", "Large works done in stages"),
    COORDINATION("需多部门协调", "Several departments must coordinate"),
    APPROVAL("需办理审批手续", "Permits or approvals needed"),
    PARTY_UNREACHABLE("产权人或当事人无法联系", "Owner or party cannot be reached"),
    OTHER("其他（见说明）", "Other (see comment)");

    private final Label label;

    ExtensionReason(String zh, String en) {
        this.label = new Label(zh, en);
    }

    public static Optional<ExtensionReason> of(String code) {
        return Coded.of(ExtensionReason.class, code);
    }

    @Override
    public Label label() {
        return label;
    }
}
