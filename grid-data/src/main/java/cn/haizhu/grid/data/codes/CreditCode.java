package cn.haizhu.grid.data.codes;

import java.util.Locale;
import java.util.Optional;

/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): registration authority (1 char),
 * organisation type (1), region code of the registering authority (6 digits), organisation code
 * (组织机构代码, 9 chars per GB 11714 including its own check character) and a mod 31 check
 * character. All 18 characters come from {@value #CHARSET}: the letters I, O, S, V and Z are never
 * used, so they are reported rather than guessed to be 1, 0, 5, U or 2.
 *
 * <p>Every method first {@linkplain #normalise normalises} its input, so lowercase letters are
 * accepted.
 */
public final class CreditCode {
    /** Length of a GB 32100 code. */
    public static final int LENGTH = 18;
    /** The 31 characters a code may use; a character's value is its index here. */
    public static final String CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    private static final int[] ORG_WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};

    private CreditCode() {
    }

    /** Strips surrounding whitespace and upper-cases; {@code null} stays {@code null}. */
    public static String normalise(String value) {
        return value == null ? null : value.strip().toUpperCase(Locale.ROOT);
    }

    /**
     * Why {@code value} is not a valid credit code, or empty if it is one. Checks, in this order: 18
     * characters; each from {@link #CHARSET}; characters 3-8 are digits; the check character (18th);
     * the GB 11714 check character of the embedded organisation code (17th).
     */
    public static Optional<String> problem(String value) {
        String code = normalise(value);
        if (code == null || code.isEmpty()) {
            return Optional.of("is empty");
        }
        if (code.length() != LENGTH) {
            return Optional.of("must be 18 characters, found " + code.length());
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = code.charAt(i);
            if (CHARSET.indexOf(c) < 0) {
                return Optional.of("character " + (i + 1) + " '" + c + "' is not used in credit codes (0-9 and A-Y except I, O, S, V)");
            }
        }
        if (!Masks.allDigits(code, 2, 8)) {
            return Optional.of("region code " + code.substring(2, 8) + " (characters 3-8) must be 6 digits");
        }
        char expected = checkChar(code.substring(0, LENGTH - 1));
        if (code.charAt(LENGTH - 1) != expected) {
            return Optional.of("check character is '" + code.charAt(LENGTH - 1) + "' but should be '" + expected + "'");
        }
        char orgExpected = organizationCheckChar(code.substring(8, 16));
        if (code.charAt(16) != orgExpected) {
            return Optional.of("organisation code " + code.substring(8, 17) + " (characters 9-17) has check character '"
                    + code.charAt(16) + "' but GB 11714 gives '" + orgExpected + "'");
        }
        return Optional.empty();
    }

    /** True if {@link #problem(String)} finds nothing wrong. */
    public static boolean isValid(String value) {
        return problem(value).isEmpty();
    }

    /**
     * The GB 32100 check character for the first 17 characters: {@code (31 - Σ value×weight mod 31) mod 31}.
     *
     * @throws IllegalArgumentException if {@code first17} is not 17 characters from {@link #CHARSET}
     */
    public static char checkChar(String first17) {
        if (first17 == null || first17.length() != LENGTH - 1) {
            throw new IllegalArgumentException("need 17 characters, got " + first17);
        }
        int sum = 0;
        for (int i = 0; i < LENGTH - 1; i++) {
            int v = CHARSET.indexOf(first17.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("'" + first17.charAt(i) + "' is not a credit code character in " + first17);
            }
            sum += v * WEIGHTS[i];
        }
        return CHARSET.charAt((31 - sum % 31) % 31);
    }

    /**
     * The GB 11714 check character of an organisation code body (8 digits or upper-case letters, a
     * letter worth 10 for A up to 35 for Z): {@code 11 - Σ value×weight mod 11}, written X for 10 and 0
     * for 11.
     *
     * @throws IllegalArgumentException if {@code first8} is not 8 digits or letters A-Z
     */
    public static char organizationCheckChar(String first8) {
        if (first8 == null || first8.length() != 8) {
            throw new IllegalArgumentException("need 8 characters, got " + first8);
        }
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            char c = first8.charAt(i);
            int v;
            if (c >= '0' && c <= '9') {
                v = c - '0';
            } else if (c >= 'A' && c <= 'Z') {
                v = c - 'A' + 10;
            } else {
                throw new IllegalArgumentException("'" + c + "' is not a digit or letter A-Z in " + first8);
            }
            sum += v * ORG_WEIGHTS[i];
        }
        int c = 11 - sum % 11;
        return c == 10 ? 'X' : c == 11 ? '0' : (char) ('0' + c);
    }
}
