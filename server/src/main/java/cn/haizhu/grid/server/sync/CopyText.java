package cn.haizhu.grid.server.sync;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The rows of PostgreSQL's COPY text format, as a snapshot carries them: fields separated by a tab,
 * a row ended by a newline, {@code \N} for null, and a backslash escaping a tab, newline, carriage
 * return or backslash inside a field. A snapshot passes most rows through as bytes; only the fields a
 * node must rewrite (a person's ID number and phone, sealed under each node's own key) are read and
 * written here.
 */
final class CopyText {
    static final byte TAB = '\t';
    static final byte NEWLINE = '\n';
    private static final byte[] NULL = {'\\', 'N'};

    private CopyText() {
    }

    /** Where the fields of {@code row} (up to {@code end}, without its newline) start: the offsets, and {@code end + 1} last. */
    static int[] fields(byte[] row, int end, int count) {
        int[] at = new int[count + 1];
        int n = 0;
        at[n++] = 0;
        for (int i = 0; i < end && n < count; i++) {
            if (row[i] == TAB) {
                at[n++] = i + 1;
            }
        }
        if (n != count) {
            throw new IllegalArgumentException("a snapshot row with " + n + " fields where " + count + " were expected");
        }
        at[count] = end + 1;
        return at;
    }

    /** The text of the field from {@code from} to {@code to} (exclusive), or null for {@code \N}. */
    static String text(byte[] row, int from, int to) {
        if (to - from == 2 && row[from] == '\\' && row[from + 1] == 'N') {
            return null;
        }
        ByteArrayOutputStream out = null;
        for (int i = from; i < to; i++) {
            if (row[i] == '\\') {
                out = new ByteArrayOutputStream(to - from);
                out.write(row, from, i - from);
                for (int j = i; j < to; j++) {
                    byte b = row[j];
                    if (b == '\\' && j + 1 < to) {
                        byte e = row[++j];
                        out.write(switch (e) {
                            case 't' -> '\t';
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            case 'v' -> 0x0B;
                            default -> e;
                        });
                    } else {
                        out.write(b);
                    }
                }
                break;
            }
        }
        return out == null ? new String(row, from, to - from, StandardCharsets.UTF_8) : out.toString(StandardCharsets.UTF_8);
    }

    /** Appends {@code value} as a field (escaped; {@code \N} for null). */
    static void put(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.write(NULL, 0, NULL.length);
            return;
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        for (byte c : b) {
            switch (c) {
                case '\\' -> { out.write('\\'); out.write('\\'); }
                case '\t' -> { out.write('\\'); out.write('t'); }
                case '\n' -> { out.write('\\'); out.write('n'); }
                case '\r' -> { out.write('\\'); out.write('r'); }
                default -> out.write(c);
            }
        }
    }

    /** Appends {@code value} as a bytea field in hex ({@code \\x…} once escaped; {@code \N} for null). */
    static void putBytes(ByteArrayOutputStream out, byte[] value) {
        if (value == null) {
            out.write(NULL, 0, NULL.length);
            return;
        }
        out.write('\\');
        out.write('\\');
        out.write('x');
        byte[] hex = java.util.HexFormat.of().formatHex(value).getBytes(StandardCharsets.US_ASCII);
        out.write(hex, 0, hex.length);
    }

    /** The bytes of a field written with {@code encode(…, 'hex')} (plain hex, or {@code \N}), or null. */
    static byte[] hex(byte[] row, int from, int to) {
        if (to - from == 2 && row[from] == '\\' && row[from + 1] == 'N') {
            return null;
        }
        return java.util.HexFormat.of().parseHex(new String(row, from, to - from, StandardCharsets.US_ASCII));
    }
}
