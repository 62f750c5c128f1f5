package cn.haizhu.grid.data.cases;

import cn.haizhu.grid.data.users.Role;
import java.util.List;
import java.util.Set;

/**
 * One row of the transition table in {@link CaseWorkflow}: in state {@code from}, actors with one
 * of {@code roles} who pass the {@code guards} may take {@code action}; the case moves to
 * {@code to} and the deadline clock gets {@code clock}.
 *
 * @param note what the transition means, in the domain's Chinese terms
 */
public record Transition(CaseState from, CaseAction action, CaseState to, Set<Role> roles,
        List<Guard> guards, ClockEffect clock, String note) {

    public Transition {
        roles = Set.copyOf(roles);
        guards = List.copyOf(guards);
    }

    /** True if the action leaves the case in the same state (a request or decision on the side). */
    public boolean staysPut() {
        return from == to;
    }

    /** A condition on the {@link CaseFacts}, beyond the actor's role. */
    public enum Guard {
        /** Only the worker the case is assigned to. 403 otherwise. */
        ASSIGNEE,
        /** Only the worker who reported the case. 403 otherwise. */
        REPORTER,
        /** Not someone who handled the case: nobody checks their own work. 403 otherwise. */
        NOT_HANDLER,
        /** No extension request may be waiting already. 409 otherwise. */
        NO_EXTENSION_PENDING,
        /** An extension request must be waiting. 409 otherwise. */
        EXTENSION_PENDING,
        /** The case must be a work order from a level above (there is a level to return it to). 409 otherwise. */
        FROM_ABOVE,
        /** On a work order from a level above, only that level decides (回访, 重办, 驳回退单). 403 otherwise. */
        ORIGIN_DECIDES,
        /**
         * The case is handled at this level: not a work order this level sent to a level below, which
         * handles it there (this level then takes only its origin's decisions, the rows guarded by
         * {@link #ORIGIN_DECIDES}). 409 otherwise. {@link CaseWorkflow} puts it on every other row.
         */
        HANDLED_HERE;

        /** The refusal if {@code facts} fail this guard, or null if they pass. */
        Refusal check(CaseFacts facts, CaseAction action) {
            return switch (this) {
                case ASSIGNEE -> facts.actorIsAssignee() ? null : new Refusal(Refusal.Kind.ACTOR_NOT_ALLOWED,
                        "只有被指派的人员可以" + action.zh(),
                        "only the assigned worker may " + action.en());
                case REPORTER -> facts.actorIsReporter() ? null : new Refusal(Refusal.Kind.ACTOR_NOT_ALLOWED,
                        "只有上报该案件的网格员可以" + action.zh(),
                        "only the worker who reported the case may " + action.en());
                case NOT_HANDLER -> !facts.actorHandledCase() ? null : new Refusal(Refusal.Kind.ACTOR_NOT_ALLOWED,
                        "处置人不能核查自己处置的案件",
                        "whoever handled a case may not check it");
                case NO_EXTENSION_PENDING -> !facts.extensionPending() ? null : new Refusal(
                        Refusal.Kind.ILLEGAL_TRANSITION,
                        "已有延期申请待审批",
                        "an extension request is already waiting for a decision");
                case EXTENSION_PENDING -> facts.extensionPending() ? null : new Refusal(
                        Refusal.Kind.ILLEGAL_TRANSITION,
                        "没有待审批的延期申请",
                        "there is no extension request to decide");
                case FROM_ABOVE -> facts.fromAbove() ? null : new Refusal(Refusal.Kind.ILLEGAL_TRANSITION,
                        "本案件不是上级派单，不能" + action.zh(),
                        "only a work order from a level above can be returned there");
                case ORIGIN_DECIDES -> !facts.fromAbove() || facts.actorIsOrigin() ? null : new Refusal(
                        Refusal.Kind.ACTOR_NOT_ALLOWED,
                        "上级派单的" + action.zh() + "由派单的上级平台作出",
                        "on a work order from a level above, only that level may " + action.en());
                case HANDLED_HERE -> !facts.handledBelow() ? null : new Refusal(Refusal.Kind.ILLEGAL_TRANSITION,
                        "本案件已派下级平台办理，本级不能" + action.zh(),
                        "the case was sent to the level below, which handles it: this level cannot " + action.en());
            };
        }
    }
}
