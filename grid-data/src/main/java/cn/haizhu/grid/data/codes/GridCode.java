package cn.haizhu.grid.data.codes;

import java.util.Optional;

/**
 * Unit grid codes (单元网格编码): 14 digits, the 12-digit code of the community the grid lies in
 * followed by a 2-digit sequence from 01 to 99 (44010500110101). Sequences run west to east, north
 * to south within the community; this class does not know where grids lie, only their codes.
 *
 * <p>Values are taken as they are: no whitespace is stripped.
 */
public final class GridCode {
    /** Length of a grid code. */
    public static final int LENGTH = 14;
    /** The largest sequence number two digits allow. */
    public static final int MAX_SEQUENCE = 99;

    private GridCode() {
    }

    /**
     * Why {@code value} is not a grid code, or empty if it is one: 14 digits, the first 12 a valid
     * community code (see {@link AdminCode#problem}), the last two from 01 to 99.
     */
    public static Optional<String> problem(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("is empty");
        }
        if (!Masks.allDigits(value, 0, value.length())) {
            return Optional.of("must contain digits only, found '" + value + "'");
        }
        if (value.length() != LENGTH) {
            return Optional.of("must be 14 digits, found " + value.length());
        }
        Optional<String> community = AdminCode.problem(value.substring(0, 12));
        if (community.isPresent()) {
            return Optional.of("community code " + value.substring(0, 12) + " (digits 1-12): " + community.get());
        }
        if (value.endsWith("00")) {
            return Optional.of("sequence (digits 13-14) must be from 01 to 99, found 00");
        }
        return Optional.empty();
    }

    /** True if {@link #problem} finds nothing wrong. */
    public static boolean isValid(String value) {
        return problem(value).isEmpty();
    }

    /**
     * The 12-digit community code of a valid grid code.
     *
     * @throws IllegalArgumentException if {@code gridCode} is not valid
     */
    public static String communityCode(String gridCode) {
        requireValid(gridCode);
        return gridCode.substring(0, 12);
    }

    /**
     * The sequence (1-99) of a valid grid code within its community.
     *
     * @throws IllegalArgumentException if {@code gridCode} is not valid
     */
    public static int sequence(String gridCode) {
        requireValid(gridCode);
        return Integer.parseInt(gridCode.substring(12));
    }

    /**
     * The grid code for the {@code sequence}-th grid of a community: {@code of("440105001101", 1)} is
     * {@code "44010500110101"}.
     *
     * @throws IllegalArgumentException if the community code is not a valid 12-digit code or the
     *     sequence is outside 1-99
     */
    public static String of(String communityCode, int sequence) {
        if (AdminCode.level(communityCode).orElse(null) != AdminCode.Level.COMMUNITY) {
            throw new IllegalArgumentException("not a community code: " + communityCode);
        }
        if (sequence < 1 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException("grid sequence must be from 1 to 99, got " + sequence);
        }
        return sequence < 10 ? communityCode + "0" + sequence : communityCode + sequence;
    }

    private static void requireValid(String gridCode) {
        problem(gridCode).ifPresent(p -> {
            throw new IllegalArgumentException("grid code " + gridCode + " " + p);
        });
    }
}
