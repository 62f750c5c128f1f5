package cn.haizhu.grid.importers.source.csv;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: one record at a time, never the whole file in memory.
 * Quoted fields may hold commas, doubled quotes and line breaks. A UTF-8 byte-order mark is
 * skipped. {@link #rowNumber()} is the 1-based line of the record's start (the header is row 1),
 * which is what a data officer sees in a spreadsheet.
 */
public final class CsvReader implements Closeable {
    private final Reader in;
    private final List<String> header;
    private int line = 1;
    private int recordStart;
    private final StringBuilder field = new StringBuilder(64);

    public CsvReader(Reader in) throws IOException {
        this.in = in instanceof BufferedReader ? in : new BufferedReader(in, 1 << 16);
        List<String> h = readRecord();
        if (h == null) {
            throw new IOException("the file is empty: a header row is required");
        }
        this.header = List.copyOf(h);
    }

    /** Opens a file, skipping a UTF-8 BOM; {@code charset} is the file's text encoding. */
    public static CsvReader open(Path file, Charset charset) throws IOException {
        InputStream raw = new PushbackInputStream(Files.newInputStream(file), 3);
        if (charset.equals(StandardCharsets.UTF_8)) {
            PushbackInputStream p = (PushbackInputStream) raw;
            byte[] bom = p.readNBytes(3);
            if (!(bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF)) {
                p.unread(bom);
            }
        }
        return new CsvReader(new InputStreamReader(raw, charset));
    }

    public List<String> header() {
        return header;
    }

    /** The next record, or null at the end of the file. */
    public List<String> next() throws IOException {
        return readRecord();
    }

    public int rowNumber() {
        return recordStart;
    }

    private List<String> readRecord() throws IOException {
        int c = in.read();
        if (c == -1) {
            return null;
        }
        recordStart = line;
        List<String> out = new ArrayList<>(header == null ? 16 : header.size());
        field.setLength(0);
        boolean quoted = false;
        boolean afterQuote = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw new IOException("row " + recordStart + ": a quoted field is not closed before the end of the file");
                }
                if (c == '"') {
                    int d = in.read();
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
                    }
                    field.append((char) c);
                }
            } else if (c == ',' ) {
                out.add(field.toString());
                field.setLength(0);
                afterQuote = false;
            } else if (c == '\n' || c == -1) {
                out.add(field.toString());
                line++;
                return out;
            } else if (c == '\r') {
                // a CR before LF ends the record at the LF; a lone CR is kept out of the data
            } else if (c == '"' && field.length() == 0 && !afterQuote) {
                quoted = true;
            } else {
                field.append((char) c);
            }
            c = in.read();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
