package cn.haizhu.grid.data.users;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The least a real account's password must be (NIST SP 800-63B's advice, not composition rules):
 * long enough, not a well-known password or one made of the user name or the product's own words,
 * not one character repeated or a keyboard run. Demo accounts do not pass through here: they exist
 * only in the demo database on loopback (see docs/SECURITY.md).
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 1024;
    /** Passwords seen first in every guessing list, and the words of this product and place. */
    private static final Set<String> KNOWN = Set.of("password", "passw0rd", "123456", "12345678", "123456789",
            "1234567890", "qwerty", "qwertyuiop", "1q2w3e4r", "abc123", "admin", "administrator", "letmein",
            "welcome", "iloveyou", "111111", "000000", "888888", "666666", "woaini", "gridctl", "haizhu",
            "guangzhou", "wangge", "command", "dispatcher", "officer", "worker", "changeme", "default");
    private static final String[] RUNS = {"0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm"};

    private PasswordPolicy() {
    }

    /** What is wrong with {@code password} for {@code username}, in English, or empty when it will do. */
    public static Optional<String> problem(String username, String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return Optional.of("too short: at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            return Optional.of("too long: at most " + MAX_LENGTH + " characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (username != null && username.length() >= 3 && lower.contains(username.toLowerCase(Locale.ROOT))) {
            return Optional.of("contains the user name");
        }
        String stripped = lower.replaceAll("[^a-z0-9]", "");
        for (String known : KNOWN) {
            if (stripped.equals(known) || stripped.replaceAll("\\d+$", "").equals(known)
                    || (known.length() >= 6 && stripped.startsWith(known) && stripped.length() - known.length() < 6)) {
                return Optional.of("is, or is built on, a well-known password ('" + known + "')");
            }
        }
        if (lower.chars().distinct().count() < 5) {
            return Optional.of("uses fewer than 5 different characters");
        }
        if (stripped.length() >= MIN_LENGTH - 2) {
            for (String run : RUNS) {
                if (run.contains(stripped) || new StringBuilder(run).reverse().toString().contains(stripped)) {
                    return Optional.of("is a keyboard or alphabet run");
                }
            }
        }
        return Optional.empty();
    }
}
