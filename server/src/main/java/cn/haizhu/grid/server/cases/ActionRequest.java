package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CaseAction;
import cn.haizhu.grid.data.cases.CodedReason;
import cn.haizhu.grid.data.cases.ExtensionReason;
import cn.haizhu.grid.data.cases.ReturnReason;
import cn.haizhu.grid.data.cases.ReturnUpReason;
import cn.haizhu.grid.data.cases.Satisfaction;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An action on a case as a client sends it: {@code POST /api/v1/cases/{id}/actions}.
 *
 * <p>Whether the action is allowed is {@code CaseWorkflow}'s decision, not this parser's: an
 * unknown reason code is a 400 here (it is not a reason at all), a missing reason where one is
 * needed is the workflow's 422.
 *
 * @param reason the coded reason (退单原因 for return, 延期原因 for request_extension), or null
 * @param location the actor's GPS stamp, or null
 * @param clientActionId the client's id for this action: a retry with it answers the first result
 * @param assignee the grid worker chosen by the desk (派遣/派核实 override), or null for the routed one
 * @param hours working hours asked for (request_extension) or granted (grant_extension), or null
 * @param department the department whose opinion a 会审意见 (review_opinion) records, or null
 * @param satisfaction the verdict a 回访评价 (evaluate) records, or null
 */
record ActionRequest(CaseAction action, String comment, CodedReason reason, Body.Point location,
        UUID clientActionId, Long assignee, Long hours, List<UUID> attachments, String department,
        Satisfaction satisfaction) {

    /** The actions where the desk may name the worker. */
    static final Set<CaseAction> TAKES_ASSIGNEE = EnumSet.of(CaseAction.VERIFY, CaseAction.DISPATCH,
            CaseAction.REVIEW_DISPATCH);
    /** The actions that carry a number of working hours. */
    static final Set<CaseAction> TAKES_HOURS = EnumSet.of(CaseAction.REQUEST_EXTENSION, CaseAction.GRANT_EXTENSION);

    static ActionRequest parse(Body body) {
        String a = body.string("action", true, 40);
        CaseAction action = null;
        if (a != null) {
            action = CaseAction.of(a).orElse(null);
            if (action == null) {
                body.problem("action", "must be one of " + Arrays.stream(CaseAction.values()).map(CaseAction::code).toList());
            }
        }
        String comment = body.string("comment", false, 4000);
        String r = body.string("reason", false, 40);
        CodedReason reason = null;
        if (r != null) {
            // The action's own list first (each list has its "other"); a code of another list is still a
            // reason, and the workflow answers 422 that the action needs another kind, or none.
            reason = (action == null ? Optional.<CodedReason>empty() : action.reason(r))
                    .or(() -> Arrays.stream(CaseAction.values()).flatMap(any -> any.reason(r).stream()).findFirst())
                    .orElse(null);
            if (reason == null) {
                body.problem("reason", "'" + r + "' is not a return reason " + codes(ReturnReason.values())
                        + (action == null || action == CaseAction.RETURN_UP
                                ? ", a reason to return to the level above " + codes(ReturnUpReason.values()) : "")
                        + " nor an extension reason " + codes(ExtensionReason.values()));
            }
        }
        Body.Point location = body.point("location", false);
        UUID clientActionId = body.uuid("clientActionId");
        Long assignee = body.wholeNumber("assignee", 1, Long.MAX_VALUE);
        Long hours = body.wholeNumber("hours", 1, 2000);
        List<UUID> attachments = body.uuids("attachments", 20);
        String department = body.string("department", false, 10);
        if (action != null && department != null && action != CaseAction.REVIEW_OPINION) {
            body.problem("department", "is only taken by review_opinion");
        }
        if (action != null && assignee != null && !TAKES_ASSIGNEE.contains(action)) {
            body.problem("assignee", "is only taken by " + TAKES_ASSIGNEE.stream().map(CaseAction::code).sorted().toList());
        }
        if (action != null && hours != null && !TAKES_HOURS.contains(action)) {
            body.problem("hours", "is only taken by " + TAKES_HOURS.stream().map(CaseAction::code).sorted().toList());
        }
        String verdict = body.string("satisfaction", false, 30);
        Satisfaction satisfaction = verdict == null ? null : Satisfaction.of(verdict).orElse(null);
        if (verdict != null && satisfaction == null) {
            body.problem("satisfaction", "must be one of " + Arrays.stream(Satisfaction.values()).map(Satisfaction::code).toList());
        }
        if (action != null && satisfaction != null && action != CaseAction.EVALUATE) {
            body.problem("satisfaction", "is only taken by evaluate");
        }
        body.check();
        return new ActionRequest(action, comment, reason, location, clientActionId, assignee, hours, attachments, department,
                satisfaction);
    }

    private static List<String> codes(CodedReason[] reasons) {
        return Arrays.stream(reasons).map(CodedReason::code).toList();
    }
}
