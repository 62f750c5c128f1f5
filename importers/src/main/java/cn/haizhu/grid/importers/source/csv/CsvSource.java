package cn.haizhu.grid.importers.source.csv;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceLayout;
import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV (or tab-separated) file as a {@link RecordSource}: streamed, RFC 4180, in constant memory.
 *
 * <h2>Syntax</h2>
 * Quoted fields may hold delimiters, doubled quotes ({@code ""}) and line breaks. Lines end with
 * LF, CRLF or a lone CR (old Mac Excel exports); line breaks inside quotes are kept as written.
 * The delimiter is a comma, or a tab when the header line holds tabs and no commas (or when
 * {@link #open(Path, Charset, char)} is given {@code '\t'}). Header cells are trimmed; data cells
 * are returned exactly as written. A record with more or fewer cells than the header is returned as
 * is: the validator decides. Completely empty lines are skipped (they still count as rows).
 * A quote that is still open at the end of the file is an {@link IOException} naming the row where
 * the record began.
 *
 * <h2>Row numbers</h2>
 * {@link SourceRecord#row()} is the row a spreadsheet (Excel, WPS) shows when it opens the file:
 * the header is row 1 and every record is one row, so a record whose quoted cell spans several
 * lines is one row and the rows after it are not shifted. The physical line where the current
 * record starts is {@link #line()}; error messages name both when they differ.
 *
 * <h2>Encoding</h2>
 * <ul>
 *   <li>A byte-order mark always wins: UTF-8 BOM → UTF-8, FF FE → UTF-16LE, FE FF → UTF-16BE (also
 *       over a declared encoding: Excel's "CSV UTF-8" files carry one and a BOM is unambiguous).
 *       The BOM is not part of the first header cell.</li>
 *   <li>Otherwise the declared charset (e.g. from {@code --encoding}) if one is given.</li>
 *   <li>Otherwise the first 64 KB are sniffed: if they are valid UTF-8 (pure ASCII included), UTF-8;
 *       else GB18030, the superset of GBK/GB2312 in which Chinese government files are written.</li>
 * </ul>
 * Decoding never substitutes characters: bytes that are not valid in the charset in use raise an
 * {@link IOException} naming the row ("the file is not valid GBK; try --encoding ..."), so a wrong
 * guess or a wrong declaration never turns into silently garbled names. Limit of sniffing: a file
 * whose first 64 KB are ASCII and whose later rows are GBK is read as UTF-8 and fails at the first
 * GBK row with that error, telling the officer to pass {@code --encoding GBK}.
 */
public final class CsvSource implements RecordSource {
    static final int SNIFF_BYTES = 64 * 1024;
    /**
     * The longest record read, in characters: a grid's WKT polygon is tens of KB, a whole district
     * outline a few MB; a record longer than this is an unclosed quote swallowing the rest of a large
     * file, and is refused before it fills the heap.
     */
    static final int MAX_RECORD_CHARS = 32 << 20;
    private static final char AUTO = 0;

    private final Path file;
    private final InputStream in;
    private final long size;
    private final Charset charset;
    private final boolean declared;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    private final CharBuffer chars = CharBuffer.allocate(64 * 1024);
    private final char delimiter;
    private final SourceLayout layout;
    private final StringBuilder field = new StringBuilder(64);

    private long bytesRead;
    private boolean eof;
    private boolean flushed;
    /** A decoding error met after the characters before it were handed out; thrown when they run out. */
    private CoderResult pendingError;
    private long pendingErrorByte;
    private int pushback = -2;

    private long line = 1;
    /** Physical line and spreadsheet row of the record being read or last returned. */
    private long recordLine;
    private long currentRow;

    private CsvSource(Path file, InputStream in, long size, byte[] head, int headLength, int bomLength,
                      Charset charset, boolean declared, char delimiter) throws IOException {
        this.file = file;
        this.in = in;
        this.size = size;
        this.charset = charset;
        this.declared = declared;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // the sniffed head is decoded first, then the stream continues where it left off
        bytes.put(head, bomLength, headLength - bomLength).flip();
        bytesRead = headLength;
        chars.flip();
        this.delimiter = delimiter != AUTO ? delimiter : detectDelimiter(head, bomLength, headLength, charset);
        List<String> h = readRecord();
        if (h == null) {
            throw new IOException(file.getFileName() + ": the file is empty: a header row is required");
        }
        List<String> trimmed = new ArrayList<>(h.size());
        for (String s : h) {
            trimmed.add(s.strip());
        }
        this.layout = SourceLayout.table(trimmed);
    }

    /** Opens a CSV file whose encoding is detected (see the class comment). */
    public static CsvSource open(Path file) throws IOException {
        return open(file, null, AUTO);
    }

    /**
     * Opens a CSV file.
     *
     * @param encodingOrNull the declared encoding (a byte-order mark still wins), or null to detect it
     */
    public static CsvSource open(Path file, Charset encodingOrNull) throws IOException {
        return open(file, encodingOrNull, AUTO);
    }

    /**
     * Opens a CSV file with a fixed delimiter ({@code ','} or {@code '\t'}), e.g. for a .tsv file,
     * or {@code '\0'} to detect it from the header line.
     */
    public static CsvSource open(Path file, Charset encodingOrNull, char delimiter) throws IOException {
        return open(file, Files.newInputStream(file), encodingOrNull, delimiter);
    }

    /**
     * Opens a CSV file that {@code in} delivers from its first byte, so that whoever opened it sees every
     * byte the reader reads (the import hashes the file as it goes). The source owns {@code in} from here
     * and closes it, also when the file cannot be opened.
     */
    public static CsvSource open(Path file, InputStream in, Charset encodingOrNull, char delimiter) throws IOException {
        try {
            long size = Files.size(file);
            byte[] head = new byte[SNIFF_BYTES];
            int n = in.readNBytes(head, 0, head.length);
            boolean whole = n < head.length || n == size;
            int bom = 0;
            Charset cs;
            boolean declared;
            if (n >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
                cs = StandardCharsets.UTF_8;
                bom = 3;
                declared = true;
            } else if (n >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
                cs = StandardCharsets.UTF_16LE;
                bom = 2;
                declared = true;
            } else if (n >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
                cs = StandardCharsets.UTF_16BE;
                bom = 2;
                declared = true;
            } else if (encodingOrNull != null) {
                cs = encodingOrNull;
                declared = true;
            } else {
                cs = isUtf8(head, n, whole) ? StandardCharsets.UTF_8 : Charset.forName("GB18030");
                declared = false;
            }
            return new CsvSource(file, in, size, head, n, bom, cs, declared, delimiter);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Whether the bytes decode as UTF-8; a multi-byte character cut by the end of the window is fine. */
    static boolean isUtf8(byte[] b, int n, boolean whole) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bb = ByteBuffer.wrap(b, 0, n);
        CharBuffer cb = CharBuffer.allocate(n + 1);
        CoderResult r = d.decode(bb, cb, whole);
        if (r.isError()) {
            return false;
        }
        return !whole || !d.flush(cb).isError();
    }

    private static char detectDelimiter(byte[] head, int from, int to, Charset cs) {
        // lenient decoding is fine here: only tabs, commas and the first line break are looked for
        String text = new String(head, from, to - from, cs);
        int eol = text.indexOf('\n');
        String first = eol < 0 ? text : text.substring(0, eol);
        return first.indexOf('\t') >= 0 && first.indexOf(',') < 0 ? '\t' : ',';
    }

    /** The charset the file is being decoded with (declared, from its BOM, or detected). */
    public Charset encoding() {
        return charset;
    }

    /** Whether {@link #encoding()} came from a BOM or a declaration rather than from sniffing. */
    public boolean encodingDeclared() {
        return declared;
    }

    /** The delimiter in use: ',' or '\t'. */
    public char delimiter() {
        return delimiter;
    }

    /** The 1-based physical line where the last returned record (or the header) starts. */
    public long line() {
        return recordLine;
    }

    @Override
    public SourceLayout layout() {
        return layout;
    }

    @Override
    public SourceRecord next() throws IOException {
        while (true) {
            List<String> r = readRecord();
            if (r == null) {
                return null;
            }
            // a blank line is a blank spreadsheet row: counted, not returned
            if (r.size() == 1 && r.get(0).isEmpty() && !lastRecordHadQuotes) {
                continue;
            }
            return new SourceRecord(currentRow, r, null);
        }
    }

    @Override
    public double progress() {
        if (size <= 0) {
            return -1;
        }
        long consumed = bytesRead - bytes.remaining();
        return Math.min(1.0, Math.max(0.0, (double) consumed / size));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private boolean lastRecordHadQuotes;

    private List<String> readRecord() throws IOException {
        long recordChars = 0;
        long previousRow = currentRow;
        currentRow++;
        recordLine = line;
        int c = read();
        if (c == -1) {
            currentRow = previousRow;
            return null;
        }
        lastRecordHadQuotes = false;
        List<String> out = new ArrayList<>(layout == null ? 16 : layout.columns().size());
        field.setLength(0);
        boolean quoted = false;
        boolean afterQuote = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw new IOException(where() + ": a quoted field is not closed before the end of the file"
                            + " (an opening \" without its closing \")");
                }
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        afterQuote = true;
                        c = d;
                        continue;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    } else if (c == '\r') {
                        int d = read();
                        if (d != '\n') {
                            unread(d);
                            line++;
                        } else {
                            field.append('\r');
                            c = '\n';
                            line++;
                        }
                    }
                    field.append((char) c);
                }
            } else if (c == delimiter) {
                out.add(field.toString());
                field.setLength(0);
                afterQuote = false;
            } else if (c == '\n' || c == -1) {
                out.add(field.toString());
                if (c == '\n') {
                    line++;
                }
                return out;
            } else if (c == '\r') {
                int d = read();
                if (d != '\n') {
                    unread(d);
                }
                out.add(field.toString());
                line++;
                return out;
            } else if (c == '"' && field.length() == 0 && !afterQuote) {
                quoted = true;
                lastRecordHadQuotes = true;
            } else {
                // text after a closing quote (a"b"c) is kept, as spreadsheets do
                field.append((char) c);
            }
            if (++recordChars > MAX_RECORD_CHARS) {
                throw new IOException(where() + ": the record is longer than " + (MAX_RECORD_CHARS >> 20)
                        + " million characters" + (quoted ? " (an opening \" without its closing \"?)" : ""));
            }
            c = read();
        }
    }

    private String where() {
        return file.getFileName() + ": row " + currentRow + (currentRow != recordLine ? " (line " + recordLine + ")" : "");
    }

    private void unread(int c) {
        pushback = c;
    }

    private int read() throws IOException {
        if (pushback != -2) {
            int c = pushback;
            pushback = -2;
            return c;
        }
        if (!chars.hasRemaining() && !fill()) {
            return -1;
        }
        return chars.get();
    }

    private boolean fill() throws IOException {
        while (true) {
            if (pendingError != null) {
                throw decodingError();
            }
            if (flushed) {
                return false;
            }
            chars.clear();
            CoderResult r;
            if (eof && !bytes.hasRemaining()) {
                r = decoder.decode(bytes, chars, true);
                if (!r.isError()) {
                    r = decoder.flush(chars);
                    flushed = true;
                }
            } else {
                r = decoder.decode(bytes, chars, eof);
            }
            if (r.isError()) {
                pendingError = r;
                pendingErrorByte = bytesRead - bytes.remaining();
                flushed = false;
            }
            chars.flip();
            if (chars.hasRemaining()) {
                return true;
            }
            if (pendingError != null) {
                continue;
            }
            if (r.isUnderflow() && !eof) {
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    eof = true;
                } else {
                    bytes.position(bytes.position() + n);
                    bytesRead += n;
                }
                bytes.flip();
            }
        }
    }

    private IOException decodingError() {
        // the characters before the bad bytes have been parsed, so the row is exact
        String at = where() + (line != recordLine ? ", line " + line : "") + ", byte " + pendingErrorByte;
        String name = displayName(charset);
        String hint = charset.equals(StandardCharsets.UTF_8) ? "GBK" : "UTF-8";
        String how = declared
                ? "the file is not valid " + name + "; try --encoding " + hint
                : "the file is not valid " + name + " (detected from its first 64 KB); try --encoding " + hint;
        return new IOException(at + ": " + how + " (bytes " + hex(pendingErrorByte, pendingError.length()) + ")");
    }

    private String hex(long at, int len) {
        long start = at - (bytesRead - bytes.limit());
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < len && start + i >= 0 && start + i < bytes.limit(); i++) {
            if (i > 0) {
                s.append(' ');
            }
            s.append(String.format("%02X", bytes.get((int) (start + i)) & 0xFF));
        }
        return s.toString();
    }

    static String displayName(Charset cs) {
        String n = cs.name();
        return n.equalsIgnoreCase("GB18030") ? "GBK/GB18030" : n;
    }

    @Override
    public String toString() {
        return "CsvSource[" + file + ", " + charset + ", delimiter=" + (delimiter == '\t' ? "tab" : ",")
                + ", columns=" + layout.columns() + "]";
    }
}
