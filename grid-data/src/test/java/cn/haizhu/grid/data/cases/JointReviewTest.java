package cn.haizhu.grid.data.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.cases.JointReview.Opinion;
import java.util.List;
import org.junit.jupiter.api.Test;

class JointReviewTest {
    private static final long DESK = 1;
    private static final long LEAD = 2;
    private static final long STREET_HANDLER = 3;

    @Test
    void onePersonNamingTwoDepartmentsIsNoJointDecision() {
        List<Opinion> alone = List.of(new Opinion(DESK, "JD"), new Opinion(DESK, "CGJ"));
        assertEquals(1, JointReview.departmentsHeard(alone));
        Refusal r = JointReview.canDecide(alone).orElseThrow();
        assertEquals(409, r.status());
        assertTrue(r.zh().contains("不同人员"), r.zh());
        assertTrue(JointReview.canDecide(List.of(new Opinion(DESK, "JD"), new Opinion(LEAD, "CGJ"))).isEmpty());
    }

    @Test
    void twoPeopleForOneDepartmentAreStillOneDepartment() {
        List<Opinion> one = List.of(new Opinion(DESK, "JD"), new Opinion(LEAD, "JD"), new Opinion(DESK, "JD"));
        assertEquals(1, JointReview.departmentsHeard(one));
        assertTrue(JointReview.canDecide(one).isPresent());
        assertTrue(JointReview.canDecide(List.of()).isPresent());
    }

    @Test
    void distinctPeopleAreMatchedToDepartmentsAtBest() {
        // DESK spoke for JD and CGJ (before one person was held to one department), LEAD for JD only:
        // LEAD covers JD, so DESK's CGJ counts; greedy pairing DESK-JD first would find one.
        List<Opinion> mixed = List.of(new Opinion(DESK, "JD"), new Opinion(DESK, "CGJ"), new Opinion(LEAD, "JD"));
        assertEquals(2, JointReview.departmentsHeard(mixed));
        // three departments, but two of them only through the same person
        List<Opinion> crowded = List.of(new Opinion(DESK, "JD"), new Opinion(DESK, "CGJ"), new Opinion(DESK, "SWJ"),
                new Opinion(LEAD, "JD"), new Opinion(STREET_HANDLER, "JD"));
        assertEquals(2, JointReview.departmentsHeard(crowded));
    }

    @Test
    void aPersonSpeaksForOneDepartmentAndAMemberForTheirOwnOnly() {
        List<Opinion> earlier = List.of(new Opinion(DESK, "JD"));
        assertTrue(JointReview.canRecord(DESK, null, "JD", earlier).isEmpty(), "a further opinion for the same department");
        Refusal second = JointReview.canRecord(DESK, null, "CGJ", earlier).orElseThrow();
        assertEquals(403, second.status());
        assertTrue(second.en().contains("one person speaks for one department"), second.en());
        assertTrue(JointReview.canRecord(LEAD, null, "CGJ", earlier).isEmpty(), "another person, another department");

        Refusal foreign = JointReview.canRecord(STREET_HANDLER, "JD", "CGJ", List.of()).orElseThrow();
        assertEquals(403, foreign.status());
        assertTrue(foreign.zh().contains("本部门"), foreign.zh());
        assertTrue(JointReview.canRecord(STREET_HANDLER, "JD", "JD", earlier).isEmpty());
    }
}
