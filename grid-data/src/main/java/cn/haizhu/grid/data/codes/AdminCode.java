package cn.haizhu.grid.data.codes;

import java.util.Optional;

/**
 * Administrative division codes below the city: district (区县, 6 digits, GB/T 2260, e.g.
 * 440105), street (街道, 9 digits, GB/T 10114, e.g. 440105001) and community (社区居委会, 12
 * digits, e.g. 440105001101). Each level is its parent's code followed by its own part, so a code's
 * level follows from its length.
 *
 * <p>Values are taken as they are: no whitespace is stripped.
 */
public final class AdminCode {
    /** The levels of the hierarchy this project deals with, from the top down. */
    public enum Level {
        DISTRICT(6), STREET(9), COMMUNITY(12);

        private final int length;

        Level(int length) {
            this.length = length;
        }

        /** Number of digits in a code of this level. */
        public int length() {
            return length;
        }
    }

    private AdminCode() {
    }

    /**
     * Why {@code value} is not an admin code, or empty if it is one: digits only; 6, 9 or 12 of them;
     * a province part (digits 1-2) from 11 to 82; and no level's own part all zeros (a district
     * ending in 00 is a city or province; a street or community part of 000 is nothing).
     */
    public static Optional<String> problem(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("is empty");
        }
        if (!Masks.allDigits(value, 0, value.length())) {
            return Optional.of("must contain digits only, found '" + value + "'");
        }
        int n = value.length();
        if (n != 6 && n != 9 && n != 12) {
            return Optional.of("must be 6 (district), 9 (street) or 12 (community) digits, found " + n);
        }
        int province = Integer.parseInt(value.substring(0, 2));
        if (province < 11 || province > 82) {
            return Optional.of("province part " + value.substring(0, 2) + " (digits 1-2) must be between 11 and 82");
        }
        if (value.startsWith("00", 4)) {
            return Optional.of("district part (digits 5-6) is 00, which names a city or province");
        }
        if (n >= 9 && value.startsWith("000", 6)) {
            return Optional.of("street part (digits 7-9) cannot be 000");
        }
        if (n == 12 && value.startsWith("000", 9)) {
            return Optional.of("community part (digits 10-12) cannot be 000");
        }
        return Optional.empty();
    }

    /** The level of a valid code, or empty if {@link #problem} finds it invalid. */
    public static Optional<Level> level(String value) {
        if (problem(value).isPresent()) {
            return Optional.empty();
        }
        return switch (value.length()) {
            case 6 -> Optional.of(Level.DISTRICT);
            case 9 -> Optional.of(Level.STREET);
            default -> Optional.of(Level.COMMUNITY);
        };
    }

    /**
     * The code one level up: a community's street, a street's district. Empty for a district (its
     * city is outside this hierarchy) and for an invalid code.
     */
    public static Optional<String> parent(String value) {
        return level(value).flatMap(level -> switch (level) {
            case DISTRICT -> Optional.<String>empty();
            case STREET -> Optional.of(value.substring(0, 6));
            case COMMUNITY -> Optional.of(value.substring(0, 9));
        });
    }

    /**
     * True if both codes are valid and {@code code} is {@code area} itself or lies below it (a
     * community within its street or district).
     */
    public static boolean isWithin(String code, String area) {
        return level(code).isPresent() && level(area).isPresent() && code.startsWith(area);
    }
}
