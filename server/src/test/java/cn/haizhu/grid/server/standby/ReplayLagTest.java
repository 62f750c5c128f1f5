package cn.haizhu.grid.server.standby;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** The lag is dated by the primary's WAL positions, not by the last replayed transaction's time. */
class ReplayLagTest {
    @Test
    void theLagIsTheAgeOfTheNewestPositionTheReplayReached() {
        Deque<long[]> written = new ArrayDeque<>();
        written.add(new long[] {1_000, 100});
        written.add(new long[] {2_000, 200});
        written.add(new long[] {3_000, 300});
        assertEquals(500, StandbyReads.lagNanos(written, 300, 3_500), "caught up: as old as the last check");
        assertEquals(1_500, StandbyReads.lagNanos(written, 250, 3_500), "between two positions: the older one dates it");
        assertEquals(2_500, StandbyReads.lagNanos(written, 50, 3_500), "behind every kept position: at least the oldest's age");
        assertEquals(Long.MAX_VALUE, StandbyReads.lagNanos(new ArrayDeque<>(), 50, 3_500), "nothing known yet");
    }

    @Test
    void anIdlePrimaryLeavesNoLag() {
        Deque<long[]> written = new ArrayDeque<>();
        for (long t = 0; t < 10; t++) {
            written.add(new long[] {t * 250, 4242});   // no write for a long time: the position stands still
        }
        assertEquals(10, StandbyReads.lagNanos(written, 4242, 2_260));
    }
}
