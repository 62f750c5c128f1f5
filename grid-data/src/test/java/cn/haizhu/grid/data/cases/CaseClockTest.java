package cn.haizhu.grid.data.cases;

import static cn.haizhu.grid.data.cases.WorkingCalendarTest.bj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CaseClockTest {
    private static final WorkingCalendar CAL = WorkingCalendar.standard();
    private static final Duration FOUR_HOURS = Duration.ofHours(4);

    @Test
    void runsFromDispatch() {
        // 暴露垃圾, 4 working hours, dispatched Friday 16:00: due Monday 10:30
        CaseClock c = CaseClock.NOT_STARTED.apply(ClockEffect.START, bj("2026-03-06T16:00"), FOUR_HOURS);
        assertEquals(Optional.of(bj("2026-03-09T10:30")), c.deadline(CAL));
        assertEquals(Duration.ofHours(2), c.remaining(CAL, bj("2026-03-08T12:00")));
        assertFalse(c.overdue(CAL, bj("2026-03-09T10:30")));
        assertTrue(c.overdue(CAL, bj("2026-03-09T10:31")));
        assertEquals(Duration.ofMinutes(-1), c.remaining(CAL, bj("2026-03-09T10:31")));
    }

    @Test
    void suspensionMovesTheDeadline() {
        CaseClock c = CaseClock.start(bj("2026-03-09T08:30"), FOUR_HOURS)
                .apply(ClockEffect.PAUSE, bj("2026-03-09T10:30"), null);
        assertEquals(Optional.empty(), c.deadline(CAL));
        // standing still: two days later, still 2 h used
        assertEquals(Duration.ofHours(2), c.elapsed(CAL, bj("2026-03-11T12:00")));
        assertFalse(c.overdue(CAL, bj("2026-03-13T12:00")));
        c = c.apply(ClockEffect.RESUME, bj("2026-03-11T09:00"), null);
        assertEquals(Optional.of(bj("2026-03-11T11:00")), c.deadline(CAL));
        assertEquals(1, c.pauses().size());
    }

    @Test
    void extensionAddsWorkingTime() {
        CaseClock c = CaseClock.start(bj("2026-03-09T08:30"), FOUR_HOURS)
                .apply(ClockEffect.EXTEND, bj("2026-03-09T10:00"), Duration.ofHours(8));
        assertEquals(Duration.ofHours(12), c.totalLimit());
        // 12 h from Monday 08:30: 7.5 Monday, 4.5 Tuesday: 08:30-12:00 and 14:00-15:00
        assertEquals(Optional.of(bj("2026-03-10T15:00")), c.deadline(CAL));
    }

    @Test
    void feedbackPausesAndReworkResumes() {
        CaseClock c = CaseClock.start(bj("2026-03-09T08:30"), FOUR_HOURS)
                .apply(ClockEffect.PAUSE, bj("2026-03-09T10:30"), null)     // 处置反馈
                .apply(ClockEffect.RESUME, bj("2026-03-09T16:00"), null)    // 核查不通过, 返工
                .apply(ClockEffect.PAUSE, bj("2026-03-09T17:00"), null)     // 再次反馈
                .apply(ClockEffect.STOP, bj("2026-03-10T11:00"), null);     // 核查通过, 结案
        assertTrue(c.stopped());
        assertEquals(Duration.ofHours(3), c.elapsed(CAL, bj("2026-03-20T12:00")));
        assertEquals(Optional.of(true), c.finishedOnTime(CAL));
        assertEquals(Optional.empty(), c.deadline(CAL));
        assertFalse(c.overdue(CAL, bj("2026-04-20T12:00")));
    }

    @Test
    void lateCaseIsNotOnTime() {
        CaseClock c = CaseClock.start(bj("2026-03-09T08:30"), Duration.ofHours(1))
                .apply(ClockEffect.STOP, bj("2026-03-09T11:00"), null);
        assertEquals(Optional.of(false), c.finishedOnTime(CAL));
        assertEquals(Optional.empty(), CaseClock.start(bj("2026-03-09T08:30"), FOUR_HOURS).finishedOnTime(CAL));
    }

    @Test
    void effectsOnAClockThatNeverStartedOrHasStoppedChangeNothing() {
        for (ClockEffect e : ClockEffect.values()) {
            if (e != ClockEffect.START) {
                assertSame(CaseClock.NOT_STARTED, CaseClock.NOT_STARTED.apply(e, bj("2026-03-09T09:00"), FOUR_HOURS));
            }
        }
        assertEquals(Duration.ZERO, CaseClock.NOT_STARTED.elapsed(CAL, bj("2026-03-09T09:00")));
        assertFalse(CaseClock.NOT_STARTED.overdue(CAL, bj("2026-03-09T09:00")));
        CaseClock stopped = CaseClock.start(bj("2026-03-09T08:30"), FOUR_HOURS).apply(ClockEffect.STOP, bj("2026-03-09T09:00"), null);
        assertSame(stopped, stopped.apply(ClockEffect.EXTEND, bj("2026-03-09T10:00"), FOUR_HOURS));
        // a replayed pause or resume is harmless
        CaseClock paused = CaseClock.start(bj("2026-03-09T08:30"), FOUR_HOURS).apply(ClockEffect.PAUSE, bj("2026-03-09T09:00"), null);
        assertSame(paused, paused.apply(ClockEffect.PAUSE, bj("2026-03-09T10:00"), null));
        CaseClock running = paused.apply(ClockEffect.RESUME, bj("2026-03-09T10:00"), null);
        assertSame(running, running.apply(ClockEffect.RESUME, bj("2026-03-09T11:00"), null));
    }

    @Test
    void redispatchStartsAfresh() {
        CaseClock first = CaseClock.start(bj("2026-03-09T08:30"), FOUR_HOURS).apply(ClockEffect.STOP, bj("2026-03-09T10:00"), null);
        CaseClock second = first.apply(ClockEffect.START, bj("2026-03-10T08:30"), FOUR_HOURS);
        assertEquals(Optional.of(bj("2026-03-10T14:30")), second.deadline(CAL));
    }
}
