package cn.haizhu.grid.data.cases;

/**
 * What a transition does to the case's deadline clock ({@link CaseClock}). The data layer applies
 * it in the same transaction as the state change. On a case without a running clock (a
 * self-handled case has none) PAUSE, RESUME, EXTEND and STOP change nothing.
 */
public enum ClockEffect {
    /** Nothing changes: the clock keeps running (or keeps standing). */
    NONE,
    /** A new deadline: the category's limit counted from now (派遣). */
    START,
    /** The clock stands: suspension (缓办) or waiting for the check after feedback. */
    PAUSE,
    /** The clock runs again; the paused interval does not count. */
    RESUME,
    /** The granted extension is added to the limit (延期). */
    EXTEND,
    /** The clock is finished: the case is closed, or goes back to be dispatched afresh. */
    STOP
}
