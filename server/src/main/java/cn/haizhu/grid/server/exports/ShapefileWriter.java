package cn.haizhu.grid.server.exports;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/**
 * An ESRI Shapefile, zipped: {@code .shp}, {@code .shx}, {@code .dbf}, {@code .prj} and {@code .cpg}
 * under the collection's name. The three binary files are written row by row into a scratch folder
 * (their headers hold counts and lengths known only at the end, so they are patched then), then zipped
 * onto the stream and removed. Within the format's limits: field names of at most 10 bytes
 * ({@link ExportCollection.Field#dbfName()}), text fields of at most 254 bytes (longer text is cut on a
 * character), and each file under 2 GB (a larger export is refused with a hint to use GeoPackage).
 * The DBF text is GBK (the default: what ArcGIS and most Chinese desks expect) or UTF-8; the .cpg and
 * the DBF's language byte both say which.
 */
final class ShapefileWriter implements FeatureWriter {
    static final long MAX_FILE = Integer.MAX_VALUE;
    static final int MAX_TEXT = 254;
    /** The DBF language driver id of code page 936 (GBK). */
    static final byte LDID_GBK = 0x4D;

    private final OutputStream zipTarget;
    private final Charset charset;
    private final Path dir;
    private ExportCollection collection;
    private ExportCrs crs;
    private Path shpFile, shxFile, dbfFile;
    private OutputStream shp, shx, dbf;
    private long shpWords = 50;   // the 100-byte header, in 16-bit words
    private long dbfBytes;
    private int records;
    private int recordBytes;
    private int[] widths;
    private final Envelope extent = new Envelope();
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);

    ShapefileWriter(OutputStream zipTarget, Charset charset) throws IOException {
        this.zipTarget = zipTarget;
        this.charset = charset;
        this.dir = Files.createTempDirectory("gridctl-export-shp-");
    }

    @Override
    public void begin(ExportCollection collection, ExportCrs crs) throws IOException {
        this.collection = collection;
        this.crs = crs;
        String base = collection.code();
        shpFile = dir.resolve(base + ".shp");
        shxFile = dir.resolve(base + ".shx");
        dbfFile = dir.resolve(base + ".dbf");
        shp = new BufferedOutputStream(Files.newOutputStream(shpFile), 1 << 16);
        shx = new BufferedOutputStream(Files.newOutputStream(shxFile), 1 << 16);
        dbf = new BufferedOutputStream(Files.newOutputStream(dbfFile), 1 << 16);
        shp.write(new byte[100]);
        shx.write(new byte[100]);
        List<ExportCollection.Field> fields = collection.fields();
        widths = new int[fields.size()];
        int bytesPerChar = charset.equals(StandardCharsets.UTF_8) ? 3 : 2;
        int recordLength = 1;
        for (int i = 0; i < fields.size(); i++) {
            ExportCollection.Field f = fields.get(i);
            widths[i] = switch (f.type()) {
                case TEXT -> Math.min(MAX_TEXT, f.width() * bytesPerChar);
                case INTEGER -> f.width();
                case REAL -> 24;
            };
            recordLength += widths[i];
        }
        ByteBuffer h = ByteBuffer.allocate(32 + 32 * fields.size() + 1).order(ByteOrder.LITTLE_ENDIAN);
        LocalDate today = LocalDate.now();
        h.put((byte) 0x03).put((byte) (today.getYear() - 1900)).put((byte) today.getMonthValue()).put((byte) today.getDayOfMonth());
        h.putInt(0);   // the record count, patched at the end
        h.putShort((short) h.capacity()).putShort((short) recordLength);
        h.position(29);
        h.put(charset.equals(StandardCharsets.UTF_8) ? 0 : LDID_GBK);
        h.position(32);
        for (int i = 0; i < fields.size(); i++) {
            ExportCollection.Field f = fields.get(i);
            byte[] name = f.dbfName().getBytes(StandardCharsets.US_ASCII);
            h.put(name).put(new byte[11 - name.length]);
            h.put((byte) (f.type() == ExportCollection.Type.TEXT ? 'C' : 'N'));
            h.putInt(0);
            h.put((byte) widths[i]).put((byte) (f.type() == ExportCollection.Type.REAL ? 6 : 0));
            h.put(new byte[14]);
        }
        h.put((byte) 0x0D);
        dbf.write(h.array());
        dbfBytes = h.capacity();
    }

    @Override
    public void write(Feature f) throws IOException {
        records++;
        // .shp: record header (big endian) and content (little endian)
        buf.clear();
        if (collection.geometry() == ExportCollection.Geometry.POINT) {
            double x = f.x(), y = f.y();
            extent.expandToInclude(x, y);
            buf.order(ByteOrder.BIG_ENDIAN).putInt(records).putInt(10);
            buf.order(ByteOrder.LITTLE_ENDIAN).putInt(1).putDouble(x).putDouble(y);
            shp.write(buf.array(), 0, buf.position());
            recordBytes = buf.position();
        } else {
            recordBytes = polygon((MultiPolygon) f.jts());
        }
        int contentWords = recordBytes / 2 - 4;
        ByteBuffer index = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt((int) shpWords).putInt(contentWords);
        shx.write(index.array());
        shpWords += 4 + contentWords;
        // .dbf: a deletion flag, then each field padded to its width
        dbf.write(' ');
        for (int i = 0; i < widths.length; i++) {
            dbf.write(cell(f.values[i], i));
        }
        dbfBytes += 1 + java.util.Arrays.stream(widths).sum();
        if (shpWords * 2 > MAX_FILE || dbfBytes > MAX_FILE) {
            throw new ShapefileTooLarge();
        }
    }

    /** A polygon record (its length in bytes): outer rings clockwise, holes counter-clockwise, as the format wants. */
    private int polygon(MultiPolygon mp) throws IOException {
        Envelope e = mp.getEnvelopeInternal();
        extent.expandToInclude(e);
        int parts = 0, points = 0;
        for (int p = 0; p < mp.getNumGeometries(); p++) {
            Polygon polygon = (Polygon) mp.getGeometryN(p);
            parts += 1 + polygon.getNumInteriorRing();
            points += polygon.getNumPoints();
        }
        int content = 44 + 4 * parts + 16 * points;
        ByteBuffer b = content + 8 <= buf.capacity() ? buf : ByteBuffer.allocate(content + 8);
        b.clear();
        b.order(ByteOrder.BIG_ENDIAN).putInt(records).putInt(content / 2);
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(5).putDouble(e.getMinX()).putDouble(e.getMinY())
                .putDouble(e.getMaxX()).putDouble(e.getMaxY()).putInt(parts).putInt(points);
        int start = 0;
        for (int p = 0; p < mp.getNumGeometries(); p++) {
            Polygon polygon = (Polygon) mp.getGeometryN(p);
            b.putInt(start);
            start += polygon.getExteriorRing().getNumPoints();
            for (int h = 0; h < polygon.getNumInteriorRing(); h++) {
                b.putInt(start);
                start += polygon.getInteriorRingN(h).getNumPoints();
            }
        }
        for (int p = 0; p < mp.getNumGeometries(); p++) {
            Polygon polygon = (Polygon) mp.getGeometryN(p);
            ring(b, polygon.getExteriorRing(), false);
            for (int h = 0; h < polygon.getNumInteriorRing(); h++) {
                ring(b, polygon.getInteriorRingN(h), true);
            }
        }
        shp.write(b.array(), 0, b.position());
        return b.position();
    }

    private static void ring(ByteBuffer b, LinearRing ring, boolean hole) {
        Coordinate[] cs = ring.getCoordinates();
        boolean ccw = Orientation.isCCW(cs);
        boolean reverse = hole != ccw;   // outer: clockwise; hole: counter-clockwise
        for (int i = 0; i < cs.length; i++) {
            Coordinate c = cs[reverse ? cs.length - 1 - i : i];
            b.putDouble(c.x).putDouble(c.y);
        }
    }

    private byte[] cell(Object v, int i) {
        int width = widths[i];
        byte[] out = new byte[width];
        java.util.Arrays.fill(out, (byte) ' ');
        if (v == null) {
            return out;
        }
        byte[] text;
        if (v instanceof Integer n) {
            text = n.toString().getBytes(StandardCharsets.US_ASCII);
        } else if (v instanceof Double d) {
            text = String.format(Locale.ROOT, "%.6f", d).getBytes(StandardCharsets.US_ASCII);
        } else {
            text = encode(v.toString(), width);
        }
        if (v instanceof String) {
            System.arraycopy(text, 0, out, 0, Math.min(text.length, width));
        } else {
            // numbers right-aligned, as dBASE writes them
            System.arraycopy(text, 0, out, Math.max(0, width - text.length), Math.min(text.length, width));
        }
        return out;
    }

    /** The text in the DBF's charset, cut to {@code width} bytes on a character boundary. */
    private byte[] encode(String s, int width) {
        byte[] all = s.getBytes(charset);
        if (all.length <= width) {
            return all;
        }
        int end = s.length();
        while (end > 0 && s.substring(0, end).getBytes(charset).length > width) {
            end = Character.isLowSurrogate(s.charAt(end - 1)) ? end - 2 : end - 1;
        }
        return s.substring(0, end).getBytes(charset);
    }

    @Override
    public void finish() throws IOException {
        dbf.write(0x1A);
        shp.close();
        shx.close();
        dbf.close();
        patchShapeHeader(shpFile, shpWords);
        patchShapeHeader(shxFile, 50 + 4L * records);
        try (RandomAccessFile f = new RandomAccessFile(dbfFile.toFile(), "rw")) {
            f.seek(4);
            f.writeInt(Integer.reverseBytes(records));
        }
        ZipOutputStream zip = new ZipOutputStream(zipTarget, StandardCharsets.UTF_8);
        String base = collection.code();
        for (Path p : List.of(shpFile, shxFile, dbfFile)) {
            zip.putNextEntry(new ZipEntry(p.getFileName().toString()));
            Files.copy(p, zip);
            zip.closeEntry();
        }
        zip.putNextEntry(new ZipEntry(base + ".prj"));
        zip.write(crs.esriWkt.getBytes(StandardCharsets.US_ASCII));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(base + ".cpg"));
        zip.write((charset.equals(StandardCharsets.UTF_8) ? "UTF-8" : "GBK").getBytes(StandardCharsets.US_ASCII));
        zip.closeEntry();
        zip.finish();
        zipTarget.flush();
    }

    private void patchShapeHeader(Path file, long words) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(100);
        h.order(ByteOrder.BIG_ENDIAN).putInt(9994).put(new byte[20]).putInt((int) words);
        h.order(ByteOrder.LITTLE_ENDIAN).putInt(1000).putInt(collection.geometry().shapeType);
        boolean empty = extent.isNull();
        h.putDouble(empty ? 0 : extent.getMinX()).putDouble(empty ? 0 : extent.getMinY())
                .putDouble(empty ? 0 : extent.getMaxX()).putDouble(empty ? 0 : extent.getMaxY());
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(h.array());
        }
    }

    /** Removes the scratch folder, finished or not. */
    @Override
    public void close() throws IOException {
        for (OutputStream o : new OutputStream[] {shp, shx, dbf}) {
            if (o != null) {
                try {
                    o.close();
                } catch (IOException e) {
                    // already closed by finish, or failing anyway: the scratch files go next
                }
            }
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** More than a Shapefile can hold (2 GB per file). */
    static final class ShapefileTooLarge extends IOException {
        ShapefileTooLarge() {
            super("the export is larger than a Shapefile can hold (2 GB per file): export it as GeoPackage (.gpkg)");
        }
    }
}
