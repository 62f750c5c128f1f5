package cn.haizhu.grid.data.cases;

import static cn.haizhu.grid.data.cases.CaseAction.*;
import static cn.haizhu.grid.data.cases.CaseState.*;
import static cn.haizhu.grid.data.cases.Transition.Guard.*;

import cn.haizhu.grid.data.cases.Transition.Guard;
import cn.haizhu.grid.data.users.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The case state machine: the 数字城管 closed loop (GB/T 30428: 上报 → 立案 → 派遣 → 处置 → 核查 →
 * 结案) with 12345 hotline practice (核实, 退单, 延期, 缓办, 回访, 重办, 疑难工单联合审定).
 *
 * <p>{@link #decide} checks in this order, so that the answer does not depend on who asks when the
 * action makes no sense: (1) the (state, action) pair is in the table, else 409; (2) the actor's
 * role is in the row, else 403; (3) the row's guards on the {@link CaseFacts} (403 for who the actor
 * is, 409 for what the case is waiting for); (4) the coded reason the action needs, else 422.
 *
 * <p>Roles are those of {@link Role}. {@code PEER} stands for every external system that reaches
 * the workflow: the 12345 hotline gateway, Open311 clients, peer platforms. It reports cases and
 * passes on the caller's verdict at 回访. A checker (核查员) is not a role: a dispatcher, command
 * staff or a grid worker may check, provided they did not handle the case. {@code OFFICER} (data
 * officer) takes no part. {@code ADMIN} may do what the desk does, so that a stuck case can always
 * be moved by someone, but never a field worker's action, a check or a 回访 verdict.
 *
 * <p>A work order from a level above (the city's 12345 platform, {@link CaseFacts#fromAbove()}) runs
 * through the same table. Its level owns the evaluation: 回访评价 and 重办 come from it only (guard
 * ORIGIN_DECIDES). The desk may send it back up (退回上级, with a {@link ReturnUpReason}) while it
 * has not been dispatched here, or after a worker's 退单; the level above then either takes it
 * (nothing more happens here) or overrules the return (驳回退单), and the case is received again.
 *
 * <p>A work order this level sent to a level below ({@link CaseFacts#handledBelow()}: the city's order,
 * handled at a district) is handled there: this level takes only the origin's decisions on it, the rows
 * guarded by ORIGIN_DECIDES (回访评价, 重办, and 驳回退单 once the level below returned it); every other row
 * carries HANDLED_HERE. The origin's desk takes them as its own cases' 回访 (the exchange carries them down,
 * docs/SYNC.md).
 *
 * <p>Who may speak for which department in a 联合审定, and when its opinions allow the decision, is
 * {@link JointReview}: facts about the whole review, which a row of the table cannot hold.
 */
public final class CaseWorkflow {
    /** 坐席: dispatchers, command staff, and admin as a fallback. */
    private static final Set<Role> DESK = EnumSet.of(Role.DISPATCHER, Role.COMMAND, Role.ADMIN);
    /** 指挥中心领导: decisions that need more than a dispatcher (缓办, 联合审定结论). */
    private static final Set<Role> LEAD = EnumSet.of(Role.COMMAND, Role.ADMIN);
    /** 网格员 (also the handlers of departments, who log in as workers). */
    private static final Set<Role> FIELD = EnumSet.of(Role.WORKER);
    /** 核查员: anyone on the desk or in the field except admin, and never the doer (guard NOT_HANDLER). */
    private static final Set<Role> CHECKERS = EnumSet.of(Role.DISPATCHER, Role.COMMAND, Role.WORKER);
    /**
     * 回访: the desk, or the 12345 hotline passing on the caller's verdict. On a work order from a level
     * above only that level (as {@code PEER}) decides it (guard ORIGIN_DECIDES).
     */
    private static final Set<Role> CALLBACK = EnumSet.of(Role.DISPATCHER, Role.COMMAND, Role.PEER);
    /** The level a work order came from: its platform reaches this node as a peer. */
    private static final Set<Role> ORIGIN = EnumSet.of(Role.PEER);
    /**
     * 驳回退单 of a 退回上级: at the level below, the origin's platform (a peer); at the origin, on the order
     * it sent down, its own desk.
     */
    private static final Set<Role> ORIGIN_OR_ITS_DESK = EnumSet.of(Role.PEER, Role.DISPATCHER, Role.COMMAND, Role.ADMIN);
    /** 联合审定参与方: the desk and the departments (whose handlers log in as workers). */
    private static final Set<Role> REVIEWERS = EnumSet.of(Role.DISPATCHER, Role.COMMAND, Role.ADMIN, Role.WORKER);
    /** Who may bring a case in: patrol reports, hotline intake, the command center, external systems. */
    private static final Set<Role> REPORTERS = EnumSet.of(Role.WORKER, Role.DISPATCHER, Role.COMMAND, Role.PEER);

    private static final ClockEffect NO = ClockEffect.NONE;

    /** The transition table: one row per legal (state, action) pair. */
    private static final List<Transition> TABLE = List.of(
        // ── 受理 intake ──
        row(REPORTED, VERIFY, VERIFYING, DESK, NO, "派核实：12345/公众来源的信息先派网格员到现场核实"),
        row(REPORTED, FILE, FILED, DESK, NO, "立案：网格员巡查上报的问题无需核实，直接立案"),
        row(REPORTED, REJECT, REJECTED, DESK, NO, "不予立案：不属受理范围、重复上报或信息不实"),
        row(REPORTED, SELF_HANDLE, SELF_HANDLED, FIELD, NO, "自行处置：网格员发现即处置（如清理小广告），上报前后照片，仍须核查", REPORTER),
        row(VERIFYING, REPORT_VERIFICATION, VERIFYING, FIELD, NO, "核实反馈：网格员上报现场核实结果（照片、定位），等坐席判断", ASSIGNEE),
        row(VERIFYING, FILE, FILED, DESK, NO, "核实属实，立案"),
        row(VERIFYING, REJECT, REJECTED, DESK, NO, "核实不属实，不予立案"),
        // ── 派遣 dispatch ──
        row(FILED, DISPATCH, DISPATCHED, DESK, ClockEffect.START, "派遣：派至责任网格员或部门，处置时限开始计时"),
        row(FILED, REQUEST_JOINT_REVIEW, JOINT_REVIEW, DESK, ClockEffect.STOP, "疑难工单：职责不清，提请联合审定"),
        row(DISPATCHED, SIGN, SIGNED, FIELD, NO, "签收：处置人确认接单", ASSIGNEE),
        row(DISPATCHED, RETURN, RETURNED, FIELD, NO, "退单：须选退单原因；计时不停，防止以退单拖延", ASSIGNEE),
        // ── 退单仲裁 the arbiter decides a return ──
        row(RETURNED, REDISPATCH, DISPATCHED, DESK, NO, "驳回退单：理由不成立，原处置人继续办理，原时限不变"),
        row(RETURNED, ACCEPT_RETURN, FILED, DESK, ClockEffect.STOP, "同意退单：回到待派遣，改派后重新计时"),
        row(RETURNED, REQUEST_JOINT_REVIEW, JOINT_REVIEW, DESK, ClockEffect.STOP, "职责争议（多次退单）：提请联合审定"),
        // ── 退回上级 a work order from above goes back up (非本辖区 …) ──
        row(REPORTED, RETURN_UP, RETURNED_UP, DESK, NO, "上级派单受理时即发现非本辖区：退回上级，须选原因", FROM_ABOVE),
        row(VERIFYING, RETURN_UP, RETURNED_UP, DESK, NO, "核实后确认非本辖区：退回上级，须选原因", FROM_ABOVE),
        row(FILED, RETURN_UP, RETURNED_UP, DESK, NO, "派遣前确认非本辖区：退回上级，须选原因", FROM_ABOVE),
        row(RETURNED, RETURN_UP, RETURNED_UP, DESK, ClockEffect.STOP, "处置人退单且确属非本辖区：退回上级，本级计时停止", FROM_ABOVE),
        row(RETURNED_UP, REDISPATCH, REPORTED, ORIGIN_OR_ITS_DESK, NO, "上级驳回退单：重新受理，上级办结时限不变", ORIGIN_DECIDES),
        // ── 处置 handling ──
        row(SIGNED, START_HANDLING, IN_PROCESS, FIELD, NO, "开始处置", ASSIGNEE),
        row(SIGNED, RETURN, RETURNED, FIELD, NO, "签收后发现不属本单位职责，退单", ASSIGNEE),
        row(SIGNED, REQUEST_EXTENSION, SIGNED, FIELD, NO, "申请延期：须选延期原因，审批前照常计时", ASSIGNEE, NO_EXTENSION_PENDING),
        row(SIGNED, GRANT_EXTENSION, SIGNED, DESK, ClockEffect.EXTEND, "批准延期：时限加上批准的工作时长", EXTENSION_PENDING),
        row(SIGNED, REFUSE_EXTENSION, SIGNED, DESK, NO, "不批准延期：原时限不变", EXTENSION_PENDING),
        row(SIGNED, SUSPEND, SUSPENDED, LEAD, ClockEffect.PAUSE, "缓办：需筹措资金、季节性施工等，停止计时并退出考核分母"),
        row(IN_PROCESS, FEEDBACK, DONE_FEEDBACK, FIELD, ClockEffect.PAUSE, "处置反馈：上传处置后照片与定位；等核查期间不计处置时间", ASSIGNEE),
        row(IN_PROCESS, REQUEST_EXTENSION, IN_PROCESS, FIELD, NO, "申请延期：须选延期原因，审批前照常计时", ASSIGNEE, NO_EXTENSION_PENDING),
        row(IN_PROCESS, GRANT_EXTENSION, IN_PROCESS, DESK, ClockEffect.EXTEND, "批准延期：时限加上批准的工作时长", EXTENSION_PENDING),
        row(IN_PROCESS, REFUSE_EXTENSION, IN_PROCESS, DESK, NO, "不批准延期：原时限不变", EXTENSION_PENDING),
        row(IN_PROCESS, SUSPEND, SUSPENDED, LEAD, ClockEffect.PAUSE, "缓办：处置中遇客观障碍，停止计时并退出考核分母"),
        row(SUSPENDED, RESUME, SIGNED, DESK, ClockEffect.RESUME, "恢复办理：缓办条件消除，回到已签收（无需重新签收），继续计时"),
        // ── 核查与结案 check and close ──
        row(DONE_FEEDBACK, START_CHECK, CHECKING, DESK, NO, "派核查：派非处置人到现场核查"),
        row(SELF_HANDLED, START_CHECK, CHECKING, DESK, NO, "自处置案件立案并派核查（计入立案数）"),
        row(SELF_HANDLED, REJECT, REJECTED, DESK, NO, "自处置上报不属受理范围，不予立案"),
        row(CHECKING, CLOSE, CLOSED, CHECKERS, ClockEffect.STOP, "核查通过，结案", NOT_HANDLER),
        row(CHECKING, REWORK, IN_PROCESS, CHECKERS, ClockEffect.RESUME, "核查不通过，返工：回到处置中，原时限继续计时", NOT_HANDLER),
        // ── 回访 evaluation ──
        row(CLOSED, EVALUATE, EVALUATED, CALLBACK, NO, "回访评价（满意、基本满意或不满意不重办），评价归档；上级派单由上级评价", ORIGIN_DECIDES),
        row(CLOSED, REOPEN, REOPENED, CALLBACK, NO, "回访不满意：重办，回到待派遣；上级派单由上级决定重办", ORIGIN_DECIDES),
        row(REOPENED, DISPATCH, DISPATCHED, DESK, ClockEffect.START, "重办派遣：重新计时"),
        row(REOPENED, REQUEST_JOINT_REVIEW, JOINT_REVIEW, DESK, ClockEffect.STOP, "反复重办的疑难工单：提请联合审定"),
        // ── 联合审定 joint review of difficult work orders ──
        row(JOINT_REVIEW, REVIEW_OPINION, JOINT_REVIEW, REVIEWERS, NO, "会审意见：各相关部门记录意见，待指挥中心作出结论"),
        row(JOINT_REVIEW, REVIEW_DISPATCH, DISPATCHED, LEAD, ClockEffect.START, "审定明确责任单位：派遣并重新计时"),
        row(JOINT_REVIEW, REVIEW_CLOSE, CLOSED, LEAD, ClockEffect.STOP, "审定为暂无法解决的政策性问题：解释说明后结案")
    );

    private static final Map<CaseState, Map<CaseAction, Transition>> BY_STATE = index(TABLE);

    private CaseWorkflow() {
    }

    /**
     * Decides an action: the transition to make, or why not. Pure: the caller reads the facts and
     * writes the result (with a conditional update on {@code from}, so that two actors who both saw
     * {@code from} cannot both move the case).
     *
     * @param reason the coded reason, required by {@link CaseAction#RETURN} ({@link ReturnReason}),
     *     {@link CaseAction#RETURN_UP} ({@link ReturnUpReason}) and {@link CaseAction#REQUEST_EXTENSION}
     *     ({@link ExtensionReason}), null for the others
     */
    public static Decision decide(CaseState from, CaseAction action, Role role, CaseFacts facts, CodedReason reason) {
        Transition t = BY_STATE.get(from).get(action);
        if (t == null) {
            return Decision.refuse(Refusal.Kind.ILLEGAL_TRANSITION,
                    "案件" + from.zh() + "，不能" + action.zh(),
                    "cannot " + action.en() + " a case that is " + from.en().toLowerCase());
        }
        if (!t.roles().contains(role)) {
            return Decision.refuse(Refusal.Kind.ACTOR_NOT_ALLOWED,
                    roleZh(role) + "无权" + action.zh(),
                    "a user with role " + role.code() + " may not " + action.en());
        }
        for (Guard g : t.guards()) {
            Refusal r = g.check(facts, action);
            if (r != null) {
                return new Decision(null, r);
            }
        }
        Class<? extends CodedReason> needed = action.reasonType();
        if (needed != null && !needed.isInstance(reason)) {
            return Decision.refuse(Refusal.Kind.INVALID_REQUEST,
                    action.zh() + "须选择" + action.reasonName().zh(),
                    action.en() + " needs a coded " + action.reasonName().en());
        }
        if (needed == null && reason != null) {
            return Decision.refuse(Refusal.Kind.INVALID_REQUEST,
                    action.zh() + "不带原因代码",
                    action.en() + " takes no coded reason");
        }
        return Decision.allow(t);
    }

    /** {@link #decide(CaseState, CaseAction, Role, CaseFacts, CodedReason)} for actions without a coded reason. */
    public static Decision decide(CaseState from, CaseAction action, Role role, CaseFacts facts) {
        return decide(from, action, role, facts, null);
    }

    /**
     * Whether {@code role} may bring in a new case, which starts in {@link CaseState#REPORTED}:
     * grid workers (巡查上报), dispatchers (热线受理), command staff, external systems.
     */
    public static Optional<Refusal> canReport(Role role) {
        return REPORTERS.contains(role) ? Optional.empty() : Optional.of(new Refusal(Refusal.Kind.ACTOR_NOT_ALLOWED,
                roleZh(role) + "无权上报案件", "a user with role " + role.code() + " may not report a case"));
    }

    /** The actions this actor may take now, in table order: the buttons a screen shows. */
    public static List<CaseAction> availableActions(CaseState state, Role role, CaseFacts facts) {
        List<CaseAction> out = new ArrayList<>();
        for (Transition t : TABLE) {
            if (t.from() == state && t.roles().contains(role) && t.guards().stream().allMatch(g -> g.check(facts, t.action()) == null)) {
                out.add(t.action());
            }
        }
        return out;
    }

    /** The table row for (state, action), if the pair is legal at all. */
    public static Optional<Transition> transition(CaseState from, CaseAction action) {
        return Optional.ofNullable(BY_STATE.get(from).get(action));
    }

    /** Every row of the table, in the order written. */
    public static List<Transition> transitions() {
        return TABLE;
    }

    private static String roleZh(Role role) {
        return switch (role) {
            case ADMIN -> "系统管理员";
            case COMMAND -> "指挥中心人员";
            case DISPATCHER -> "调度员";
            case WORKER -> "网格员";
            case OFFICER -> "数据管理员";
            case PEER -> "对接平台";
            case OPS -> "运维";
        };
    }

    /** A row of the table; every row but the origin's decisions (ORIGIN_DECIDES) needs the case to be handled here. */
    private static Transition row(CaseState from, CaseAction action, CaseState to, Set<Role> roles,
            ClockEffect clock, String note, Guard... guards) {
        List<Guard> all = new ArrayList<>(List.of(guards));
        if (!all.contains(ORIGIN_DECIDES)) {
            all.add(0, HANDLED_HERE);   // first: whose case it is comes before who the actor is
        }
        return new Transition(from, action, to, roles, all, clock, note);
    }

    private static Map<CaseState, Map<CaseAction, Transition>> index(List<Transition> table) {
        Map<CaseState, Map<CaseAction, Transition>> byState = new EnumMap<>(CaseState.class);
        for (CaseState s : CaseState.values()) {
            byState.put(s, new EnumMap<>(CaseAction.class));
        }
        for (Transition t : table) {
            if (byState.get(t.from()).put(t.action(), t) != null) {
                throw new IllegalStateException("two rows for " + t.from() + " + " + t.action());
            }
        }
        byState.replaceAll((s, m) -> Collections.unmodifiableMap(m));
        return Collections.unmodifiableMap(byState);
    }
}
