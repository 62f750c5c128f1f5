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
 * @param fromAbove the case is a work order from a level above (the city's 12345 platform): that
 *     level owns its evaluation (回访/评价, 重办), and it may be returned there (退回上级)
 * @param actorIsOrigin the actor speaks for the level the work order came from
 * @param handledBelow the case is a work order this level sent to a level below (the city's order, handled
 *     at a district): it is handled there, and this level takes only the origin's decisions on it
 *     (回访/评价, 重办, 驳回退单)
 */
public record CaseFacts(boolean actorIsAssignee, boolean actorIsReporter, boolean actorHandledCase,
        boolean extensionPending, boolean fromAbove, boolean actorIsOrigin, boolean handledBelow) {
    /** No fact holds. */
    public static final CaseFacts NONE = new CaseFacts(false, false, false, false, false, false, false);

    /** The facts of a case handled at this level. */
    public CaseFacts(boolean actorIsAssignee, boolean actorIsReporter, boolean actorHandledCase,
            boolean extensionPending, boolean fromAbove, boolean actorIsOrigin) {
        this(actorIsAssignee, actorIsReporter, actorHandledCase, extensionPending, fromAbove, actorIsOrigin, false);
    }

    /** The actor is the assigned worker. */
    public static CaseFacts assignee() {
        return NONE.withAssignee(true);
    }

    public CaseFacts withAssignee(boolean value) {
        return new CaseFacts(value, actorIsReporter, actorHandledCase, extensionPending, fromAbove, actorIsOrigin, handledBelow);
    }

    public CaseFacts withReporter(boolean value) {
        return new CaseFacts(actorIsAssignee, value, actorHandledCase, extensionPending, fromAbove, actorIsOrigin, handledBelow);
    }

    public CaseFacts withHandled(boolean value) {
        return new CaseFacts(actorIsAssignee, actorIsReporter, value, extensionPending, fromAbove, actorIsOrigin, handledBelow);
    }

    public CaseFacts withExtensionPending(boolean value) {
        return new CaseFacts(actorIsAssignee, actorIsReporter, actorHandledCase, value, fromAbove, actorIsOrigin, handledBelow);
    }

    /** The case came from a level above; {@code actorIsOrigin} says whether the actor speaks for that level. */
    public CaseFacts withOrigin(boolean fromAbove, boolean actorIsOrigin) {
        return new CaseFacts(actorIsAssignee, actorIsReporter, actorHandledCase, extensionPending, fromAbove, actorIsOrigin, handledBelow);
    }

    /** The case is a work order this level sent to a level below, which handles it. */
    public CaseFacts withHandledBelow(boolean value) {
        return new CaseFacts(actorIsAssignee, actorIsReporter, actorHandledCase, extensionPending, fromAbove, actorIsOrigin, value);
    }
}
