package cn.haizhu.grid.data.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.sync.LinkHealth.Health;
import cn.haizhu.grid.data.sync.LinkHealth.Observed;
import cn.haizhu.grid.data.sync.LinkHealth.Reason;
import cn.haizhu.grid.data.sync.LinkHealth.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LinkHealthTest {
    static final Instant NOW = Instant.parse("2026-12-07T02:00:00Z");
    static final Instant CONFIGURED = NOW.minus(Duration.ofDays(3));
    /** A pull waits 20 s for news and gives up 15 s later (PeerPuller). */
    static final LinkHealth RULE = new LinkHealth(Duration.ofSeconds(35));

    static Instant ago(long seconds) {
        return NOW.minusSeconds(seconds);
    }

    static Health up(long lastContactAgo, double reportedLag) {
        return RULE.judge(new Observed(CONFIGURED, true, ago(lastContactAgo), null, reportedLag), NOW);
    }

    static Health down(long downForSeconds) {
        return RULE.judge(new Observed(CONFIGURED, false, ago(downForSeconds + 1), ago(downForSeconds), 0.0), NOW);
    }

    @Test
    void aLinkDownFourMinutesFiftyNineIsNoAlarmAndFiveMinutesOneIs() {
        Health short_ = down(4 * 60 + 59);
        assertEquals(State.DOWN, short_.state());
        assertNull(short_.alarm());
        assertEquals(ago(4 * 60 + 59), short_.downSince());

        Health long_ = down(5 * 60 + 1);
        assertEquals(State.DOWN, long_.state());
        assertEquals(Reason.DOWN, long_.alarm().reason());
        assertEquals(ago(5 * 60 + 1), long_.alarm().since());
        assertNull(down(5 * 60).alarm(), "more than 5 minutes: exactly 5 is not yet");
    }

    @Test
    void aLinkBehindFiftyNineSecondsIsNoAlarmAndSixtyOneIs() {
        Health behind59 = up(2, 59);
        assertEquals(State.LAGGING, behind59.state());
        assertEquals(59, behind59.lagSeconds());
        assertNull(behind59.alarm());

        Health behind61 = up(2, 61);
        assertEquals(State.LAGGING, behind61.state());
        assertEquals(Reason.LAG, behind61.alarm().reason());
        assertNull(up(2, 60).alarm(), "more than a minute: exactly 60 s is not yet");
    }

    @Test
    void aLinkUpAndCaughtUpIsCurrent() {
        Health h = up(3, 0.4);
        assertEquals(State.CURRENT, h.state());
        assertEquals(0.4, h.lagSeconds());
        assertTrue(h.everConnected());
        assertNull(h.downSince());
        assertNull(h.alarm());
        assertEquals(State.CURRENT, up(3, 10).state(), "10 s behind is still current");
        assertEquals(State.LAGGING, up(3, 10.5).state());
    }

    @Test
    void aSilentLinkIsAsFarBehindAsItsSilenceNotAsItsLastReport() {
        // within one long-poll, silence is what a healthy link looks like
        assertEquals(0.5, up(35, 0.5).lagSeconds());
        assertEquals(State.CURRENT, up(35, 0.5).state());
        // past it, nothing newer is known than the last contact
        Health quiet = up(50, 0.5);
        assertEquals(50.5, quiet.lagSeconds());
        assertEquals(State.LAGGING, quiet.state());
        assertNull(quiet.alarm());
        Health stale = up(90, 0.5);
        assertEquals(90.5, stale.lagSeconds());
        assertEquals(Reason.LAG, stale.alarm().reason(), "a link that says up but has been silent 90 s alarms");
    }

    @Test
    void aLinkDownIsBehindByItsSilenceButAlarmsByItsDowntime() {
        Health h = RULE.judge(new Observed(CONFIGURED, false, ago(130), ago(120), 1.0), NOW);
        assertEquals(State.DOWN, h.state());
        assertEquals(131.0, h.lagSeconds(), "the lag of its last contact and all the time since");
        assertNull(h.alarm(), "two minutes down: no alarm although it is far behind");
        assertEquals(ago(120), h.downSince());
    }

    @Test
    void aPeerNeverReachedIsDownSinceItWasConfiguredAndAlarmsAfterFiveMinutes() {
        Health fresh = RULE.judge(new Observed(ago(4 * 60), false, null, null, null), NOW);
        assertEquals(State.DOWN, fresh.state());
        assertFalse(fresh.everConnected());
        assertNull(fresh.lagSeconds(), "nothing ever came: no lag to tell");
        assertEquals(ago(4 * 60), fresh.downSince());
        assertNull(fresh.alarm());

        Health old = RULE.judge(new Observed(ago(6 * 60), false, null, ago(5 * 60 + 30), null), NOW);
        assertEquals(Reason.NEVER_CONNECTED, old.alarm().reason());
        assertEquals(ago(6 * 60), old.alarm().since(), "expected to work since it was configured, not since its first failure");
    }

    @Test
    void anAreaWithNoPeerIsNotConnectedAndNeverAnAlarm() {
        assertEquals(State.NOT_CONNECTED, Health.NOT_CONNECTED.state());
        assertNull(Health.NOT_CONNECTED.alarm());
        assertEquals("not_connected", State.NOT_CONNECTED.code());
        assertEquals("never_connected", Reason.NEVER_CONNECTED.code());
    }

    @Test
    void clocksAPartDoNotMakeANegativeLag() {
        Health h = RULE.judge(new Observed(CONFIGURED, true, NOW.plusSeconds(2), null, -1.0), NOW);
        assertEquals(0.0, h.lagSeconds());
        assertThrows(IllegalArgumentException.class, () -> new LinkHealth(Duration.ofSeconds(-1)));
    }
}
