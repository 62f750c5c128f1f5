package cn.haizhu.grid.data.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.cases.Transition.Guard;
import cn.haizhu.grid.data.users.Role;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CaseWorkflowTest {
    /**
     * The table written out a second time, independently of the code: from, action, to, roles.
     * A change to the workflow must change both, on purpose.
     */
    private static final String[] EXPECTED = {
        "REPORTED|VERIFY|VERIFYING|ADMIN COMMAND DISPATCHER",
        "REPORTED|FILE|FILED|ADMIN COMMAND DISPATCHER",
        "REPORTED|REJECT|REJECTED|ADMIN COMMAND DISPATCHER",
        "REPORTED|SELF_HANDLE|SELF_HANDLED|WORKER",
        "VERIFYING|REPORT_VERIFICATION|VERIFYING|WORKER",
        "VERIFYING|FILE|FILED|ADMIN COMMAND DISPATCHER",
        "VERIFYING|REJECT|REJECTED|ADMIN COMMAND DISPATCHER",
        "FILED|DISPATCH|DISPATCHED|ADMIN COMMAND DISPATCHER",
        "FILED|REQUEST_JOINT_REVIEW|JOINT_REVIEW|ADMIN COMMAND DISPATCHER",
        "DISPATCHED|SIGN|SIGNED|WORKER",
        "DISPATCHED|RETURN|RETURNED|WORKER",
        "RETURNED|REDISPATCH|DISPATCHED|ADMIN COMMAND DISPATCHER",
        "RETURNED|ACCEPT_RETURN|FILED|ADMIN COMMAND DISPATCHER",
        "RETURNED|REQUEST_JOINT_REVIEW|JOINT_REVIEW|ADMIN COMMAND DISPATCHER",
        "REPORTED|RETURN_UP|RETURNED_UP|ADMIN COMMAND DISPATCHER",
        "VERIFYING|RETURN_UP|RETURNED_UP|ADMIN COMMAND DISPATCHER",
        "FILED|RETURN_UP|RETURNED_UP|ADMIN COMMAND DISPATCHER",
        "RETURNED|RETURN_UP|RETURNED_UP|ADMIN COMMAND DISPATCHER",
        "RETURNED_UP|REDISPATCH|REPORTED|ADMIN COMMAND DISPATCHER PEER",
        "SIGNED|START_HANDLING|IN_PROCESS|WORKER",
        "SIGNED|RETURN|RETURNED|WORKER",
        "SIGNED|REQUEST_EXTENSION|SIGNED|WORKER",
        "SIGNED|GRANT_EXTENSION|SIGNED|ADMIN COMMAND DISPATCHER",
        "SIGNED|REFUSE_EXTENSION|SIGNED|ADMIN COMMAND DISPATCHER",
        "SIGNED|SUSPEND|SUSPENDED|ADMIN COMMAND",
        "IN_PROCESS|FEEDBACK|DONE_FEEDBACK|WORKER",
        "IN_PROCESS|REQUEST_EXTENSION|IN_PROCESS|WORKER",
        "IN_PROCESS|GRANT_EXTENSION|IN_PROCESS|ADMIN COMMAND DISPATCHER",
        "IN_PROCESS|REFUSE_EXTENSION|IN_PROCESS|ADMIN COMMAND DISPATCHER",
        "IN_PROCESS|SUSPEND|SUSPENDED|ADMIN COMMAND",
        "SUSPENDED|RESUME|SIGNED|ADMIN COMMAND DISPATCHER",
        "DONE_FEEDBACK|START_CHECK|CHECKING|ADMIN COMMAND DISPATCHER",
        "SELF_HANDLED|START_CHECK|CHECKING|ADMIN COMMAND DISPATCHER",
        "SELF_HANDLED|REJECT|REJECTED|ADMIN COMMAND DISPATCHER",
        "CHECKING|CLOSE|CLOSED|COMMAND DISPATCHER WORKER",
        "CHECKING|REWORK|IN_PROCESS|COMMAND DISPATCHER WORKER",
        "CLOSED|EVALUATE|EVALUATED|COMMAND DISPATCHER PEER",
        "CLOSED|REOPEN|REOPENED|COMMAND DISPATCHER PEER",
        "REOPENED|DISPATCH|DISPATCHED|ADMIN COMMAND DISPATCHER",
        "REOPENED|REQUEST_JOINT_REVIEW|JOINT_REVIEW|ADMIN COMMAND DISPATCHER",
        "JOINT_REVIEW|REVIEW_OPINION|JOINT_REVIEW|ADMIN COMMAND DISPATCHER WORKER",
        "JOINT_REVIEW|REVIEW_DISPATCH|DISPATCHED|ADMIN COMMAND",
        "JOINT_REVIEW|REVIEW_CLOSE|CLOSED|ADMIN COMMAND",
    };

    @Test
    void tableIsTheOneWrittenDown() {
        List<String> actual = CaseWorkflow.transitions().stream()
                .map(t -> t.from() + "|" + t.action() + "|" + t.to() + "|" + t.roles().stream()
                        .map(Enum::name).sorted().collect(Collectors.joining(" ")))
                .toList();
        assertEquals(List.of(EXPECTED), actual);
    }

    /** Every legal row, for every role it names, with facts that pass its guards. */
    static Stream<Arguments> legalMoves() {
        return CaseWorkflow.transitions().stream()
                .flatMap(t -> t.roles().stream().map(r -> Arguments.of(t, r)));
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("legalMoves")
    void legalTransitionIsAllowed(Transition t, Role role) {
        Decision d = CaseWorkflow.decide(t.from(), t.action(), role, passing(t), reasonFor(t.action()));
        assertTrue(d.allowed(), () -> d.toString());
        assertEquals(t.to(), d.next());
        assertEquals(t, d.transition());
    }

    /** Every (state, action) pair missing from the table, whoever asks and whatever the facts. */
    static Stream<Arguments> illegalPairs() {
        List<Arguments> out = new ArrayList<>();
        for (CaseState s : CaseState.values()) {
            for (CaseAction a : CaseAction.values()) {
                if (CaseWorkflow.transition(s, a).isEmpty()) {
                    out.add(Arguments.of(s, a));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("illegalPairs")
    void illegalPairIsRefusedWith409(CaseState s, CaseAction a) {
        List<CaseFacts> facts = List.of(CaseFacts.NONE, new CaseFacts(true, true, false, false, false, false),
                new CaseFacts(true, true, true, true, true, true), CaseFacts.NONE.withOrigin(true, false));
        for (Role role : Role.values()) {
            for (CaseFacts f : facts) {
                Decision d = CaseWorkflow.decide(s, a, role, f, reasonFor(a));
                assertFalse(d.allowed(), () -> s + " + " + a + " by " + role + " was allowed");
                assertEquals(409, d.refusal().status());
                assertTrue(d.refusal().zh().contains(s.zh()) && d.refusal().zh().contains(a.zh()), d.refusal().zh());
                assertTrue(d.refusal().en().contains(a.en()), d.refusal().en());
            }
        }
    }

    @Test
    void coversEveryPair() {
        long legal = CaseWorkflow.transitions().size();
        long illegal = illegalPairs().count();
        assertEquals((long) CaseState.values().length * CaseAction.values().length, legal + illegal);
    }

    /** Every legal row, for every role it does not name. */
    static Stream<Arguments> wrongActors() {
        return CaseWorkflow.transitions().stream()
                .flatMap(t -> EnumSet.complementOf(EnumSet.copyOf(t.roles())).stream().map(r -> Arguments.of(t, r)));
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("wrongActors")
    void wrongRoleIsRefusedWith403(Transition t, Role role) {
        Decision d = CaseWorkflow.decide(t.from(), t.action(), role, passing(t), reasonFor(t.action()));
        assertFalse(d.allowed());
        assertEquals(403, d.refusal().status());
        assertEquals(Refusal.Kind.ACTOR_NOT_ALLOWED, d.refusal().kind());
    }

    @Test
    void dataOfficerTakesNoPart() {
        assertTrue(CaseWorkflow.transitions().stream().noneMatch(t -> t.roles().contains(Role.OFFICER)));
        assertEquals(403, CaseWorkflow.canReport(Role.OFFICER).orElseThrow().status());
        assertEquals(403, CaseWorkflow.canReport(Role.ADMIN).orElseThrow().status());
        for (Role r : List.of(Role.WORKER, Role.DISPATCHER, Role.COMMAND, Role.PEER)) {
            assertTrue(CaseWorkflow.canReport(r).isEmpty(), r.name());
        }
    }

    /** Rows guarded by ASSIGNEE: the right role is not enough, it must be the assigned worker. */
    static Stream<Transition> assigneeRows() {
        return CaseWorkflow.transitions().stream().filter(t -> t.guards().contains(Guard.ASSIGNEE));
    }

    @ParameterizedTest
    @MethodSource("assigneeRows")
    void onlyTheAssignedWorker(Transition t) {
        CaseFacts other = passing(t).withAssignee(false);
        Decision d = CaseWorkflow.decide(t.from(), t.action(), Role.WORKER, other, reasonFor(t.action()));
        assertEquals(403, d.refusal().status());
        assertTrue(d.refusal().zh().startsWith("只有被指派的人员可以"), d.refusal().zh());
    }

    @ParameterizedTest
    @CsvSource({"CLOSE, WORKER", "CLOSE, DISPATCHER", "CLOSE, COMMAND",
                "REWORK, WORKER", "REWORK, DISPATCHER", "REWORK, COMMAND"})
    void checkerMustNotBeTheDoer(CaseAction action, Role role) {
        CaseFacts doer = CaseFacts.NONE.withHandled(true).withAssignee(true);
        Decision refused = CaseWorkflow.decide(CaseState.CHECKING, action, role, doer);
        assertEquals(403, refused.refusal().status());
        assertEquals("处置人不能核查自己处置的案件", refused.refusal().zh());
        assertEquals("whoever handled a case may not check it", refused.refusal().en());

        Decision allowed = CaseWorkflow.decide(CaseState.CHECKING, action, role, CaseFacts.NONE);
        assertTrue(allowed.allowed());
    }

    @Test
    void selfHandlingIsForTheReporterOnly() {
        assertEquals(403, CaseWorkflow.decide(CaseState.REPORTED, CaseAction.SELF_HANDLE, Role.WORKER,
                CaseFacts.assignee()).refusal().status());
        assertEquals(CaseState.SELF_HANDLED, CaseWorkflow.decide(CaseState.REPORTED, CaseAction.SELF_HANDLE,
                Role.WORKER, CaseFacts.NONE.withReporter(true)).next());
        // and the self-handler may not check the work they did on the spot
        assertEquals(403, CaseWorkflow.decide(CaseState.CHECKING, CaseAction.CLOSE, Role.WORKER,
                CaseFacts.NONE.withReporter(true).withHandled(true)).refusal().status());
    }

    @ParameterizedTest
    @CsvSource({"SIGNED", "IN_PROCESS"})
    void oneExtensionRequestAtATime(CaseState s) {
        CaseFacts worker = CaseFacts.assignee();
        assertTrue(CaseWorkflow.decide(s, CaseAction.REQUEST_EXTENSION, Role.WORKER, worker, ExtensionReason.WEATHER).allowed());
        Decision again = CaseWorkflow.decide(s, CaseAction.REQUEST_EXTENSION, Role.WORKER,
                worker.withExtensionPending(true), ExtensionReason.WEATHER);
        assertEquals(409, again.refusal().status());
        assertEquals("已有延期申请待审批", again.refusal().zh());

        for (CaseAction decision : List.of(CaseAction.GRANT_EXTENSION, CaseAction.REFUSE_EXTENSION)) {
            assertEquals(409, CaseWorkflow.decide(s, decision, Role.DISPATCHER, CaseFacts.NONE).refusal().status());
            Decision d = CaseWorkflow.decide(s, decision, Role.DISPATCHER, CaseFacts.NONE.withExtensionPending(true));
            assertEquals(s, d.next());
        }
        assertEquals(ClockEffect.EXTEND, CaseWorkflow.transition(s, CaseAction.GRANT_EXTENSION).orElseThrow().clock());
    }

    @Test
    void codedReasonsAreRequiredAndChecked() {
        CaseFacts w = CaseFacts.assignee();
        Decision none = CaseWorkflow.decide(CaseState.DISPATCHED, CaseAction.RETURN, Role.WORKER, w);
        assertEquals(422, none.refusal().status());
        assertEquals("退单须选择退单原因", none.refusal().zh());
        Decision wrongKind = CaseWorkflow.decide(CaseState.DISPATCHED, CaseAction.RETURN, Role.WORKER, w, ExtensionReason.OTHER);
        assertEquals(422, wrongKind.refusal().status());
        assertTrue(CaseWorkflow.decide(CaseState.DISPATCHED, CaseAction.RETURN, Role.WORKER, w, ReturnReason.NOT_OUR_DUTY).allowed());

        assertEquals(422, CaseWorkflow.decide(CaseState.IN_PROCESS, CaseAction.REQUEST_EXTENSION, Role.WORKER, w)
                .refusal().status());
        Decision extra = CaseWorkflow.decide(CaseState.REPORTED, CaseAction.FILE, Role.DISPATCHER, CaseFacts.NONE,
                ReturnReason.DUPLICATE);
        assertEquals(422, extra.refusal().status());
    }

    @Test
    void illegalBeatsForbidden() {
        // A worker trying to close a reported case: the case cannot be closed by anyone now, so 409.
        assertEquals(409, CaseWorkflow.decide(CaseState.REPORTED, CaseAction.CLOSE, Role.WORKER, CaseFacts.NONE)
                .refusal().status());
        assertEquals("案件已上报，不能核查通过结案",
                CaseWorkflow.decide(CaseState.REPORTED, CaseAction.CLOSE, Role.WORKER, CaseFacts.NONE).refusal().zh());
        assertEquals("cannot sign for a case that is closed",
                CaseWorkflow.decide(CaseState.CLOSED, CaseAction.SIGN, Role.WORKER, CaseFacts.assignee()).refusal().en());
    }

    @Test
    void theWholeLoopWithItsSidePaths() {
        CaseFacts desk = CaseFacts.NONE;
        CaseFacts worker = CaseFacts.assignee();
        CaseState s = CaseState.REPORTED;
        s = step(s, CaseAction.VERIFY, Role.DISPATCHER, desk, null, CaseState.VERIFYING);
        s = step(s, CaseAction.REPORT_VERIFICATION, Role.WORKER, worker, null, CaseState.VERIFYING);
        s = step(s, CaseAction.FILE, Role.DISPATCHER, desk, null, CaseState.FILED);
        s = step(s, CaseAction.DISPATCH, Role.DISPATCHER, desk, null, CaseState.DISPATCHED);
        s = step(s, CaseAction.RETURN, Role.WORKER, worker, ReturnReason.OUTSIDE_AREA, CaseState.RETURNED);
        s = step(s, CaseAction.REDISPATCH, Role.DISPATCHER, desk, null, CaseState.DISPATCHED);
        s = step(s, CaseAction.SIGN, Role.WORKER, worker, null, CaseState.SIGNED);
        s = step(s, CaseAction.START_HANDLING, Role.WORKER, worker, null, CaseState.IN_PROCESS);
        s = step(s, CaseAction.REQUEST_EXTENSION, Role.WORKER, worker, ExtensionReason.MATERIALS, CaseState.IN_PROCESS);
        s = step(s, CaseAction.GRANT_EXTENSION, Role.DISPATCHER, desk.withExtensionPending(true), null, CaseState.IN_PROCESS);
        s = step(s, CaseAction.SUSPEND, Role.COMMAND, desk, null, CaseState.SUSPENDED);
        s = step(s, CaseAction.RESUME, Role.DISPATCHER, desk, null, CaseState.SIGNED);
        s = step(s, CaseAction.START_HANDLING, Role.WORKER, worker, null, CaseState.IN_PROCESS);
        s = step(s, CaseAction.FEEDBACK, Role.WORKER, worker, null, CaseState.DONE_FEEDBACK);
        s = step(s, CaseAction.START_CHECK, Role.DISPATCHER, desk, null, CaseState.CHECKING);
        s = step(s, CaseAction.REWORK, Role.WORKER, desk, null, CaseState.IN_PROCESS);
        s = step(s, CaseAction.FEEDBACK, Role.WORKER, worker, null, CaseState.DONE_FEEDBACK);
        s = step(s, CaseAction.START_CHECK, Role.DISPATCHER, desk, null, CaseState.CHECKING);
        s = step(s, CaseAction.CLOSE, Role.DISPATCHER, desk, null, CaseState.CLOSED);
        s = step(s, CaseAction.REOPEN, Role.PEER, desk, null, CaseState.REOPENED);
        s = step(s, CaseAction.REQUEST_JOINT_REVIEW, Role.DISPATCHER, desk, null, CaseState.JOINT_REVIEW);
        s = step(s, CaseAction.REVIEW_OPINION, Role.WORKER, desk, null, CaseState.JOINT_REVIEW);
        s = step(s, CaseAction.REVIEW_DISPATCH, Role.COMMAND, desk, null, CaseState.DISPATCHED);
        s = step(s, CaseAction.SIGN, Role.WORKER, worker, null, CaseState.SIGNED);
        s = step(s, CaseAction.START_HANDLING, Role.WORKER, worker, null, CaseState.IN_PROCESS);
        s = step(s, CaseAction.FEEDBACK, Role.WORKER, worker, null, CaseState.DONE_FEEDBACK);
        s = step(s, CaseAction.START_CHECK, Role.DISPATCHER, desk, null, CaseState.CHECKING);
        s = step(s, CaseAction.CLOSE, Role.COMMAND, desk, null, CaseState.CLOSED);
        s = step(s, CaseAction.EVALUATE, Role.PEER, desk, null, CaseState.EVALUATED);
        assertTrue(CaseWorkflow.availableActions(s, Role.ADMIN, desk).isEmpty());
    }

    @Test
    void everyStateIsReachableAndOnlyFinalStatesAreDeadEnds() {
        Set<CaseState> seen = EnumSet.of(CaseState.REPORTED);
        Deque<CaseState> todo = new ArrayDeque<>(seen);
        while (!todo.isEmpty()) {
            CaseState s = todo.pop();
            for (Transition t : CaseWorkflow.transitions()) {
                if (t.from() == s && seen.add(t.to())) {
                    todo.push(t.to());
                }
            }
        }
        assertEquals(EnumSet.allOf(CaseState.class), seen);
        for (CaseState s : CaseState.values()) {
            boolean leaves = CaseWorkflow.transitions().stream().anyMatch(t -> t.from() == s && !t.staysPut());
            assertEquals(!s.isFinal(), leaves, s.name());
        }
    }

    @Test
    void clockRunsFromDispatchToFeedbackAndStopsAtClose() {
        assertEquals(ClockEffect.START, clock(CaseState.FILED, CaseAction.DISPATCH));
        assertEquals(ClockEffect.START, clock(CaseState.REOPENED, CaseAction.DISPATCH));
        assertEquals(ClockEffect.NONE, clock(CaseState.DISPATCHED, CaseAction.RETURN));
        assertEquals(ClockEffect.NONE, clock(CaseState.RETURNED, CaseAction.REDISPATCH));
        assertEquals(ClockEffect.STOP, clock(CaseState.RETURNED, CaseAction.ACCEPT_RETURN));
        assertEquals(ClockEffect.PAUSE, clock(CaseState.IN_PROCESS, CaseAction.SUSPEND));
        assertEquals(ClockEffect.RESUME, clock(CaseState.SUSPENDED, CaseAction.RESUME));
        assertEquals(ClockEffect.PAUSE, clock(CaseState.IN_PROCESS, CaseAction.FEEDBACK));
        assertEquals(ClockEffect.RESUME, clock(CaseState.CHECKING, CaseAction.REWORK));
        assertEquals(ClockEffect.STOP, clock(CaseState.CHECKING, CaseAction.CLOSE));
    }

    @Test
    void availableActionsAreTheButtonsToShow() {
        assertEquals(List.of(CaseAction.SIGN, CaseAction.RETURN),
                CaseWorkflow.availableActions(CaseState.DISPATCHED, Role.WORKER, CaseFacts.assignee()));
        assertEquals(List.of(), CaseWorkflow.availableActions(CaseState.DISPATCHED, Role.WORKER, CaseFacts.NONE));
        assertEquals(List.of(CaseAction.START_HANDLING, CaseAction.RETURN),
                CaseWorkflow.availableActions(CaseState.SIGNED, Role.WORKER, CaseFacts.assignee().withExtensionPending(true)));
        assertEquals(List.of(CaseAction.GRANT_EXTENSION, CaseAction.REFUSE_EXTENSION),
                CaseWorkflow.availableActions(CaseState.SIGNED, Role.DISPATCHER, CaseFacts.NONE.withExtensionPending(true)));
    }

    @Test
    void codesRoundTripAndLabelsAreBilingual() {
        for (CaseState s : CaseState.values()) {
            assertEquals(s, CaseState.of(s.code()).orElseThrow());
        }
        for (CaseAction a : CaseAction.values()) {
            assertEquals(a, CaseAction.of(a.code()).orElseThrow());
            assertFalse(a.zh().isBlank() || a.en().isBlank());
        }
        for (ReturnReason r : ReturnReason.values()) {
            assertEquals(r, ReturnReason.of(r.code()).orElseThrow());
        }
        for (ExtensionReason r : ExtensionReason.values()) {
            assertEquals(r, ExtensionReason.of(r.code()).orElseThrow());
        }
        for (ReturnUpReason r : ReturnUpReason.values()) {
            assertEquals(r, ReturnUpReason.of(r.code()).orElseThrow());
            assertEquals(r, CaseAction.RETURN_UP.reason(r.code()).orElseThrow());
        }
        assertEquals("非本辖区", ReturnUpReason.NOT_OUR_JURISDICTION.zh());
        assertTrue(CaseAction.RETURN.reason("not_our_jurisdiction").isEmpty(), "each action has its own list");
        assertTrue(CaseAction.FILE.reasons().isEmpty());
        assertFalse(CaseState.RETURNED_UP.isOpen(), "returned up: no longer this level's to handle");
        assertFalse(CaseState.RETURNED_UP.isFinal(), "the level above may overrule the return");
        assertTrue(CaseState.of("nope").isEmpty());
        assertTrue(CaseWorkflow.transitions().stream().allMatch(t -> !t.note().isBlank()));
        assertFalse(CaseState.CLOSED.isOpen());
        assertTrue(CaseState.RETURNED.isOpen());
    }

    // ── work orders from a level above (issue 15) ──

    /** Every (state, RETURN_UP) pair of the table: the desk, on a work order from above, with a coded reason. */
    static Stream<CaseState> returnUpStates() {
        return CaseWorkflow.transitions().stream().filter(t -> t.action() == CaseAction.RETURN_UP).map(Transition::from);
    }

    @Test
    void returnUpIsLegalBeforeDispatchAndAfterAWorkersReturnOnly() {
        assertEquals(EnumSet.of(CaseState.REPORTED, CaseState.VERIFYING, CaseState.FILED, CaseState.RETURNED),
                EnumSet.copyOf(returnUpStates().toList()));
        for (CaseState s : EnumSet.complementOf(EnumSet.copyOf(returnUpStates().toList()))) {
            Decision d = CaseWorkflow.decide(s, CaseAction.RETURN_UP, Role.DISPATCHER, CaseFacts.NONE.withOrigin(true, false),
                    ReturnUpReason.NOT_OUR_JURISDICTION);
            assertEquals(409, d.refusal().status(), s.name());
        }
    }

    @ParameterizedTest
    @MethodSource("returnUpStates")
    void returnUpNeedsAWorkOrderFromAboveTheDeskAndAnUpwardReason(CaseState s) {
        CaseFacts fromAbove = CaseFacts.NONE.withOrigin(true, false);
        for (Role desk : List.of(Role.DISPATCHER, Role.COMMAND, Role.ADMIN)) {
            Decision ok = CaseWorkflow.decide(s, CaseAction.RETURN_UP, desk, fromAbove, ReturnUpReason.NOT_OUR_JURISDICTION);
            assertEquals(CaseState.RETURNED_UP, ok.next());
        }
        Decision local = CaseWorkflow.decide(s, CaseAction.RETURN_UP, Role.DISPATCHER, CaseFacts.NONE,
                ReturnUpReason.NOT_OUR_JURISDICTION);
        assertEquals(409, local.refusal().status());
        assertEquals("本案件不是上级派单，不能退回上级", local.refusal().zh());
        for (Role other : List.of(Role.WORKER, Role.PEER, Role.OFFICER)) {
            assertEquals(403, CaseWorkflow.decide(s, CaseAction.RETURN_UP, other, fromAbove.withAssignee(true),
                    ReturnUpReason.NOT_OUR_JURISDICTION).refusal().status(), other.name());
        }
        Decision none = CaseWorkflow.decide(s, CaseAction.RETURN_UP, Role.DISPATCHER, fromAbove);
        assertEquals(422, none.refusal().status());
        assertEquals("退回上级须选择退回上级原因", none.refusal().zh());
        Decision wrongList = CaseWorkflow.decide(s, CaseAction.RETURN_UP, Role.DISPATCHER, fromAbove, ReturnReason.OUTSIDE_AREA);
        assertEquals(422, wrongList.refusal().status(), "a worker's 退单原因 is not a reason to the level above");
        assertEquals(422, CaseWorkflow.decide(CaseState.DISPATCHED, CaseAction.RETURN, Role.WORKER, CaseFacts.assignee(),
                ReturnUpReason.NOT_OUR_JURISDICTION).refusal().status());
    }

    @Test
    void returnUpAfterAWorkersReturnStopsTheClock() {
        assertEquals(ClockEffect.STOP, clock(CaseState.RETURNED, CaseAction.RETURN_UP));
        assertEquals(ClockEffect.NONE, clock(CaseState.REPORTED, CaseAction.RETURN_UP));
        assertEquals(ClockEffect.NONE, clock(CaseState.RETURNED_UP, CaseAction.REDISPATCH));
    }

    @ParameterizedTest
    @CsvSource({"EVALUATE, EVALUATED", "REOPEN, REOPENED"})
    void theLevelAboveEvaluatesItsOwnWorkOrders(CaseAction action, CaseState to) {
        CaseFacts fromAbove = CaseFacts.NONE.withOrigin(true, false);
        for (Role r : List.of(Role.DISPATCHER, Role.COMMAND, Role.PEER)) {
            Decision d = CaseWorkflow.decide(CaseState.CLOSED, action, r, fromAbove);
            assertEquals(403, d.refusal().status(), r.name());
            assertEquals("上级派单的" + action.zh() + "由派单的上级平台作出", d.refusal().zh());
            assertEquals(to, CaseWorkflow.decide(CaseState.CLOSED, action, r, CaseFacts.NONE).next(), "a local case: " + r);
        }
        assertEquals(to, CaseWorkflow.decide(CaseState.CLOSED, action, Role.PEER, CaseFacts.NONE.withOrigin(true, true)).next());
        assertEquals(403, CaseWorkflow.decide(CaseState.CLOSED, action, Role.ADMIN, CaseFacts.NONE.withOrigin(true, true))
                .refusal().status(), "speaking for the origin is the origin platform's, not a local role's");
        assertEquals(List.of(), CaseWorkflow.availableActions(CaseState.CLOSED, Role.DISPATCHER, fromAbove),
                "no 回访 buttons on the desk for a city order");
    }

    @Test
    void onlyTheLevelAboveOverrulesAReturnUp() {
        Decision ok = CaseWorkflow.decide(CaseState.RETURNED_UP, CaseAction.REDISPATCH, Role.PEER, CaseFacts.NONE.withOrigin(true, true));
        assertEquals(CaseState.REPORTED, ok.next());
        assertEquals(403, CaseWorkflow.decide(CaseState.RETURNED_UP, CaseAction.REDISPATCH, Role.PEER,
                CaseFacts.NONE.withOrigin(true, false)).refusal().status(), "another peer");
        // a desk never speaks for another level (only WorkOrders.fromOrigin does, for the origin's peer)
        assertEquals(403, CaseWorkflow.decide(CaseState.RETURNED_UP, CaseAction.REDISPATCH, Role.DISPATCHER,
                CaseFacts.NONE.withOrigin(true, false)).refusal().status(), "the desk below");
        assertEquals(List.of(), CaseWorkflow.availableActions(CaseState.RETURNED_UP, Role.DISPATCHER, CaseFacts.NONE.withOrigin(true, false)));
    }

    @Test
    void anOrderSentToTheLevelBelowIsHandledThereTheOriginTakesOnlyItsDecisions() {
        CaseFacts sent = CaseFacts.NONE.withHandledBelow(true);
        for (Transition t : CaseWorkflow.transitions()) {
            boolean originsDecision = t.guards().contains(Guard.ORIGIN_DECIDES);
            for (Role r : t.roles()) {
                Decision d = CaseWorkflow.decide(t.from(), t.action(), r, sent, reasonFor(t.action()));
                if (originsDecision) {
                    assertTrue(d.allowed(), () -> t + " by " + r + ": " + d);
                } else {
                    assertFalse(d.allowed(), () -> t + " by " + r + " on an order handled below");
                    assertEquals(409, d.refusal().status());
                    assertEquals("本案件已派下级平台办理，本级不能" + t.action().zh(), d.refusal().zh());
                }
            }
        }
        // the city's desk: its order comes back closed, or returned up; it evaluates, reopens or overrules the return
        assertEquals(List.of(CaseAction.EVALUATE, CaseAction.REOPEN), CaseWorkflow.availableActions(CaseState.CLOSED, Role.COMMAND, sent));
        assertEquals(List.of(CaseAction.REDISPATCH), CaseWorkflow.availableActions(CaseState.RETURNED_UP, Role.DISPATCHER, sent));
        assertEquals(List.of(), CaseWorkflow.availableActions(CaseState.REPORTED, Role.DISPATCHER, sent), "the district files it");
        assertEquals(List.of(), CaseWorkflow.availableActions(CaseState.RETURNED, Role.DISPATCHER, sent),
                "a worker's 退单 is the district's to decide");
        assertEquals(CaseState.REPORTED, CaseWorkflow.decide(CaseState.RETURNED_UP, CaseAction.REDISPATCH, Role.COMMAND, sent).next());
    }

    @Test
    void aWorkOrderFromAboveGoesRoundTheLoopAndBackUp() {
        CaseFacts desk = CaseFacts.NONE.withOrigin(true, false);
        CaseFacts worker = CaseFacts.assignee().withOrigin(true, false);
        CaseFacts city = CaseFacts.NONE.withOrigin(true, true);
        CaseState s = CaseState.REPORTED;
        assertEquals(List.of(CaseAction.VERIFY, CaseAction.FILE, CaseAction.REJECT, CaseAction.RETURN_UP),
                CaseWorkflow.availableActions(s, Role.DISPATCHER, desk));
        s = step(s, CaseAction.RETURN_UP, Role.DISPATCHER, desk, ReturnUpReason.NOT_OUR_JURISDICTION, CaseState.RETURNED_UP);
        s = step(s, CaseAction.REDISPATCH, Role.PEER, city, null, CaseState.REPORTED);
        s = step(s, CaseAction.FILE, Role.DISPATCHER, desk, null, CaseState.FILED);
        s = step(s, CaseAction.DISPATCH, Role.DISPATCHER, desk, null, CaseState.DISPATCHED);
        s = step(s, CaseAction.RETURN, Role.WORKER, worker, ReturnReason.OUTSIDE_AREA, CaseState.RETURNED);
        s = step(s, CaseAction.REDISPATCH, Role.DISPATCHER, desk, null, CaseState.DISPATCHED);
        s = step(s, CaseAction.SIGN, Role.WORKER, worker, null, CaseState.SIGNED);
        s = step(s, CaseAction.START_HANDLING, Role.WORKER, worker, null, CaseState.IN_PROCESS);
        s = step(s, CaseAction.FEEDBACK, Role.WORKER, worker, null, CaseState.DONE_FEEDBACK);
        s = step(s, CaseAction.START_CHECK, Role.DISPATCHER, desk, null, CaseState.CHECKING);
        s = step(s, CaseAction.CLOSE, Role.DISPATCHER, desk, null, CaseState.CLOSED);
        s = step(s, CaseAction.REOPEN, Role.PEER, city, null, CaseState.REOPENED);
        s = step(s, CaseAction.DISPATCH, Role.DISPATCHER, desk, null, CaseState.DISPATCHED);
        s = step(s, CaseAction.RETURN, Role.WORKER, worker, ReturnReason.OUTSIDE_AREA, CaseState.RETURNED);
        s = step(s, CaseAction.RETURN_UP, Role.COMMAND, desk, ReturnUpReason.NOT_OUR_JURISDICTION, CaseState.RETURNED_UP);
        s = step(s, CaseAction.REDISPATCH, Role.PEER, city, null, CaseState.REPORTED);
        s = step(s, CaseAction.FILE, Role.DISPATCHER, desk, null, CaseState.FILED);
        s = step(s, CaseAction.DISPATCH, Role.DISPATCHER, desk, null, CaseState.DISPATCHED);
        s = step(s, CaseAction.SIGN, Role.WORKER, worker, null, CaseState.SIGNED);
        s = step(s, CaseAction.START_HANDLING, Role.WORKER, worker, null, CaseState.IN_PROCESS);
        s = step(s, CaseAction.FEEDBACK, Role.WORKER, worker, null, CaseState.DONE_FEEDBACK);
        s = step(s, CaseAction.START_CHECK, Role.DISPATCHER, desk, null, CaseState.CHECKING);
        s = step(s, CaseAction.CLOSE, Role.WORKER, desk, null, CaseState.CLOSED);
        s = step(s, CaseAction.EVALUATE, Role.PEER, city, null, CaseState.EVALUATED);
        assertTrue(s.isFinal());
    }

    private static CaseState step(CaseState from, CaseAction a, Role r, CaseFacts f, CodedReason reason, CaseState expected) {
        Decision d = CaseWorkflow.decide(from, a, r, f, reason);
        assertTrue(d.allowed(), () -> from + " + " + a + ": " + d);
        assertEquals(expected, d.next());
        return d.next();
    }

    private static ClockEffect clock(CaseState s, CaseAction a) {
        return CaseWorkflow.transition(s, a).orElseThrow().clock();
    }

    /** Facts that pass every guard of {@code t}. */
    private static CaseFacts passing(Transition t) {
        return new CaseFacts(t.guards().contains(Guard.ASSIGNEE), t.guards().contains(Guard.REPORTER), false,
                t.guards().contains(Guard.EXTENSION_PENDING), t.guards().contains(Guard.FROM_ABOVE),
                t.guards().contains(Guard.ORIGIN_DECIDES));
    }

    private static CodedReason reasonFor(CaseAction a) {
        if (a.reasonType() == ReturnReason.class) {
            return ReturnReason.NOT_OUR_DUTY;
        }
        if (a.reasonType() == ReturnUpReason.class) {
            return ReturnUpReason.NOT_OUR_JURISDICTION;
        }
        return a.reasonType() == ExtensionReason.class ? ExtensionReason.WEATHER : null;
    }
}
