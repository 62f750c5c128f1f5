package cn.haizhu.grid.data.cases;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * 联合审定 (joint review of a difficult work order, {@link CaseState#JOINT_REVIEW}): the departments
 * concerned each give a 会审意见 ({@link CaseAction#REVIEW_OPINION}), then command-center leadership
 * decides ({@link CaseAction#REVIEW_DISPATCH} / {@link CaseAction#REVIEW_CLOSE}). The rules beside the
 * transition table, for the facts it cannot hold (who spoke for which department):
 *
 * <ol>
 *   <li>An opinion speaks for one department. A user who belongs to a department (its handlers'
 *       accounts) speaks for that department only.</li>
 *   <li>One person speaks for one department in a review: desk staff who record a department's
 *       opinion on its behalf (会议记录) record no second department's.</li>
 *   <li>The decision needs the opinions of at least {@link #MIN_DEPARTMENTS} departments, each from a
 *       different person: one person's view is not a joint decision, whatever departments it names.
 *       Counted as the largest set of (department, person) pairs in which no department and no person
 *       appears twice, so opinions recorded before rule 2 held cannot add up to it either.</li>
 * </ol>
 * Opinions count from the last time the case went to joint review.
 */
public final class JointReview {
    /** The departments, from as many people, that a joint decision needs. */
    public static final int MIN_DEPARTMENTS = 2;

    /** A recorded 会审意见: the user who recorded it and the department it speaks for. */
    public record Opinion(long userId, String department) {
    }

    private JointReview() {
    }

    /**
     * Whether {@code actor} (whose own department is {@code actorDepartment}, or null for desk staff)
     * may record an opinion for {@code department}, given the opinions of this review so far.
     */
    public static Optional<Refusal> canRecord(long actor, String actorDepartment, String department, List<Opinion> earlier) {
        if (actorDepartment != null && !actorDepartment.equals(department)) {
            return Optional.of(new Refusal(Refusal.Kind.ACTOR_NOT_ALLOWED,
                    "您属于部门 " + actorDepartment + "，只能代表本部门发表会审意见",
                    "you belong to department " + actorDepartment + " and may speak for it only"));
        }
        for (Opinion o : earlier) {
            if (o.userId() == actor && !o.department().equals(department)) {
                return Optional.of(new Refusal(Refusal.Kind.ACTOR_NOT_ALLOWED,
                        "您已代表部门 " + o.department() + " 发表会审意见，同一人不能代表两个部门",
                        "you spoke for department " + o.department() + " in this review already: one person speaks for one department"));
            }
        }
        return Optional.empty();
    }

    /** Whether the opinions allow the joint decision (审定后派遣 / 审定后结案). */
    public static Optional<Refusal> canDecide(List<Opinion> opinions) {
        int heard = departmentsHeard(opinions);
        if (heard >= MIN_DEPARTMENTS) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(Refusal.Kind.ILLEGAL_TRANSITION,
                "联合审定需至少 " + MIN_DEPARTMENTS + " 个部门由不同人员发表的会审意见，目前 " + heard + " 个",
                "a joint decision needs the opinions of at least " + MIN_DEPARTMENTS
                        + " departments, each from a different person; " + heard + " so far"));
    }

    /**
     * The departments heard from distinct people: the size of a maximum matching between departments
     * and the people who spoke for them (augmenting paths; a review has a handful of opinions).
     */
    public static int departmentsHeard(List<Opinion> opinions) {
        Map<String, Set<Long>> speakers = new LinkedHashMap<>();
        for (Opinion o : opinions) {
            speakers.computeIfAbsent(o.department(), d -> new LinkedHashSet<>()).add(o.userId());
        }
        Map<Long, String> speaksFor = new HashMap<>();
        int matched = 0;
        for (String department : speakers.keySet()) {
            if (augment(department, speakers, speaksFor, new ArrayList<>())) {
                matched++;
            }
        }
        return matched;
    }

    /** Finds a person for {@code department}, moving others to another of their departments if need be. */
    private static boolean augment(String department, Map<String, Set<Long>> speakers, Map<Long, String> speaksFor,
                                   List<Long> visited) {
        for (Long person : speakers.get(department)) {
            if (visited.contains(person)) {
                continue;
            }
            visited.add(person);
            String held = speaksFor.get(person);
            if (held == null || augment(held, speakers, speaksFor, visited)) {
                speaksFor.put(person, department);
                return true;
            }
        }
        return false;
    }
}
