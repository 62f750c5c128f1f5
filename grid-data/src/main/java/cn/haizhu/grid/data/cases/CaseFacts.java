package cn.haizhu.grid.data.cases;

/**
 * What the data layer knows about the actor and the case when an action arrives: facts the state
 * alone cannot tell. All false is {@link #NONE}.
 *
 * @param actorIsAssignee the actor is the worker the case is assigned to (for verification or handling)
 * @param actorIsReporter the actor reported the case (may handle it on the spot)
 * @param actorHandledCase the actor handled the case (reported it done or handled it on the spot);
 *     such an actor must not check it (核查须由非处置人进行)
 * @param extensionPending a request for an extension waits for a decision
 */
public record CaseFacts(boolean actorIsAssignee, boolean actorIsReporter, boolean actorHandledCase,
        boolean extensionPending) {
    /** No fact holds. */
    public static final CaseFacts NONE = new CaseFacts(false, false, false, false);

    /** The actor is the assigned worker. */
    public static CaseFacts assignee() {
        return NONE.withAssignee(true);
    }

    public CaseFacts withAssignee(boolean value) {
        return new CaseFacts(value, actorIsReporter, actorHandledCase, extensionPending);
    }

    public CaseFacts withReporter(boolean value) {
        return new CaseFacts(actorIsAssignee, value, actorHandledCase, extensionPending);
    }

    public CaseFacts withHandled(boolean value) {
        return new CaseFacts(actorIsAssignee, actorIsReporter, value, extensionPending);
    }

    public CaseFacts withExtensionPending(boolean value) {
        return new CaseFacts(actorIsAssignee, actorIsReporter, actorHandledCase, value);
    }
}
