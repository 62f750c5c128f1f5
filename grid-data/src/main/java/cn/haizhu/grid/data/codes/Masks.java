package cn.haizhu.grid.data.codes;

/** The masking rule shared by the code classes when a value has no known shape. */
final class Masks {
    private Masks() {
    }

    /**
     * Keeps {@code head} leading and {@code tail} trailing characters and replaces each one between
     * with {@code '*'}. Values too short to keep anything hidden are masked whole, so that a mask never
     * shows a complete short value; {@code null} stays {@code null}.
     */
    static String keep(String value, int head, int tail) {
        if (value == null) {
            return null;
        }
        int n = value.length();
        if (n <= head + tail) {
            return "*".repeat(n);
        }
        return value.substring(0, head) + "*".repeat(n - head - tail) + value.substring(n - tail);
    }

    static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
