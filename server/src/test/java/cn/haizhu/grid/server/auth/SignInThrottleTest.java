package cn.haizhu.grid.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    private final SignInThrottle throttle = new SignInThrottle();

    @Test
    void theWaitDoublesPastTheAllowanceUpToTheCapAndNeverLocksForGood() {
        assertEquals(0, SignInThrottle.delaySeconds(5, 5));
        assertEquals(1, SignInThrottle.delaySeconds(6, 5));
        assertEquals(2, SignInThrottle.delaySeconds(7, 5));
        assertEquals(8, SignInThrottle.delaySeconds(9, 5));
        assertEquals(SignInThrottle.MAX_DELAY.toSeconds(), SignInThrottle.delaySeconds(1_000_000, 5));
    }

    @Test
    void aFloodAgainstAnAccountFromElsewhereDoesNotMakeItsOwnerWait() {
        long now = 1_000_000;
        for (int i = 0; i < 50; i++) {
            throttle.failed("command", "203.0.113." + i, false, now);
        }
        assertTrue(throttle.accountWait("command", "198.51.100.1", false, now) > 0, "a new address waits");
        assertEquals(0, throttle.accountWait("command", "10.1.1.1", true, now), "the owner's usual desk does not");
        assertEquals(0, throttle.addressWait("10.1.1.1", now));
    }

    @Test
    void oneAddressGuessingManyAccountsWaits() {
        long now = 5_000_000;
        for (int i = 0; i <= SignInThrottle.ADDRESS_FREE; i++) {
            throttle.failed("user" + i, "203.0.113.9", false, now);
        }
        assertEquals(1, throttle.addressWait("203.0.113.9", now));
        assertEquals(0, throttle.addressWait("203.0.113.9", now + 1000), "the wait runs out by itself");
    }

    @Test
    void aGoodPasswordStartsTheAccountsCountAgain() {
        long now = 9_000_000;
        for (int i = 0; i < 8; i++) {
            throttle.failed("officer", "10.0.0.5", true, now);
        }
        throttle.failed("officer", "10.0.0.5", true, now);
        throttle.failed("officer", "10.0.0.5", true, now);
        throttle.failed("officer", "10.0.0.5", true, now);
        assertTrue(throttle.accountWait("officer", "10.0.0.5", true, now) > 0);
        throttle.succeeded("officer", "10.0.0.5");
        assertEquals(0, throttle.accountWait("officer", "10.0.0.5", true, now));
    }
}
