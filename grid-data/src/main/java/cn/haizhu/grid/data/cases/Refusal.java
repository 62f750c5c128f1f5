package cn.haizhu.grid.data.cases;

/**
 * Why an action was refused, in Chinese and English, with the HTTP status the API answers with.
 *
 * @param kind what went wrong, which fixes the status
 * @param zh the reason in Chinese, shown to the user
 * @param en the reason in English
 */
public record Refusal(Kind kind, String zh, String en) {
    /** The three ways an action can be refused. */
    public enum Kind {
        /** The action is not legal in the case's state (or the case's facts forbid it now). */
        ILLEGAL_TRANSITION(409),
        /** The action is legal but not for this actor (role, or not the assigned worker, or the doer checking own work). */
        ACTOR_NOT_ALLOWED(403),
        /** The request lacks something the action needs, such as a coded reason. */
        INVALID_REQUEST(422);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /** The HTTP status code. */
        public int status() {
            return status;
        }
    }

    /** The HTTP status code of {@link #kind}. */
    public int status() {
        return kind.status();
    }

    @Override
    public String toString() {
        return kind.status() + " " + zh + " / " + en;
    }
}
