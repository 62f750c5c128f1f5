package cn.haizhu.grid.importers.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ByteOrderValues;
import org.locationtech.jts.io.WKBWriter;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows into one {@code COPY … FROM STDIN} (PostgreSQL text format) through pgjdbc's
 * CopyManager, flushing every megabyte, so a file of any size loads in constant memory.
 * The Vert.x SQL client has no COPY: bulk paths use this.
 */
public final class CopyWriter implements AutoCloseable {
    private static final int FLUSH_AT = 1 << 20;
    private static final HexFormat HEX = HexFormat.of();
    private final CopyIn copy;
    private final StringBuilder buf = new StringBuilder(FLUSH_AT + 4096);
    private boolean firstField = true;
    private long rows;

    public CopyWriter(Connection c, String copySql) throws SQLException {
        this.copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
    }

    public CopyWriter text(String value) {
        sep();
        if (value == null) {
            buf.append("\\N");
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> buf.append("\\\\");
                case '\t' -> buf.append("\\t");
                case '\n' -> buf.append("\\n");
                case '\r' -> buf.append("\\r");
                default -> buf.append(ch);
            }
        }
        return this;
    }

    public CopyWriter number(double value) {
        sep();
        buf.append(value);
        return this;
    }

    public CopyWriter number(long value) {
        sep();
        buf.append(value);
        return this;
    }

    public CopyWriter bytes(byte[] value) {
        sep();
        if (value == null) {
            buf.append("\\N");
        } else {
            buf.append("\\\\x");
            HEX.formatHex(buf, value);
        }
        return this;
    }

    /**
     * A point in EPSG:4326 as hex EWKB, which PostgreSQL parses far faster than text and which
     * keeps the full double precision.
     */
    public CopyWriter point(double lon, double lat) {
        sep();
        buf.append("0101000020E6100000"); // little endian, Point with SRID, SRID 4326
        appendDoubleLE(lon);
        appendDoubleLE(lat);
        return this;
    }

    /** Any geometry as 2D hex EWKB with its SRID (Z and M dropped: the tables are 2D). */
    public CopyWriter geometry(Geometry g) {
        sep();
        if (g == null) {
            buf.append("\\N");
        } else {
            HEX.formatHex(buf, ewkb.write(g));
        }
        return this;
    }

    private final WKBWriter ewkb = new WKBWriter(2, ByteOrderValues.LITTLE_ENDIAN, true);

    private void appendDoubleLE(double d) {
        long bits = Double.doubleToRawLongBits(d);
        for (int i = 0; i < 8; i++) {
            int b = (int) (bits >>> (8 * i)) & 0xFF;
            buf.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
    }

    /** A text[] value; elements must not contain commas, quotes, braces or backslashes. */
    public CopyWriter textArray(Iterable<String> values) {
        sep();
        buf.append('{');
        boolean first = true;
        for (String v : values) {
            if (!first) {
                buf.append(',');
            }
            buf.append('"').append(v).append('"');
            first = false;
        }
        buf.append('}');
        return this;
    }

    private int markLength;

    /** Remembers where the current row starts, so a row rejected half-way can be taken back. */
    public void mark() {
        markLength = buf.length();
        firstField = true;
    }

    /** Takes back everything written since {@link #mark()}. */
    public void rewind() {
        buf.setLength(markLength);
        firstField = true;
    }

    public void endRow() throws SQLException {
        buf.append('\n');
        firstField = true;
        rows++;
        if (buf.length() >= FLUSH_AT) {
            flush();
        }
    }

    public long rows() {
        return rows;
    }

    private void sep() {
        if (!firstField) {
            buf.append('\t');
        }
        firstField = false;
    }

    private void flush() throws SQLException {
        byte[] bytes = buf.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        buf.setLength(0);
    }

    /** Ends the COPY; returns the rows the server took. */
    public long finish() throws SQLException {
        flush();
        return copy.endCopy();
    }

    @Override
    public void close() throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }
}
