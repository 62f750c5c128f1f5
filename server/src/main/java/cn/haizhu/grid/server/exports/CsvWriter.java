package cn.haizhu.grid.server.exports;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.locationtech.jts.io.WKTWriter;

/**
 * CSV as Excel opens it: UTF-8 with a byte-order mark (without it Excel reads the Chinese as the
 * machine's ANSI code page), CRLF line ends, RFC 4180 quoting. Points as {@code lon}/{@code lat}
 * columns, polygons as a {@code wkt} column: the columns the importers read back.
 */
final class CsvWriter implements FeatureWriter {
    private final Writer out;
    private ExportCollection collection;
    private final WKTWriter wkt = new WKTWriter();

    CsvWriter(OutputStream out) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public void begin(ExportCollection collection, ExportCrs crs) throws IOException {
        this.collection = collection;
        out.write('\uFEFF');
        for (ExportCollection.Field field : collection.fields()) {
            out.write(field.name());
            out.write(',');
        }
        out.write(collection.geometry() == ExportCollection.Geometry.POINT ? "lon,lat" : "wkt");
        out.write("\r\n");
    }

    @Override
    public void write(Feature f) throws IOException {
        for (Object v : f.values) {
            if (v != null) {
                text(v instanceof Double d ? number(d) : v.toString());
            }
            out.write(',');
        }
        if (collection.geometry() == ExportCollection.Geometry.POINT) {
            out.write(number(f.x()));
            out.write(',');
            out.write(number(f.y()));
        } else {
            text(wkt.write(f.jts()));
        }
        out.write("\r\n");
    }

    /** A number as its shortest exact decimal, never in exponent form (Excel and the importer read both alike then). */
    static String number(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private void text(String s) throws IOException {
        boolean quote = false;
        for (int i = 0; i < s.length() && !quote; i++) {
            char ch = s.charAt(i);
            quote = ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
        }
        // a leading = + - @ would be a formula to Excel (CSV injection): such text goes out quoted with a tab first
        boolean formula = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !isNumber(s);
        if (!quote && !formula) {
            out.write(s);
            return;
        }
        out.write('"');
        if (formula) {
            out.write('\t');
        }
        out.write(s.replace("\"", "\"\""));
        out.write('"');
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void finish() throws IOException {
        out.flush();
    }
}
