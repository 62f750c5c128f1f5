package cn.haizhu.grid.importers.source.xlsx;

/** Text helpers for OOXML cell strings. */
final class XlsxText {
    private XlsxText() {
    }

    /**
     * Undoes Excel's escaping of characters XML cannot carry: {@code _x000D_} is a carriage return,
     * {@code _x005F_} a literal underscore that protects a following {@code _xHHHH_}.
     */
    static String unescape(CharSequence s) {
        int at = indexOf(s, 0);
        if (at < 0) {
            return s.toString();
        }
        StringBuilder out = new StringBuilder(s.length());
        int from = 0;
        while (at >= 0) {
            out.append(s, from, at);
            out.append((char) Integer.parseInt(s.subSequence(at + 2, at + 6).toString(), 16));
            from = at + 7;
            at = indexOf(s, from);
        }
        out.append(s, from, s.length());
        return out.toString();
    }

    private static int indexOf(CharSequence s, int from) {
        for (int i = from; i + 6 < s.length(); i++) {
            if (s.charAt(i) == '_' && s.charAt(i + 1) == 'x' && s.charAt(i + 6) == '_'
                    && hex(s.charAt(i + 2)) && hex(s.charAt(i + 3)) && hex(s.charAt(i + 4)) && hex(s.charAt(i + 5))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /**
     * The longest cell text read, in characters. Excel and WPS hold at most 32,767 characters in a
     * cell; a workbook with far longer text was not made by them, and as the sheet is compressed a
     * small upload could otherwise hand the reader one string of a gigabyte.
     */
    static final int MAX_CELL_CHARS = 1 << 20;

    /** Excel's columns: A to XFD. */
    static final int MAX_COLUMNS = 16384;

    /**
     * 0-based column index of a cell reference such as "B7" or "AA12"; -1 when there is none; at
     * least {@link #MAX_COLUMNS} for a reference past XFD (counting stops there, so that a long run
     * of letters in a damaged file cannot overflow into a small number).
     */
    static int column(String ref) {
        if (ref == null) {
            return -1;
        }
        int col = 0;
        int i = 0;
        for (; i < ref.length(); i++) {
            char c = ref.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                col = col * 26 + (c - 'A' + 1);
            } else if (c >= 'a' && c <= 'z') {
                col = col * 26 + (c - 'a' + 1);
            } else {
                break;
            }
            if (col > MAX_COLUMNS) {
                return MAX_COLUMNS;
            }
        }
        return i == 0 ? -1 : col - 1;
    }
}
