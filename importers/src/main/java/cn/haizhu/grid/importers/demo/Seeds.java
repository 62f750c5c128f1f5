package cn.haizhu.grid.importers.demo;

import java.util.SplittableRandom;

/**
 * Deterministic random streams: each part of the generator draws from its own stream, keyed by the
 * run's seed and the part's name and index, so that changing how much one part draws never shifts
 * the numbers another part gets.
 */
final class Seeds {
    private Seeds() {
    }

    /** A stream for {@code purpose} number {@code index} of the run seeded {@code seed}. */
    static SplittableRandom stream(long seed, String purpose, long index) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (int i = 0; i < purpose.length(); i++) {
            h = mix(h + purpose.charAt(i));
        }
        return new SplittableRandom(mix(h + index));
    }

    /** SplitMix64's finaliser: a bijective scramble of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
