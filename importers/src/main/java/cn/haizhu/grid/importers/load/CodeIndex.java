package cn.haizhu.grid.importers.load;

import java.nio.charset.StandardCharsets;

/**
 * A map from decimal codes (such as house codes, 14-24 digits) to small ints, about 20 bytes a
 * code in three primitive arrays: the 916,978 demo houses take 42 MB, where a
 * {@code HashMap<String, Integer>} would take over 100 MB of the importer's 512 MB heap.
 *
 * <p>A code of up to 30 digits is kept exactly as two longs: its length and leading digits in one,
 * its last 18 digits in the other (so "0012" and "12" stay apart). Anything else (letters, more
 * digits) is never in the index: {@link #get} answers -1, as for any unknown code.
 */
final class CodeIndex {
    static final int MAX_DIGITS = 30;
    /** The most codes a load keeps in an index: 168 MB at most, under the importer's 512 MB heap with room for the rest. */
    static final int MAX_CODES = 4_000_000;
    private static final long EMPTY = 0;   // no encoded code is 0: its length is in the low bits of hi
    private long[] his;
    private long[] los;
    private int[] values;
    private int size;
    private final long[] key = new long[2];

    CodeIndex(int expected) {
        int slots = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expected * 5L / 3))) << 1;
        his = new long[slots];
        los = new long[slots];
        values = new int[slots];
    }

    int size() {
        return size;
    }

    /** Maps {@code code} to {@code value} (replacing what it had); false when it is no code of 1-30 digits. */
    boolean put(String code, int value) {
        byte[] b = ascii(code);
        return put(b, 0, b.length, value);
    }

    /** As {@link #put(String, int)}, for a code given as ASCII bytes (read from a binary COPY). */
    boolean put(byte[] bytes, int off, int len, int value) {
        if (!encode(bytes, off, len, key)) {
            return false;
        }
        if ((size + 1) * 5L > his.length * 3L) {
            grow();
        }
        insert(key[0], key[1], value);
        return true;
    }

    /** The value of {@code code}, or -1 when it has none. Safe from several threads once filled. */
    int get(String code) {
        long[] key = new long[2];   // not the field: lookups run on several threads
        byte[] b = code == null ? null : ascii(code);
        if (b == null || !encode(b, 0, b.length, key)) {
            return -1;
        }
        int mask = his.length - 1;
        for (int i = slot(key[0], key[1], mask); his[i] != EMPTY; i = (i + 1) & mask) {
            if (his[i] == key[0] && los[i] == key[1]) {
                return values[i];
            }
        }
        return -1;
    }

    private void insert(long hi, long lo, int value) {
        int mask = his.length - 1;
        int i = slot(hi, lo, mask);
        while (his[i] != EMPTY) {
            if (his[i] == hi && los[i] == lo) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        his[i] = hi;
        los[i] = lo;
        values[i] = value;
        size++;
    }

    private void grow() {
        long[] oldHis = his;
        long[] oldLos = los;
        int[] oldValues = values;
        his = new long[oldHis.length << 1];
        los = new long[oldHis.length << 1];
        values = new int[oldHis.length << 1];
        size = 0;
        for (int i = 0; i < oldHis.length; i++) {
            if (oldHis[i] != EMPTY) {
                insert(oldHis[i], oldLos[i], oldValues[i]);
            }
        }
    }

    private static int slot(long hi, long lo, int mask) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h & mask;
    }

    /** One byte a char: anything outside Latin-1 becomes '?', which is no digit either. */
    private static byte[] ascii(String code) {
        return code.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {length + leading digits << 5, last 18 digits}; false for anything but 1-30 decimal digits. */
    static boolean encode(byte[] bytes, int off, int n, long[] out) {
        if (n == 0 || n > MAX_DIGITS) {
            return false;
        }
        int split = Math.max(0, n - 18);
        long lead = 0;
        long tail = 0;
        for (int i = 0; i < n; i++) {
            int d = bytes[off + i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (i < split) {
                lead = lead * 10 + d;
            } else {
                tail = tail * 10 + d;
            }
        }
        out[0] = (lead << 5) | n;
        out[1] = tail;
        return true;
    }

    /** For tests: the slots in use, to check the index never grows past what it promised. */
    int slots() {
        return his.length;
    }
}
