package cn.haizhu.grid.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * How many wrong passwords may come before a sign-in must wait, and how long. There is no
 * permanent lockout, which an attacker could use to lock staff out: each failure past a free
 * allowance doubles the wait (1 s, 2 s, 4 s … up to {@link #MAX_DELAY}), and the count is forgotten
 * {@link #FORGET_AFTER} after the last failure, or at once for the account on a good sign-in.
 *
 * <p>Three counts, each with its own allowance:
 * <ul>
 *   <li>per client address, across accounts ({@link #ADDRESS_FREE}): one machine guessing;</li>
 *   <li>per account, from addresses that have not signed in to it lately ({@link #ACCOUNT_FREE}):
 *       many machines guessing one account;</li>
 *   <li>per account and address, from an address that has signed in to the account during the
 *       last 30 days ({@link #KNOWN_PAIR_FREE}): the account's own desk. A flood against an
 *       account from elsewhere never makes its owner wait.</li>
 * </ul>
 *
 * <p><b>The counts live in the database</b> ({@code sign_in_failure}, V47; the rules in {@code
 * gridctl_sign_in_attempt}, R__auth_functions.sql, which the numbers here describe), so every server
 * instance behind the proxy sees the same counts: guesses spread over the instances are counted once,
 * and the database checks the wait again, under a lock per address and per account, before it compares
 * a hash. What this class keeps is the other half of the speed: the waits the database told this
 * instance about an address, so that a flood from one address is refused here, without a query,
 * until its wait runs out. It only ever refuses; it never lets through what the database would not.
 */
final class SignInThrottle {
    static final int ADDRESS_FREE = 20;
    static final int ACCOUNT_FREE = 5;
    static final int KNOWN_PAIR_FREE = 10;
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofMinutes(30);

    /** Until when (epoch millis) each address must wait, as the database last said. */
    private final Cache<String, Long> addressWaits = Caffeine.newBuilder()
            .expireAfterWrite(MAX_DELAY).maximumSize(200_000).build();

    /** Seconds this address must still wait before any sign-in, as far as this instance knows, or 0. */
    long addressWait(String address, long nowMillis) {
        Long until = addressWaits.getIfPresent(address);
        return until == null || until <= nowMillis ? 0 : (until - nowMillis + 999) / 1000;
    }

    /** What the database said this address must wait, in seconds (0: nothing to remember). */
    void remember(String address, long waitSeconds, long nowMillis) {
        if (waitSeconds > 0) {
            addressWaits.asMap().merge(address, nowMillis + waitSeconds * 1000, Math::max);
        }
    }
}
