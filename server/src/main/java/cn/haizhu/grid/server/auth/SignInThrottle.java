package cn.haizhu.grid.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Locale;

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
 * Counts live in this process (a second instance keeps its own); see docs/SECURITY.md.
 */
final class SignInThrottle {
    static final int ADDRESS_FREE = 20;
    static final int ACCOUNT_FREE = 5;
    static final int KNOWN_PAIR_FREE = 10;
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofMinutes(30);

    /** Failures of one key and when the last one came. */
    private record Count(int failures, long lastAtMillis) {
    }

    private final Cache<String, Count> counts = Caffeine.newBuilder()
            .expireAfterWrite(FORGET_AFTER).maximumSize(200_000).build();

    /** Seconds this address must still wait before any sign-in, or 0. */
    long addressWait(String address, long nowMillis) {
        return wait(addressKey(address), ADDRESS_FREE, nowMillis);
    }

    /** Seconds this account must still wait from this address, or 0. */
    long accountWait(String account, String address, boolean knownAddress, long nowMillis) {
        return knownAddress ? wait(pairKey(account, address), KNOWN_PAIR_FREE, nowMillis)
                : wait(accountKey(account), ACCOUNT_FREE, nowMillis);
    }

    void failed(String account, String address, boolean knownAddress, long nowMillis) {
        count(addressKey(address), nowMillis);
        count(knownAddress ? pairKey(account, address) : accountKey(account), nowMillis);
    }

    /** A good password: the account's counts start again (the address's do not: it may be guessing others). */
    void succeeded(String account, String address) {
        counts.invalidate(accountKey(account));
        counts.invalidate(pairKey(account, address));
    }

    /** The wait after {@code failures} failures with {@code free} of them allowed: 0, then 1 s doubling to the cap. */
    static long delaySeconds(int failures, int free) {
        int over = failures - free;
        if (over <= 0) {
            return 0;
        }
        long seconds = over >= 31 ? Long.MAX_VALUE : 1L << (over - 1);
        return Math.min(seconds, MAX_DELAY.toSeconds());
    }

    private long wait(String key, int free, long nowMillis) {
        Count c = counts.getIfPresent(key);
        if (c == null) {
            return 0;
        }
        long until = c.lastAtMillis() + delaySeconds(c.failures(), free) * 1000;
        return until <= nowMillis ? 0 : (until - nowMillis + 999) / 1000;
    }

    private void count(String key, long nowMillis) {
        counts.asMap().merge(key, new Count(1, nowMillis), (old, one) -> new Count(old.failures() + 1, nowMillis));
    }

    private static String addressKey(String address) {
        return "a:" + address;
    }

    private static String accountKey(String account) {
        return "u:" + account.toLowerCase(Locale.ROOT);
    }

    private static String pairKey(String account, String address) {
        return "p:" + account.toLowerCase(Locale.ROOT) + "@" + address;
    }
}
