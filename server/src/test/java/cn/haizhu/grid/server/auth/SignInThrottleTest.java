package cn.haizhu.grid.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The instance's memory of the waits the database gave (the counting itself: SignInAcrossInstancesIT, AuthIT). */
class SignInThrottleTest {
    private final SignInThrottle throttle = new SignInThrottle();

    @Test
    void anAddressTheDatabaseMadeWaitIsRefusedHereUntilItsWaitRunsOut() {
        long now = 1_000_000;
        assertEquals(0, throttle.addressWait("203.0.113.9", now), "nothing known: ask the database");
        throttle.remember("203.0.113.9", 4, now);
        assertEquals(4, throttle.addressWait("203.0.113.9", now));
        assertEquals(3, throttle.addressWait("203.0.113.9", now + 1_500), "2.5 s left: rounded up to whole seconds");
        assertEquals(0, throttle.addressWait("203.0.113.9", now + 4_000), "the wait runs out by itself");
        assertEquals(0, throttle.addressWait("198.51.100.1", now), "another address is not concerned");
    }

    @Test
    void aShorterAnswerNeverShortensAKnownWaitAndNoWaitIsNotRemembered() {
        long now = 5_000_000;
        throttle.remember("203.0.113.9", 8, now);
        throttle.remember("203.0.113.9", 1, now);
        throttle.remember("203.0.113.9", 0, now);
        assertEquals(8, throttle.addressWait("203.0.113.9", now));
        throttle.remember("198.51.100.1", 0, now);
        assertEquals(0, throttle.addressWait("198.51.100.1", now));
    }
}
