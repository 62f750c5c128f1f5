package cn.haizhu.grid.data.cases;

import java.util.Objects;

/**
 * The answer of {@link CaseWorkflow#decide}: either the transition to make or the refusal.
 * Exactly one of the two is non-null.
 */
public record Decision(Transition transition, Refusal refusal) {
    public Decision {
        if ((transition == null) == (refusal == null)) {
            throw new IllegalArgumentException("a decision is a transition or a refusal, not both or neither");
        }
    }

    static Decision allow(Transition transition) {
        return new Decision(Objects.requireNonNull(transition), null);
    }

    static Decision refuse(Refusal.Kind kind, String zh, String en) {
        return new Decision(null, new Refusal(kind, zh, en));
    }

    public boolean allowed() {
        return transition != null;
    }

    /** The state the case moves to. @throws IllegalStateException if refused */
    public CaseState next() {
        if (transition == null) {
            throw new IllegalStateException("refused: " + refusal);
        }
        return transition.to();
    }

    @Override
    public String toString() {
        return allowed() ? "allowed " + transition : "refused " + refusal;
    }
}
