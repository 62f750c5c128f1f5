package cn.haizhu.grid.data.codes;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Resident ID numbers (居民身份证号, GB 11643-1999): 6-digit region code, 8-digit birth date
 * (yyyyMMdd), 3-digit sequence whose last digit is odd for men and even for women, and a mod 11-2
 * check character (0-9 or X).
 *
 * <p>Every method first {@linkplain #normalise normalises} its input, so a lowercase {@code x}
 * is accepted as the check character {@code X}. The 15-digit numbers issued before 1999 are not
 * accepted: they expired long ago and carry no check character.
 */
public final class IdNumber {
    /** Length of a GB 11643 ID number. */
    public static final int LENGTH = 18;

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK_CHARS = "10X98765432";
    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);

    private IdNumber() {
    }

    /**
     * Strips surrounding whitespace (ASCII and full-width) and upper-cases the value, so that
     * {@code " 11010519491231002x "} becomes {@code "11010519491231002X"}. Digits are never changed;
     * {@code null} stays {@code null}. Store and compare the normalised form.
     */
    public static String normalise(String value) {
        return value == null ? null : value.strip().toUpperCase(java.util.Locale.ROOT);
    }

    /** Like {@link #problem(String, LocalDate)} with today's date as the limit for birth dates. */
    public static Optional<String> problem(String value) {
        return problem(value, LocalDate.now());
    }

    /**
     * Why {@code value} is not a valid ID number, or empty if it is one. Checks, in this order: 18
     * characters; the first 17 are digits and the region code does not start with 0; the last is a
     * digit or X; characters 7-14 are a real date from 1900-01-01 up to {@code today}; the check
     * character matches. The reason names the first rule broken and the characters at fault.
     */
    public static Optional<String> problem(String value, LocalDate today) {
        String id = normalise(value);
        if (id == null || id.isEmpty()) {
            return Optional.of("is empty");
        }
        if (id.length() != LENGTH) {
            return Optional.of("must be 18 characters, found " + id.length());
        }
        for (int i = 0; i < LENGTH - 1; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.of("character " + (i + 1) + " must be a digit, found '" + c + "'");
            }
        }
        if (id.charAt(0) == '0') {
            return Optional.of("region code " + id.substring(0, 6) + " (characters 1-6) cannot start with 0");
        }
        char last = id.charAt(LENGTH - 1);
        if ((last < '0' || last > '9') && last != 'X') {
            return Optional.of("character 18 must be a digit or X, found '" + last + "'");
        }
        String digits = id.substring(6, 14);
        LocalDate birth = parseDate(digits);
        if (birth == null) {
            return Optional.of("birth date " + digits + " (characters 7-14) is not a real date");
        }
        if (birth.isBefore(EARLIEST_BIRTH)) {
            return Optional.of("birth date " + birth + " is before 1900");
        }
        if (birth.isAfter(today)) {
            return Optional.of("birth date " + birth + " is in the future");
        }
        char expected = checkChar(id.substring(0, LENGTH - 1));
        if (last != expected) {
            return Optional.of("check character is '" + last + "' but should be '" + expected + "'");
        }
        return Optional.empty();
    }

    /** True if {@link #problem(String)} finds nothing wrong. */
    public static boolean isValid(String value) {
        return problem(value).isEmpty();
    }

    /**
     * The mod 11-2 check character (ISO 7064) for the first 17 characters of an ID number.
     *
     * @throws IllegalArgumentException if {@code first17} is not exactly 17 digits
     */
    public static char checkChar(String first17) {
        if (first17 == null || first17.length() != LENGTH - 1 || !Masks.allDigits(first17, 0, LENGTH - 1)) {
            throw new IllegalArgumentException("need 17 digits, got " + first17);
        }
        int sum = 0;
        for (int i = 0; i < LENGTH - 1; i++) {
            sum += (first17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK_CHARS.charAt(sum % 11);
    }

    /**
     * The birth date in characters 7-14. Needs at least 14 characters; does not check the rest.
     *
     * @throws IllegalArgumentException if those characters are not a real date
     */
    public static LocalDate birthDate(String value) {
        String id = normalise(value);
        LocalDate date = id == null || id.length() < 14 ? null : parseDate(id.substring(6, 14));
        if (date == null) {
            throw new IllegalArgumentException("no birth date in characters 7-14 of " + mask(id));
        }
        return date;
    }

    /**
     * {@code 'M'} if the 17th character (last digit of the sequence) is odd, {@code 'F'} if even.
     *
     * @throws IllegalArgumentException if there is no digit at position 17
     */
    public static char gender(String value) {
        String id = normalise(value);
        if (id == null || id.length() < LENGTH - 1 || !Masks.allDigits(id, LENGTH - 2, LENGTH - 1)) {
            throw new IllegalArgumentException("no sequence digit at position 17 of " + mask(id));
        }
        return (id.charAt(LENGTH - 2) - '0') % 2 == 1 ? 'M' : 'F';
    }

    /**
     * The 6+4 display form: an 18-character value keeps its region code and its last four
     * characters ({@code 440105********1234}). A value of any other length keeps only its first and
     * last character (values of one or two characters are masked whole). {@code null} stays
     * {@code null}. The value is normalised first.
     */
    public static String mask(String value) {
        String id = normalise(value);
        return id != null && id.length() == LENGTH ? Masks.keep(id, 6, 4) : Masks.keep(id, 1, 1);
    }

    private static LocalDate parseDate(String yyyymmdd) {
        if (yyyymmdd.length() != 8 || !Masks.allDigits(yyyymmdd, 0, 8)) {
            return null;
        }
        int n = Integer.parseInt(yyyymmdd);
        try {
            return LocalDate.of(n / 10000, n / 100 % 100, n % 100);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
