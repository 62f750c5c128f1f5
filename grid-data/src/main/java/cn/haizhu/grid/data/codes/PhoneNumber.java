package cn.haizhu.grid.data.codes;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Mainland China phone numbers: mobiles ({@code 1[3-9]} + 9 digits) and fixed lines (0, a 2- or
 * 3-digit area code, a 7- or 8-digit local number not starting with 0). Area codes starting
 * 01 or 02 (Beijing 010, Guangzhou 020, …) have 2 digits after the 0, all others 3, which is how a
 * fixed line written without a hyphen is split.
 *
 * <p>Every method first {@linkplain #normalise normalises} its input, so {@code "020-12345678"},
 * {@code "020 1234 5678"} and {@code "02012345678"} are the same number, as are
 * {@code "+86 138 0013 8000"} and {@code "13800138000"}. Service numbers (12345, 95xxx, 400-…) and
 * extensions are not accepted.
 */
public final class PhoneNumber {
    /** What kind of line a valid number is. */
    public enum Kind { MOBILE, FIXED_LINE }

    private static final Pattern FIXED_LINE = Pattern.compile("0(?:[12]\\d|[3-9]\\d{2})[1-9]\\d{6,7}");

    private PhoneNumber() {
    }

    /**
     * Digits only: drops whitespace and hyphens anywhere, and a leading country code {@code +86} or
     * {@code 0086}. Anything else (letters, brackets) is kept so that {@link #problem} reports it;
     * {@code null} stays {@code null}.
     */
    public static String normalise(String value) {
        if (value == null) {
            return null;
        }
        if (Masks.allDigits(value, 0, value.length()) && !value.startsWith("0086")) {
            return value;   // the usual case, already plain digits: no copy
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '-' && !Character.isWhitespace(c) && c != '\u3000') {
                sb.append(c);
            }
        }
        String s = sb.toString();
        if (s.startsWith("+86")) {
            return s.substring(3);
        }
        if (s.startsWith("0086")) {
            return s.substring(4);
        }
        return s;
    }

    /** The kind of a valid number, or empty if {@link #problem} finds it invalid. */
    public static Optional<Kind> kind(String value) {
        String n = normalise(value);
        if (n == null) {
            return Optional.empty();
        }
        if (isMobile(n)) {
            return Optional.of(Kind.MOBILE);
        }
        if (FIXED_LINE.matcher(n).matches()) {
            return Optional.of(Kind.FIXED_LINE);
        }
        return Optional.empty();
    }

    /** 1, then 3-9, then 9 more digits (11 in all); a plain loop, as the bulk importer checks a million. */
    private static boolean isMobile(String n) {
        return n.length() == 11 && n.charAt(0) == '1' && n.charAt(1) >= '3' && n.charAt(1) <= '9' && Masks.allDigits(n, 2, 11);
    }

    /** Why {@code value} is not a mobile or fixed-line number, or empty if it is one. */
    public static Optional<String> problem(String value) {
        String n = normalise(value);
        if (n == null || n.isEmpty()) {
            return Optional.of("is empty");
        }
        if (kind(n).isPresent()) {
            return Optional.empty();
        }
        if (!Masks.allDigits(n, 0, n.length())) {
            return Optional.of("must contain only digits, spaces, hyphens and a leading +86, found '" + value + "'");
        }
        if (n.startsWith("1")) {
            return Optional.of("a mobile number is 11 digits starting 13 to 19, found " + n.length() + " digits starting " + n.substring(0, Math.min(2, n.length())));
        }
        if (n.startsWith("0")) {
            return Optional.of("a fixed-line number is 0, a 2- or 3-digit area code and a 7- or 8-digit local number not starting with 0");
        }
        return Optional.of("is neither a mobile number (1…) nor a fixed-line number with area code (0…)");
    }

    /** True if {@link #problem} finds nothing wrong. */
    public static boolean isValid(String value) {
        return problem(value).isEmpty();
    }

    /**
     * The display form of the normalised number: a mobile keeps its first 3 and last 4 digits
     * ({@code 138****5678}); a fixed line keeps its area code, a hyphen and its last 4 digits
     * ({@code 020-****5678}); anything else keeps only its first and last character (one or two
     * characters are masked whole). {@code null} stays {@code null}.
     */
    public static String mask(String value) {
        String n = normalise(value);
        Optional<Kind> kind = kind(n);
        if (kind.isEmpty()) {
            return Masks.keep(n, 1, 1);
        }
        if (kind.get() == Kind.MOBILE) {
            return Masks.keep(n, 3, 4);
        }
        int area = n.charAt(1) == '1' || n.charAt(1) == '2' ? 3 : 4;
        return n.substring(0, area) + "-" + Masks.keep(n.substring(area), 0, 4);
    }
}
