package cn.haizhu.grid.importers.source.shapefile;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceLayout;
import cn.haizhu.grid.importers.source.SourceRecord;
import com.linuxense.javadbf.DBFReader;
import com.linuxense.javadbf.DBFRow;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * An ESRI shapefile read as a {@link RecordSource}: the .shp geometries and the .dbf attributes,
 * streamed side by side in record order, in constant memory.
 *
 * <p><b>Input.</b> Either the path of the .shp (its .shx and .dbf must sit next to it with the
 * same base name; .prj and .cpg are optional; extensions match case-insensitively), or a .zip
 * holding exactly one shapefile, at the top or in a subfolder. A zip is extracted to a temporary
 * folder that {@link #close()} deletes, within the limits of {@link ShapefileZip} (2 GiB expanded,
 * 1,000 entries, no nested archive, no unsafe entry name: else {@link cn.haizhu.grid.importers.source.ArchiveRefused}).
 * A zip holding several shapefiles is refused with their names, because this interface reads one layer.
 *
 * <p><b>Output.</b> {@link #columns()} are the .dbf field names. Values are text: character fields
 * with trailing blanks removed, numbers as plain decimals (no exponent), dates ISO
 * {@code yyyy-MM-dd}, logicals {@code true}/{@code false}, empty fields null. {@link SourceRecord#row()}
 * is the 1-based record number in the .shp. Records marked deleted in the .dbf are skipped together
 * with their shape. Geometries are X/Y only, in the file's own coordinate system (see
 * {@link ShpReader} for how rings become polygons). {@link #declaredCrs()} is the .prj text as is
 * (WKT), empty when there is no .prj. {@link #progress()} is the share of .shp bytes read.
 *
 * <p><b>Text encoding</b> of the .dbf: see {@link DbfEncoding}: explicit charset, else .cpg, else
 * the LDID byte, else UTF-8 when the text is valid UTF-8 and GBK otherwise.
 *
 * <p><b>Errors</b> (all {@link IOException}): a missing .shx or .dbf (the message names it); a
 * .shx and .dbf that disagree on the record count (checked when opening) or a .shp with more or
 * fewer shapes than the .dbf has records (found while streaming); a truncated .shp
 * ("shapefile truncated at record N (byte offset …)"); a corrupt record; an unreadable or refused zip;
 * a .prj or .cpg over 64 KiB.
 */
public final class ShapefileSource implements RecordSource {
    private final Path shp;
    private final Path dbfPath;
    private final Path tempDir;
    private final ShpReader shapes;
    private final DBFReader dbf;
    private final long dbfRecords;
    private final SourceLayout layout;
    /** javadbf puts a pseudo field "deleted" first when asked to show deleted rows. */
    private final int firstField;
    private final DbfEncoding.Decision encoding;
    private long dbfRead;
    private boolean closed;

    private ShapefileSource(Path shp, Path dbfPath, Path tempDir, ShpReader shapes, DBFReader dbf,
                            DbfEncoding.DbfHeader header, String prj, DbfEncoding.Decision encoding) {
        this.shp = shp;
        this.dbfPath = dbfPath;
        this.tempDir = tempDir;
        this.shapes = shapes;
        this.dbf = dbf;
        this.dbfRecords = header.recordCount();
        this.encoding = encoding;
        this.firstField = Math.max(0, dbf.getFieldCount() - header.fieldCount());
        List<String> cols = new ArrayList<>(header.fieldCount());
        for (int i = firstField; i < dbf.getFieldCount(); i++) {
            cols.add(dbf.getField(i).getName().trim());
        }
        this.layout = SourceLayout.features(cols, prj);
    }

    /**
     * Opens a shapefile or a zip holding one.
     *
     * @param shpOrZip        the .shp, or a .zip containing one .shp with its side files
     * @param encodingOrNull  the .dbf text encoding when the officer knows it; null to detect it
     */
    public static RecordSource open(Path shpOrZip, Charset encodingOrNull) throws IOException {
        return open(shpOrZip, encodingOrNull, null, ShapefileZip.LIMITS);
    }

    /** As {@link #open(Path, Charset)}, extracting a zip under {@code tempParent} (null: the system's) within {@code limits}. */
    static RecordSource open(Path shpOrZip, Charset encodingOrNull, Path tempParent, ShapefileZip.Limits limits)
            throws IOException {
        if (!Files.isRegularFile(shpOrZip)) {
            throw new NoSuchFileException(shpOrZip.toString(), null, "no such file");
        }
        String name = shpOrZip.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip")) {
            ShapefileZip.Extracted x = ShapefileZip.extract(shpOrZip, tempParent, limits);
            try {
                return open(x.shp(), encodingOrNull, x.folder());
            } catch (Throwable e) {
                try {
                    ShapefileZip.deleteTree(x.folder());
                } catch (IOException | RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
        if (!name.endsWith(".shp")) {
            throw new IOException(shpOrZip.getFileName() + ": expected a .shp file or a .zip holding one");
        }
        return open(shpOrZip, encodingOrNull, null);
    }

    private static ShapefileSource open(Path shp, Charset encodingOrNull, Path tempDir) throws IOException {
        Path shx = sideFile(shp, "shx");
        Path dbfPath = sideFile(shp, "dbf");
        String base = baseName(shp);
        if (shx == null) {
            throw new IOException("missing " + base + ".shx next to " + shp.getFileName()
                    + ": a shapefile needs its .shp, .shx and .dbf together");
        }
        if (dbfPath == null) {
            throw new IOException("missing " + base + ".dbf next to " + shp.getFileName()
                    + ": a shapefile needs its .shp, .shx and .dbf together");
        }
        DbfEncoding.DbfHeader header = DbfEncoding.DbfHeader.read(dbfPath);
        long shxRecords = (Files.size(shx) - ShpReader.HEADER_BYTES) / 8;
        if (shxRecords != header.recordCount()) {
            throw new IOException("record count mismatch: " + shx.getFileName() + " indexes " + shxRecords
                    + " shapes but " + dbfPath.getFileName() + " has " + header.recordCount() + " records");
        }
        DbfEncoding.Decision encoding = DbfEncoding.decide(encodingOrNull, sideFile(shp, "cpg"), dbfPath);
        Path prjPath = sideFile(shp, "prj");
        String prj = prjPath == null ? null : readPrj(prjPath);

        ShpReader shapes = new ShpReader(shp, new GeometryFactory());
        InputStream dbfIn = null;
        boolean opened = false;
        try {
            dbfIn = new BufferedInputStream(Files.newInputStream(dbfPath), 1 << 16);
            // deleted rows are shown so that .dbf rows stay aligned with .shp records
            DBFReader dbf = new DBFReader(dbfIn, encoding.charset(), true);
            ShapefileSource source = new ShapefileSource(shp, dbfPath, tempDir, shapes, dbf, header, prj, encoding);
            opened = true;
            return source;
        } catch (RuntimeException e) {
            // javadbf says a broken header with DBFException, or with whatever its arithmetic runs into
            throw new IOException(dbfPath.getFileName() + " is not a readable dBASE file: " + e, e);
        } finally {
            if (!opened) {
                shapes.close();
                if (dbfIn != null) {
                    dbfIn.close();
                }
            }
        }
    }

    @Override
    public SourceLayout layout() {
        return layout;
    }

    /** The charset the .dbf text is decoded with. */
    public Charset charset() {
        return encoding.charset();
    }

    /** What decided {@link #charset()}: "explicit", "cpg", "ldid" or "content". */
    public String charsetBasis() {
        return encoding.basis().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public SourceRecord next() throws IOException {
        while (true) {
            ShpReader.ShpRecord shape = shapes.next();
            if (shape == null) {
                if (dbfRead < dbfRecords) {
                    throw new IOException("record count mismatch: " + shp.getFileName() + " ends after "
                            + dbfRead + " shapes but " + dbfPath.getFileName() + " has " + dbfRecords + " records");
                }
                return null;
            }
            DBFRow row;
            List<String> values = new ArrayList<>(layout.columns().size());
            try {
                row = dbfRead < dbfRecords ? dbf.nextRow() : null;
                if (row != null && !row.isDeleted()) {
                    for (int i = 0; i < layout.columns().size(); i++) {
                        values.add(text(row.getObject(firstField + i)));
                    }
                }
            } catch (RuntimeException e) {
                // DBFException, and the NegativeArraySize or NumberFormat a corrupt field length or number runs into
                throw new IOException(dbfPath.getFileName() + ": record " + (dbfRead + 1) + " is unreadable: " + e, e);
            }
            if (row == null) {
                throw new IOException("record count mismatch: " + shp.getFileName() + " has more shapes than the "
                        + dbfRead + " records of " + dbfPath.getFileName() + " (record " + shape.position() + ")");
            }
            dbfRead++;
            if (row.isDeleted()) {
                continue;
            }
            return new SourceRecord(shape.position(), Collections.unmodifiableList(values), shape.geometry());
        }
    }

    @Override
    public double progress() {
        long size = shapes.fileSize();
        return size <= 0 ? -1 : Math.min(1.0, (double) shapes.offset() / size);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            shapes.close();
        } finally {
            try {
                dbf.close();
            } finally {
                if (tempDir != null) {
                    ShapefileZip.deleteTree(tempDir);
                }
            }
        }
    }

    private static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s.isEmpty() ? null : s;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : null;
        }
        if (v instanceof Date d) {
            // javadbf builds dates at local midnight, so the local zone gives back the written day
            return d.toInstant().atZone(ZoneId.systemDefault()).toLocalDate().toString();
        }
        return v.toString();
    }

    private static String readPrj(Path prj) throws IOException {
        String s = readSideText(prj, StandardCharsets.UTF_8).replace("\uFEFF", "").trim();
        return s.isEmpty() ? null : s;
    }

    /** A .prj or .cpg, read whole: one line of text, so anything over {@link ShapefileZip#MAX_TEXT_BYTES} is refused. */
    static String readSideText(Path file, Charset charset) throws IOException {
        if (Files.size(file) > ShapefileZip.MAX_TEXT_BYTES) {
            throw new IOException(file.getFileName() + " is larger than " + ShapefileZip.size(ShapefileZip.MAX_TEXT_BYTES)
                    + ": not a real ." + file.getFileName().toString().replaceAll(".*\\.", "").toLowerCase(Locale.ROOT) + " file");
        }
        return new String(Files.readAllBytes(file), charset);
    }

    private static String baseName(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }

    /** The file next to {@code shp} with the same base name and the given extension, any case; null if none. */
    static Path sideFile(Path shp, String ext) throws IOException {
        String base = baseName(shp);
        Path dir = shp.toAbsolutePath().getParent();
        for (String candidate : List.of(base + "." + ext, base + "." + ext.toUpperCase(Locale.ROOT))) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().equalsIgnoreCase(base + "." + ext))
                    .findFirst().orElse(null);
        }
    }
}
