package cn.haizhu.grid.importers.demo;

/**
 * Locale-free formatting for the generated files: {@code String.format} and {@code Double.toString}
 * would make the bytes depend on the default locale or print exponents, and they are slow on the
 * 2.5 million rows of a full-scale run.
 */
final class Text {
    private static final double E7 = 1e7;

    private Text() {
    }

    /**
     * Appends {@code value} rounded to 7 decimals, always with all 7 ({@code 113.2620000}). Values
     * taken from a 1e7 fixed precision model print exactly as they are stored.
     */
    static StringBuilder decimal7(StringBuilder sb, double value) {
        long units = Math.round(value * E7);
        if (units < 0) {
            sb.append('-');
            units = -units;
        }
        sb.append(units / 10_000_000L).append('.');
        long fraction = units % 10_000_000L;
        for (long f = 1_000_000L; f > fraction && f > 1; f /= 10) {
            sb.append('0');
        }
        return sb.append(fraction);
    }

    /** Appends {@code value} as at least {@code width} digits, zero-padded ({@code value >= 0}). */
    static StringBuilder padded(StringBuilder sb, long value, int width) {
        for (long limit = pow10(width - 1); limit > value && limit > 1; limit /= 10) {
            sb.append('0');
        }
        return sb.append(value);
    }

    /** The value {@link #decimal7} writes, as a double: rounds to the 1e-7 grid. */
    static double round7(double value) {
        return Math.round(value * E7) / E7;
    }

    /**
     * Appends one CSV field per RFC 4180: quoted, with inner quotes doubled, only if it holds a comma,
     * a quote or a line break. The generator's values are chosen to need no quoting; this keeps the
     * files valid if one ever does.
     */
    static StringBuilder csvField(StringBuilder sb, String value) {
        if (value == null) {
            return sb;
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            return sb.append(value);
        }
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                sb.append('"');
            }
            sb.append(c);
        }
        return sb.append('"');
    }

    /** Appends {@code value} as a JSON string literal (quotes, backslashes and controls escaped). */
    static StringBuilder jsonString(StringBuilder sb, String value) {
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append("\\u00");
                sb.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"');
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}
