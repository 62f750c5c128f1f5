package cn.haizhu.grid.data.cases;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A case's deadline clock (处置时限), an immutable value: when it started, the limit in working
 * time, the extensions granted (延期), the intervals it stood still (缓办, waiting for 核查) and
 * whether it is standing or stopped now. Each transition's {@link ClockEffect} moves it on with
 * {@link #apply}. The data layer stores these fields; everything else is computed on a
 * {@link WorkingCalendar}.
 *
 * @param startedAt when the clock started (派遣), null for {@link #NOT_STARTED}
 * @param limit the category's limit for the case's urgency, in working time
 * @param extended the working time granted by extensions so far
 * @param pauses the closed intervals the clock stood still
 * @param pausedSince when the current pause began, or null if the clock is not standing
 * @param stoppedAt when the clock was stopped for good, or null
 */
public record CaseClock(Instant startedAt, Duration limit, Duration extended, List<TimeInterval> pauses,
        Instant pausedSince, Instant stoppedAt) {

    /** A case that has no deadline yet (not dispatched, or handled on the spot). */
    public static final CaseClock NOT_STARTED = new CaseClock(null, Duration.ZERO, Duration.ZERO, List.of(), null, null);

    public CaseClock {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(extended, "extended");
        pauses = List.copyOf(pauses);
        if (limit.isNegative() || extended.isNegative()) {
            throw new IllegalArgumentException("limit and extensions cannot be negative");
        }
    }

    /** A clock started at {@code at} with {@code limit} of working time. */
    public static CaseClock start(Instant at, Duration limit) {
        return new CaseClock(Objects.requireNonNull(at), limit, Duration.ZERO, List.of(), null, null);
    }

    public boolean started() {
        return startedAt != null;
    }

    public boolean running() {
        return started() && pausedSince == null && stoppedAt == null;
    }

    public boolean stopped() {
        return stoppedAt != null;
    }

    /** The limit plus the granted extensions. */
    public Duration totalLimit() {
        return limit.plus(extended);
    }

    /**
     * The clock after a transition's effect at {@code at}. {@code amount} is the limit for START
     * and the granted working time for EXTEND, and is ignored otherwise. As {@link ClockEffect}
     * says, effects other than START change nothing on a clock that was never started or is
     * stopped; PAUSE on a standing clock and RESUME on a running one change nothing either, so that
     * a replayed action is harmless.
     */
    public CaseClock apply(ClockEffect effect, Instant at, Duration amount) {
        if (effect == ClockEffect.START) {
            return start(at, amount);
        }
        if (!started() || stopped()) {
            return this;
        }
        return switch (effect) {
            case NONE, START -> this;
            case PAUSE -> pausedSince != null ? this
                    : new CaseClock(startedAt, limit, extended, pauses, at, null);
            case RESUME -> pausedSince == null ? this
                    : new CaseClock(startedAt, limit, extended, withPause(pausedSince, at), null, null);
            case EXTEND -> {
                if (amount.isNegative()) {
                    throw new IllegalArgumentException("an extension cannot be negative: " + amount);
                }
                yield new CaseClock(startedAt, limit, extended.plus(amount), pauses, pausedSince, null);
            }
            case STOP -> pausedSince == null
                    ? new CaseClock(startedAt, limit, extended, pauses, null, at)
                    : new CaseClock(startedAt, limit, extended, withPause(pausedSince, at), null, at);
        };
    }

    /** Working time used up to {@code now} (or to the stop), pauses not counted. Zero if not started. */
    public Duration elapsed(WorkingCalendar calendar, Instant now) {
        if (!started()) {
            return Duration.ZERO;
        }
        Instant end = stopped() ? TimeInterval.min(stoppedAt, now) : now;
        if (end.isBefore(startedAt)) {
            return Duration.ZERO;
        }
        List<TimeInterval> still = pauses;
        if (pausedSince != null && pausedSince.isBefore(end)) {
            still = withPause(pausedSince, end);
        }
        return calendar.workingTimeBetween(startedAt, end, still);
    }

    /** Working time left at {@code now}; negative when overdue (by that much). */
    public Duration remaining(WorkingCalendar calendar, Instant now) {
        return totalLimit().minus(elapsed(calendar, now));
    }

    /** True if the clock has started and more working time has passed than the limit allows. */
    public boolean overdue(WorkingCalendar calendar, Instant now) {
        return started() && remaining(calendar, now).isNegative();
    }

    /**
     * When the limit runs out if the clock keeps running: empty unless it is running (a standing
     * clock has no deadline until it runs again; a stopped one no longer needs one).
     */
    public Optional<Instant> deadline(WorkingCalendar calendar) {
        if (!running()) {
            return Optional.empty();
        }
        return Optional.of(calendar.addWorkingTime(startedAt, totalLimit(), pauses));
    }

    /** For a stopped clock: whether the work was done within the limit (按期). Empty if not stopped. */
    public Optional<Boolean> finishedOnTime(WorkingCalendar calendar) {
        if (!stopped()) {
            return Optional.empty();
        }
        return Optional.of(!overdue(calendar, stoppedAt));
    }

    private List<TimeInterval> withPause(Instant from, Instant to) {
        List<TimeInterval> out = new ArrayList<>(pauses);
        out.add(new TimeInterval(from, TimeInterval.max(from, to)));
        return out;
    }
}
