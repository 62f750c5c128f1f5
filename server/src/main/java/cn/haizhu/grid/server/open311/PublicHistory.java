package cn.haizhu.grid.server.open311;

import static cn.haizhu.grid.data.cases.CaseAction.CLOSE;
import static cn.haizhu.grid.data.cases.CaseAction.DISPATCH;
import static cn.haizhu.grid.data.cases.CaseAction.EVALUATE;
import static cn.haizhu.grid.data.cases.CaseAction.FILE;
import static cn.haizhu.grid.data.cases.CaseAction.REJECT;
import static cn.haizhu.grid.data.cases.CaseAction.REOPEN;
import static cn.haizhu.grid.data.cases.CaseAction.RESUME;
import static cn.haizhu.grid.data.cases.CaseAction.REVIEW_CLOSE;
import static cn.haizhu.grid.data.cases.CaseAction.REVIEW_DISPATCH;
import static cn.haizhu.grid.data.cases.CaseAction.SUSPEND;

import cn.haizhu.grid.data.cases.CaseAction;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What an outside reporter sees of a case's history through Open311: its milestones, and the
 * comments that are replies to the public. Everything else in the history is internal: who it was
 * dispatched to, verification, 退单 and its reasons, extensions, handling notes, checks, joint-review
 * opinions, and every comment made on the way (dispatchers write them for each other, not for the
 * caller).
 *
 * <ul>
 *   <li>Milestones ({@link #MILESTONE_ACTIONS}, and the intake {@code report}): the step, its state
 *       and time, in {@code extended_attributes.notes}; their comments stay internal.</li>
 *   <li>Public replies ({@link #REPLY_ACTIONS}): the comment of 不予立案 (why the report is not taken
 *       up) and of 结案 / 审定后结案 (the final answer) is addressed to the reporter. It appears with
 *       its milestone, and the latest one is the request's {@code status_notes}.</li>
 * </ul>
 */
final class PublicHistory {
    /** The intake, as case_event records it. */
    static final String REPORT = "report";
    static final Set<CaseAction> MILESTONE_ACTIONS = EnumSet.of(FILE, REJECT, DISPATCH, REVIEW_DISPATCH, SUSPEND, RESUME,
            CLOSE, REVIEW_CLOSE, EVALUATE, REOPEN);
    static final Set<CaseAction> REPLY_ACTIONS = EnumSet.of(REJECT, CLOSE, REVIEW_CLOSE);

    /** The action codes of {@link #MILESTONE_ACTIONS} and the intake, as the queries take them. */
    static final String[] MILESTONES = Stream.concat(Stream.of(REPORT), MILESTONE_ACTIONS.stream().map(CaseAction::code))
            .toArray(String[]::new);
    /** The action codes of {@link #REPLY_ACTIONS}. */
    static final String[] REPLIES = REPLY_ACTIONS.stream().map(CaseAction::code).toArray(String[]::new);

    private PublicHistory() {
    }
}
