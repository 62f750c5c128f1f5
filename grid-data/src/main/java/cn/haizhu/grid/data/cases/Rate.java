package cn.haizhu.grid.data.cases;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A KPI ratio kept as its two counts, so that rates of streets or months can be added up
 * correctly (sum the counts, never average the percentages).
 */
public record Rate(long numerator, long denominator) {
    public Rate {
        if (numerator < 0 || denominator < 0 || numerator > denominator) {
            throw new IllegalArgumentException("not a rate: " + numerator + "/" + denominator);
        }
    }

    /** The ratio from 0 to 1, or empty when nothing counts (0/0 is no rate, not 0 % or 100 %). */
    public OptionalDouble value() {
        return denominator == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) numerator / denominator);
    }

    /** The sum of two rates' counts. */
    public Rate plus(Rate other) {
        return new Rate(numerator + other.numerator, denominator + other.denominator);
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator
                + (denominator == 0 ? "" : String.format(Locale.ROOT, " (%.1f%%)", 100.0 * numerator / denominator));
    }
}
