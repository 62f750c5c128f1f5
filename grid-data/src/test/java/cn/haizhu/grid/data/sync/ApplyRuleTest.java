package cn.haizhu.grid.data.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.sync.ApplyRule.Change;
import cn.haizhu.grid.data.sync.ApplyRule.Op;
import cn.haizhu.grid.data.sync.ApplyRule.Verdict;
import cn.haizhu.grid.data.sync.ApplyRule.Version;
import org.junit.jupiter.api.Test;

class ApplyRuleTest {
    static final String STREET = "440105001";
    static final String DISTRICT = "440105";
    static final String CITY = "440100";

    static Version v(long n, String origin) {
        return new Version(n, origin);
    }

    static Change upsert(long n, String origin, Version base) {
        return new Change(Op.UPSERT, v(n, origin), base);
    }

    @Test
    void aChangeHeldAlreadyChangesNothingAnywhere() {
        Change c = upsert(4, STREET, v(3, STREET));
        assertEquals(Verdict.SKIP, ApplyRule.decide(DISTRICT, STREET, v(4, STREET), c));
        assertEquals(Verdict.SKIP, ApplyRule.decide(STREET, STREET, v(4, STREET), c));
    }

    @Test
    void atACopyAHigherVersionReplacesItAndALowerOneDoesNot() {
        assertEquals(Verdict.APPLY, ApplyRule.decide(DISTRICT, STREET, v(3, STREET), upsert(4, STREET, v(3, STREET))));
        assertEquals(Verdict.SKIP, ApplyRule.decide(DISTRICT, STREET, v(5, STREET), upsert(4, STREET, v(3, STREET))));
        // the city's copy takes the district's edit of a street's house: a copy does not judge
        assertEquals(Verdict.APPLY, ApplyRule.decide(CITY, STREET, v(3, STREET), upsert(4, DISTRICT, v(3, STREET))));
    }

    @Test
    void aCopyKeepsItsOwnRequestUntilTheOwnerAnswersIt() {
        // the district edited the street's v4 into v5; the street's own v5 and v6 arrive before the street saw the request
        assertEquals(Verdict.SKIP, ApplyRule.decide(DISTRICT, STREET, v(5, DISTRICT), upsert(5, STREET, v(4, STREET))));
        assertEquals(Verdict.SKIP, ApplyRule.decide(DISTRICT, STREET, v(5, DISTRICT), upsert(6, STREET, v(5, STREET))));
        // the owner's answer is made from the request: applied there, or its own copy kept after a conflict
        assertEquals(Verdict.APPLY, ApplyRule.decide(DISTRICT, STREET, v(5, DISTRICT), upsert(7, STREET, v(5, DISTRICT))));
        // another copy does not wait for an answer that is not its own: higher wins
        assertEquals(Verdict.APPLY, ApplyRule.decide(CITY, STREET, v(5, DISTRICT), upsert(6, STREET, v(5, STREET))));
        assertEquals(Verdict.SKIP, ApplyRule.decide(CITY, STREET, v(5, STREET), upsert(5, DISTRICT, v(4, STREET))));
        // a scope exit and a tombstone from the owner are no edits to wait on
        assertEquals(Verdict.APPLY, ApplyRule.decide(DISTRICT, STREET, v(5, DISTRICT), new Change(Op.DELETE, v(7, STREET), v(6, STREET))));
    }

    @Test
    void theOwnersAnswerFoldedBehindItsEarlierEditInOneBatchStillAnswersTheRequest() {
        // the street made v5 from v4 while the district's request v5 was on its way; the request then came in as a
        // conflict and the street answered with v6 made from it. The district's next batch folds both into one change,
        // v6 with the base of the first (v4 of the street): the answer is among the later bases
        Change folded = new Change(Op.UPSERT, v(6, STREET), v(4, STREET), java.util.List.of(v(5, DISTRICT)), false);
        assertEquals(Verdict.APPLY, ApplyRule.decide(DISTRICT, STREET, v(5, DISTRICT), folded));
        // without the answer among them it still waits
        assertEquals(Verdict.SKIP, ApplyRule.decide(DISTRICT, STREET, v(5, DISTRICT),
                new Change(Op.UPSERT, v(6, STREET), v(4, STREET), java.util.List.of(v(5, STREET)), false)));
    }

    @Test
    void anEditOfARecordTheOwnerDeletedIsAConflictThereNotTheRecordBack() {
        // the street deleted its v4 (its tombstone: v5); the district's edit made from v4 arrives afterwards
        Change edit = upsert(5, DISTRICT, v(4, STREET));
        assertTrue(ApplyRule.asksForOwnTombstone(STREET, STREET, null, edit));
        assertEquals(Verdict.CONFLICT, ApplyRule.decide(STREET, STREET, null, v(5, STREET), edit));
        // the record was not deleted here (a scope exit, or never held): it arrives
        assertEquals(Verdict.APPLY, ApplyRule.decide(STREET, STREET, null, null, edit));
        // a move made above brings it in, whatever happened to it here before
        Change moved = new Change(Op.UPSERT, v(5, DISTRICT), v(4, DISTRICT), java.util.List.of(), true);
        assertFalse(ApplyRule.asksForOwnTombstone(STREET, STREET, null, moved));
        assertEquals(Verdict.APPLY, ApplyRule.decide(STREET, STREET, null, v(5, STREET), moved));
        // an insert never asks, nor a copy for another copy's edit
        assertFalse(ApplyRule.asksForOwnTombstone(STREET, STREET, null, upsert(1, DISTRICT, null)));
        assertFalse(ApplyRule.asksForOwnTombstone(DISTRICT, STREET, null, edit));
        // the delete is written again above the request
        assertEquals(6, ApplyRule.reassertedVersion(v(5, STREET), edit));
    }

    @Test
    void aCopyKeepsItsOwnDeleteUntilTheOwnerAnswersIt() {
        // the district deleted the street's v5 (its tombstone: v6 of the district, a request); the street's own v6 and
        // v7, made before it saw the request, arrive afterwards: the record does not come back at the district
        Change owners = new Change(Op.UPSERT, v(7, STREET), v(5, STREET), java.util.List.of(v(6, STREET)), false);
        assertTrue(ApplyRule.asksForOwnTombstone(DISTRICT, STREET, null, owners));
        assertEquals(Verdict.SKIP, ApplyRule.decide(DISTRICT, STREET, null, v(6, DISTRICT), owners));
        // the owner's answer is made from the delete (a conflict there: its copy again, above the request)
        assertEquals(Verdict.APPLY, ApplyRule.decide(DISTRICT, STREET, null, v(6, DISTRICT), upsert(8, STREET, v(6, DISTRICT))));
        assertEquals(Verdict.APPLY, ApplyRule.decide(DISTRICT, STREET, null, v(6, DISTRICT),
                new Change(Op.UPSERT, v(8, STREET), v(7, STREET), java.util.List.of(v(6, DISTRICT)), false)));
        // a record the copy did not delete itself (a tombstone from a peer, a scope exit, never held) arrives
        assertEquals(Verdict.APPLY, ApplyRule.decide(DISTRICT, STREET, null, null, owners));
        // the city does not wait on the district's request: it applied the district's tombstone from that peer
        assertTrue(ApplyRule.asksForOwnTombstone(CITY, STREET, null, owners));
        assertEquals(Verdict.APPLY, ApplyRule.decide(CITY, STREET, null, null, owners));
        // a move made above brings it in
        assertFalse(ApplyRule.asksForOwnTombstone(DISTRICT, STREET, null,
                new Change(Op.UPSERT, v(7, STREET), v(5, STREET), java.util.List.of(), true)));
    }

    @Test
    void atTheOwnerAnEditFromElsewhereAppliesOnlyOnTheVersionItWasMadeFrom() {
        assertEquals(Verdict.APPLY, ApplyRule.decide(STREET, STREET, v(4, STREET), upsert(5, DISTRICT, v(4, STREET))));
        // the owner moved meanwhile: a conflict, even though the request's number is higher
        assertEquals(Verdict.CONFLICT, ApplyRule.decide(STREET, STREET, v(5, STREET), upsert(6, DISTRICT, v(4, STREET))));
        // same number, other origin: the owner's v5 is not the district's v5
        assertEquals(Verdict.CONFLICT, ApplyRule.decide(STREET, STREET, v(5, STREET), upsert(6, DISTRICT, v(5, DISTRICT))));
        // a delete from elsewhere is a request too
        assertEquals(Verdict.APPLY, ApplyRule.decide(STREET, STREET, v(4, STREET), new Change(Op.DELETE, v(5, DISTRICT), v(4, STREET))));
        assertEquals(Verdict.CONFLICT, ApplyRule.decide(STREET, STREET, v(6, STREET), new Change(Op.DELETE, v(5, DISTRICT), v(4, STREET))));
    }

    @Test
    void theOwnersOwnChangeComingBackIsOldNews() {
        assertEquals(Verdict.SKIP, ApplyRule.decide(STREET, STREET, v(6, STREET), upsert(5, STREET, v(4, STREET))));
    }

    @Test
    void anEditRequestAppliedAtTheOwnerIsThenHeldThere() {
        // the district's v5 applied at the street: the same change again is held
        assertEquals(Verdict.SKIP, ApplyRule.decide(STREET, STREET, v(5, DISTRICT), upsert(5, DISTRICT, v(4, STREET))));
    }

    @Test
    void newRecordsArriveTombstonesOfUnknownOnesAndScopeExitsOfAbsentOnesChangeNothing() {
        assertEquals(Verdict.APPLY, ApplyRule.decide(STREET, STREET, null, upsert(1, DISTRICT, null)));
        assertEquals(Verdict.SKIP, ApplyRule.decide(STREET, STREET, null, new Change(Op.DELETE, v(2, DISTRICT), v(1, DISTRICT))));
        assertEquals(Verdict.SKIP, ApplyRule.decide(STREET, "440105002", null, new Change(Op.LEFT_SCOPE, v(3, DISTRICT), null)));
        assertEquals(Verdict.APPLY, ApplyRule.decide(STREET, "440105002", v(2, STREET), new Change(Op.LEFT_SCOPE, v(3, DISTRICT), null)));
    }

    @Test
    void afterAConflictTheOwnersCopyGoesOutAboveBoth() {
        assertEquals(8, ApplyRule.reassertedVersion(v(5, STREET), upsert(7, DISTRICT, v(4, STREET))));
        assertEquals(6, ApplyRule.reassertedVersion(v(5, STREET), upsert(5, DISTRICT, v(4, STREET))));
    }

    @Test
    void ownersAreTheStreetForPlacesAndPeopleAndTheDistrictForTheMap() {
        assertEquals(STREET, Ownership.owner("person", STREET));
        assertEquals(STREET, Ownership.owner("house", STREET));
        assertEquals(DISTRICT, Ownership.owner("grid", STREET));
        assertEquals(DISTRICT, Ownership.owner("admin_area", DISTRICT));
        assertThrows(IllegalArgumentException.class, () -> Ownership.owner("civic_case", STREET));
    }

    @Test
    void aChangeHeldBackByAReferenceIsAConflictAtTheOwnerAndWaitsAnywhereElse() {
        // a resident the district moved into a house the street deleted: the street answers it
        assertEquals(Verdict.CONFLICT, ApplyRule.onReference(STREET, STREET, v(3, STREET), upsert(4, DISTRICT, v(3, STREET))));
        // a resident the district inserted there, or moved there from the other street: none held, still the street's answer
        assertEquals(Verdict.CONFLICT, ApplyRule.onReference(STREET, STREET, null, upsert(1, DISTRICT, null)));
        // a delete of a house the street holds residents of that the district did not know: the street keeps its house
        assertEquals(Verdict.CONFLICT, ApplyRule.onReference(STREET, STREET, v(3, STREET),
                new Change(Op.DELETE, v(4, DISTRICT), v(3, STREET))));
        // at a copy the owner's word waits for what it needs (the owner's answer to the copy's own request)
        assertEquals(Verdict.SKIP, ApplyRule.onReference(DISTRICT, STREET, v(4, DISTRICT),
                new Change(Op.DELETE, v(4, STREET), v(3, STREET))));
        assertEquals(Verdict.SKIP, ApplyRule.onReference(DISTRICT, STREET, null, upsert(5, STREET, v(4, STREET))));
        // the owner's own change coming back, and a scope exit, are no requests
        assertEquals(Verdict.SKIP, ApplyRule.onReference(STREET, STREET, null, upsert(5, STREET, v(4, STREET))));
        assertEquals(Verdict.SKIP, ApplyRule.onReference(STREET, STREET, v(3, STREET), new Change(Op.LEFT_SCOPE, v(4, DISTRICT), null)));
    }
}
