package cn.haizhu.grid.importers.source.flatgeobuf;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceLayout;
import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.locationtech.jts.geom.GeometryFactory;
import org.wololo.flatgeobuf.Constants;
import org.wololo.flatgeobuf.GeometryConversions;
import org.wololo.flatgeobuf.PackedRTree;
import org.wololo.flatgeobuf.generated.Column;
import org.wololo.flatgeobuf.generated.ColumnType;
import org.wololo.flatgeobuf.generated.Crs;
import org.wololo.flatgeobuf.generated.Feature;
import org.wololo.flatgeobuf.generated.Geometry;
import org.wololo.flatgeobuf.generated.GeometryType;
import org.wololo.flatgeobuf.generated.Header;

/**
 * A FlatGeobuf file read as a {@link RecordSource}: the header, the spatial index skipped, then
 * one size-prefixed feature at a time (constant memory; the file is read once, front to back).
 *
 * <p>{@link #columns()} are the header's column names. Values are decoded by column type and
 * given as text: integers in decimal (unsigned types unsigned), Float/Double as plain decimals
 * without exponent or trailing zeros ({@code 12.5}, {@code 3}), Bool {@code true}/{@code false},
 * String/Json/DateTime as stored (DateTime is ISO-8601 text in FlatGeobuf), Binary as hex; a
 * property absent from a feature is null. Per-feature column schemas (allowed by the format, not
 * written by GDAL) are not supported: properties are read against the header's columns.
 * {@link SourceRecord#row()} is the 1-based feature number. Geometries are X/Y (Z kept if
 * present, M dropped by the decoder), in the file's own coordinate system; GeometryCollection
 * and files of mixed ("Unknown") geometry type are handled per feature.
 *
 * <p>{@link #declaredCrs()}: "ORG:code" from the header's crs (org defaults to EPSG as the
 * format specifies; code_string when the numeric code is 0), else its WKT, else empty.
 * {@link #progress()} is the share of bytes read.
 *
 * <p>A file without the FlatGeobuf magic bytes, a corrupt header or feature, or a file cut short
 * ("flatgeobuf truncated at feature N (byte offset …)") is an {@link IOException}. When the
 * header states a feature count, ending early is reported as truncation too.
 */
public final class FlatGeobufSource implements RecordSource {
    private static final int MAX_HEADER_BYTES = 10 << 20;
    /**
     * The largest feature read: a grid is a few KB, the district outline with every bend of the
     * river a few MB. A feature is read whole, so a size prefix beyond this is refused rather than
     * allocated.
     */
    static final int MAX_FEATURE_BYTES = 64 << 20;
    /** Parts inside parts (collections of multipolygons...): real files have two levels, a crafted one could recurse deep. */
    static final int MAX_COLLECTION_DEPTH = 16;

    private final Path file;
    private final InputStream in;
    private final long fileSize;
    private final SourceLayout layout;
    private final int[] types;
    private final int geometryType;
    private final long featuresCount;
    private final GeometryFactory factory = new GeometryFactory();
    private long offset;
    private long featureNumber;
    private boolean closed;

    private FlatGeobufSource(Path file, InputStream in, long fileSize, long offset, Header header) throws IOException {
        this.file = file;
        this.in = in;
        this.fileSize = fileSize;
        this.offset = offset;
        int n = header.columnsLength();
        List<String> names = new ArrayList<>(n);
        this.types = new int[n];
        for (int i = 0; i < n; i++) {
            Column c = header.columns(i);
            names.add(c.name() == null ? "" : c.name().trim());
            types[i] = c.type();
        }
        this.geometryType = header.geometryType();
        this.featuresCount = header.featuresCount();
        this.layout = SourceLayout.features(names, crsOf(header.crs()));
    }

    /** Opens a FlatGeobuf file and reads its header. */
    public static RecordSource open(Path fgb) throws IOException {
        if (!Files.isRegularFile(fgb)) {
            throw new NoSuchFileException(fgb.toString(), null, "no such file");
        }
        long size = Files.size(fgb);
        InputStream in = new BufferedInputStream(Files.newInputStream(fgb), 1 << 16);
        try {
            byte[] magic = in.readNBytes(8);
            if (magic.length < 8 || !Constants.isFlatgeobuf(ByteBuffer.wrap(magic))) {
                throw new IOException(fgb.getFileName() + " is not a FlatGeobuf file (no 'fgb' magic bytes)");
            }
            byte[] len = in.readNBytes(4);
            if (len.length < 4) {
                throw new IOException("flatgeobuf truncated in the header (byte offset 8) of " + fgb.getFileName());
            }
            long headerSize = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            if (headerSize > MAX_HEADER_BYTES) {
                throw new IOException(fgb.getFileName() + ": corrupt FlatGeobuf header (declares " + headerSize + " bytes)");
            }
            if (12 + headerSize > size) {
                throw new IOException("flatgeobuf truncated in the header (byte offset 12) of " + fgb.getFileName()
                        + ": header needs " + headerSize + " bytes, only " + (size - 12) + " are left");
            }
            byte[] hb = in.readNBytes((int) headerSize);
            Header header;
            long indexBytes;
            try {
                header = Header.getRootAsHeader(ByteBuffer.wrap(hb).order(ByteOrder.LITTLE_ENDIAN));
                int nodeSize = header.indexNodeSize();
                long count = header.featuresCount();
                // every feature takes at least its 4-byte size prefix and a 4-byte table offset; a count
                // beyond that (or past an int, which the library's index arithmetic would loop on forever
                // once cast) is a corrupt header
                if (count < 0 || count > Integer.MAX_VALUE || count > size / 8) {
                    throw new IllegalStateException("the header declares " + Long.toUnsignedString(count)
                            + " features in a file of " + size + " bytes");
                }
                indexBytes = nodeSize > 0 && count > 0 ? PackedRTree.calcSize((int) count, nodeSize) : 0;
                if ((long) header.columnsLength() * 4 > hb.length) {
                    throw new IllegalStateException("the header declares " + header.columnsLength() + " columns in "
                            + hb.length + " bytes");
                }
            } catch (RuntimeException e) {
                throw new IOException(fgb.getFileName() + ": corrupt FlatGeobuf header: " + e, e);
            }
            long offset = 12 + headerSize;
            if (offset + indexBytes > size) {
                throw new IOException("flatgeobuf truncated in the spatial index (byte offset " + offset + ") of "
                        + fgb.getFileName() + ": index needs " + indexBytes + " bytes, only " + (size - offset) + " are left");
            }
            in.skipNBytes(indexBytes);
            offset += indexBytes;
            try {
                return new FlatGeobufSource(fgb, in, size, offset, header);
            } catch (RuntimeException e) {
                // the header's tables are read lazily: a corrupt column or crs table shows only here
                throw new IOException(fgb.getFileName() + ": corrupt FlatGeobuf header: " + e, e);
            }
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static String crsOf(Crs c) {
        if (c == null) {
            return null;
        }
        String org = c.org() == null || c.org().isBlank() ? "EPSG" : c.org().trim();
        if (c.code() > 0) {
            return org.toUpperCase(java.util.Locale.ROOT) + ":" + c.code();
        }
        if (c.codeString() != null && !c.codeString().isBlank()) {
            return org.toUpperCase(java.util.Locale.ROOT) + ":" + c.codeString().trim();
        }
        return c.wkt() == null || c.wkt().isBlank() ? null : c.wkt().trim();
    }

    @Override
    public SourceLayout layout() {
        return layout;
    }

    @Override
    public SourceRecord next() throws IOException {
        if (closed) {
            return null;
        }
        long start = offset;
        long number = featureNumber + 1;
        byte[] len = in.readNBytes(4);
        offset += len.length;
        if (len.length == 0) {
            if (featuresCount > 0 && featureNumber < featuresCount) {
                throw new IOException("flatgeobuf truncated at feature " + number + " (byte offset " + start + " of "
                        + file.getFileName() + "): the header promises " + featuresCount + " features");
            }
            return null;
        }
        if (len.length < 4) {
            throw truncated(number, start, "the 4-byte size prefix is cut off");
        }
        long size = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        if (start + 4 + size > fileSize) {
            throw truncated(number, start, "the feature needs " + size + " bytes, only " + (fileSize - start - 4) + " are left");
        }
        if (size > MAX_FEATURE_BYTES) {
            throw new IOException(file.getFileName() + ": feature " + number + " (byte offset " + start + ") declares "
                    + size + " bytes, more than the " + (MAX_FEATURE_BYTES >> 20) + " MiB a feature may have");
        }
        byte[] body = in.readNBytes((int) size);
        offset += body.length;
        if (body.length < size) {
            throw truncated(number, start, "the feature is cut off");
        }
        featureNumber = number;
        try {
            Feature f = Feature.getRootAsFeature(ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN));
            List<String> values = properties(f);
            Geometry g = f.geometry();
            if (g != null) {
                checkVectors(g, new long[] {body.length}, 0);
            }
            org.locationtech.jts.geom.Geometry geometry = g == null ? null : decode(g, geometryType);
            return new SourceRecord(number, values, geometry);
        } catch (RuntimeException e) {
            throw new IOException(file.getFileName() + ": feature " + number + " (byte offset " + start
                    + ") is corrupt: " + e, e);
        }
    }

    private IOException truncated(long number, long start, String detail) {
        return new IOException("flatgeobuf truncated at feature " + number + " (byte offset " + start + " of "
                + file.getFileName() + "): " + detail);
    }

    /**
     * Checks the lengths the geometry's vectors declare before the decoder allocates arrays of those
     * lengths: together they must fit in the feature's bytes ({@code budget}). FlatBuffers lets two
     * parts point to the same table, so the sum over every part visited is what is bounded, not each
     * vector: a few KB cannot unfold into millions of coordinates.
     */
    private static void checkVectors(Geometry g, long[] budget, int depth) {
        if (depth > MAX_COLLECTION_DEPTH) {
            throw new IllegalStateException("geometry parts nested more than " + MAX_COLLECTION_DEPTH + " deep");
        }
        int[] lengths = {g.xyLength(), g.zLength(), g.mLength(), g.tLength(), g.tmLength(), g.endsLength(), g.partsLength()};
        for (int length : lengths) {
            // a length is a 32-bit field of the file: one with the top bit set reads as negative and
            // would otherwise give budget back
            if (length < 0) {
                throw new IllegalStateException("a geometry vector declares " + Integer.toUnsignedString(length) + " items");
            }
        }
        long bytes = 0;
        for (int i = 0; i < lengths.length; i++) {
            bytes += (i < 5 ? 8L : 4L) * lengths[i];   // doubles, then uint32 ends and part offsets; in long, never wrapping
        }
        budget[0] -= bytes;
        if (budget[0] < 0) {
            throw new IllegalStateException("the geometry declares more coordinates and parts than the feature's bytes hold");
        }
        // ring and line ends index the coordinates: the decoder copies up to each one
        long previous = 0;
        for (int i = 0; i < g.endsLength(); i++) {
            long end = g.ends(i);   // an unsigned 32-bit value, already widened
            if (end < previous || end > g.xyLength() / 2) {
                throw new IllegalStateException("part end " + end + " outside the " + g.xyLength() / 2 + " coordinates");
            }
            previous = end;
        }
        for (int i = 0; i < g.partsLength(); i++) {
            checkVectors(g.parts(i), budget, depth + 1);
        }
    }

    /** Decodes a geometry whose vectors {@link #checkVectors} has checked. */
    private org.locationtech.jts.geom.Geometry decode(Geometry g, int type) {
        int t = type == GeometryType.Unknown ? g.type() : type;
        if (t == GeometryType.GeometryCollection) {
            org.locationtech.jts.geom.Geometry[] parts = new org.locationtech.jts.geom.Geometry[g.partsLength()];
            for (int i = 0; i < parts.length; i++) {
                Geometry part = g.parts(i);
                parts[i] = decode(part, part.type());
            }
            return factory.createGeometryCollection(parts);
        }
        return GeometryConversions.deserialize(g, t);
    }

    private List<String> properties(Feature f) {
        String[] values = new String[types.length];
        int n = f.propertiesLength();
        if (n > 0) {
            ByteBuffer b = f.propertiesAsByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                int col = Short.toUnsignedInt(b.getShort());
                if (col >= types.length) {
                    throw new IllegalStateException("property for column " + col + " but the header has " + types.length);
                }
                values[col] = value(types[col], b);
            }
        }
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    private static String value(int type, ByteBuffer b) {
        return switch (type) {
            case ColumnType.Byte -> Byte.toString(b.get());
            case ColumnType.UByte -> Integer.toString(Byte.toUnsignedInt(b.get()));
            case ColumnType.Bool -> b.get() != 0 ? "true" : "false";
            case ColumnType.Short -> Short.toString(b.getShort());
            case ColumnType.UShort -> Integer.toString(Short.toUnsignedInt(b.getShort()));
            case ColumnType.Int -> Integer.toString(b.getInt());
            case ColumnType.UInt -> Integer.toUnsignedString(b.getInt());
            case ColumnType.Long -> Long.toString(b.getLong());
            case ColumnType.ULong -> Long.toUnsignedString(b.getLong());
            case ColumnType.Float -> plain(Float.toString(b.getFloat()));
            case ColumnType.Double -> plain(Double.toString(b.getDouble()));
            case ColumnType.String, ColumnType.Json, ColumnType.DateTime -> new String(bytes(b), StandardCharsets.UTF_8);
            case ColumnType.Binary -> HexFormat.of().formatHex(bytes(b));
            default -> throw new IllegalStateException("unknown column type " + type);
        };
    }

    private static String plain(String javaDouble) {
        if (javaDouble.equals("NaN") || javaDouble.contains("Infinity")) {
            return null;
        }
        String s = new BigDecimal(javaDouble).stripTrailingZeros().toPlainString();
        return s;
    }

    private static byte[] bytes(ByteBuffer b) {
        long len = Integer.toUnsignedLong(b.getInt());
        if (len > b.remaining()) {
            throw new IllegalStateException("a value of " + len + " bytes runs past the feature's properties");
        }
        byte[] out = new byte[(int) len];
        b.get(out);
        return out;
    }

    @Override
    public double progress() {
        return fileSize <= 0 ? -1 : Math.min(1.0, (double) offset / fileSize);
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            in.close();
        }
    }
}
