package cn.haizhu.grid.importers.demo;

import java.util.Arrays;

/** Splitting a whole number among weighted items so that the parts add up exactly. */
final class Allocation {
    private Allocation() {
    }

    /**
     * Splits {@code total} in proportion to {@code weights}, with every part between {@code min} and
     * {@code max}: each item's quota is {@code clamp(λ × weight, min, max)} for the one factor λ that
     * makes the quotas add up to {@code total}, and the quotas are rounded by the largest remainder
     * method. Ties go to the lower index, so the result depends only on the arguments. If every
     * weight is 0 the items count as equal.
     *
     * @throws IllegalArgumentException if {@code total} cannot be split within the bounds (items of
     *     weight 0 never take more than {@code min}), or a weight is negative or not finite
     */
    static int[] split(double[] weights, long total, int min, int max) {
        int n = weights.length;
        if (total < (long) min * n || total > (long) max * n) {
            throw new IllegalArgumentException("cannot split " + total + " into " + n + " parts of " + min + ".." + max);
        }
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and not negative, got " + w);
            }
            sum += w;
        }
        double[] w = sum > 0 ? weights : filled(n);
        double[] quota = new double[n];
        // Bisect λ: the clamped sum grows with λ from n×min to n×max, so total is reached in between.
        double lo = 0;
        double hi = total / (sum > 0 ? sum : n);
        while (clampedSum(w, hi, min, max, quota) < total) {
            if (hi > 1e300) {
                throw new IllegalArgumentException("items of weight 0 would have to take more than " + min + " each");
            }
            hi *= 2;
        }
        for (int i = 0; i < 200 && lo < hi; i++) {
            double mid = (lo + hi) / 2;
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (clampedSum(w, mid, min, max, quota) < total) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        clampedSum(w, hi, min, max, quota);
        int[] parts = new int[n];
        double[] remainder = new double[n];
        long given = 0;
        for (int i = 0; i < n; i++) {
            parts[i] = (int) Math.floor(quota[i]);
            remainder[i] = quota[i] - parts[i];
            given += parts[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(remainder[b], remainder[a])); // stable: ties keep index order
        // Rounding leaves a few units to hand out (or, after the bisection, a few too many to take back).
        for (int k = 0; given < total; k = (k + 1) % n) {
            int i = order[k];
            if (parts[i] < max) {
                parts[i]++;
                given++;
            }
        }
        for (int k = n - 1; given > total; k = (k + n - 1) % n) {
            int i = order[k];
            if (parts[i] > min) {
                parts[i]--;
                given--;
            }
        }
        return parts;
    }

    private static double clampedSum(double[] w, double lambda, int min, int max, double[] quota) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            quota[i] = Math.max(min, Math.min(max, lambda * w[i]));
            s += quota[i];
        }
        return s;
    }

    private static double[] filled(int n) {
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        return ones;
    }

    /** {@code round(n × scale)} as used for every scaled count. */
    static long scaled(long n, double scale) {
        return Math.round(n * scale);
    }
}
