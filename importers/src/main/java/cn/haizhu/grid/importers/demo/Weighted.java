package cn.haizhu.grid.importers.demo;

import java.util.SplittableRandom;

/** A fixed list of values drawn with fixed relative weights. */
final class Weighted<T> {
    private final T[] values;
    private final double[] cumulative;

    Weighted(T[] values, double[] weights) {
        if (values.length != weights.length || values.length == 0) {
            throw new IllegalArgumentException(values.length + " values but " + weights.length + " weights");
        }
        this.values = values.clone();
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
    }

    T pick(SplittableRandom rng) {
        return values[draw(cumulative, rng.nextDouble() * cumulative[cumulative.length - 1])];
    }

    /** The index of the first cumulative weight above {@code r} (a draw of {@code r} in [0, total)). */
    static int draw(double[] cumulative, double r) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > r) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
