package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderApplyTest {
    @Test
    void theOriginStatesItsLimitInWorkingHours() {
        assertEquals("24个工作小时", OrderApply.workingHours(24 * 3600L));
        assertEquals("7.5个工作小时", OrderApply.workingHours(27_000L), "one working day of 08:30-12:00 and 14:00-18:00");
        assertEquals("0.25个工作小时", OrderApply.workingHours(900L));
        assertNull(OrderApply.workingHours(0L), "a clock without a limit states none");
        assertNull(OrderApply.workingHours(null));
    }

    @Test
    void onlyTheOriginsDecisionsComeDown() {
        assertEquals(Set.of("evaluate", "reopen", "redispatch"), OrderApply.ORIGIN_STEPS);
    }
}
