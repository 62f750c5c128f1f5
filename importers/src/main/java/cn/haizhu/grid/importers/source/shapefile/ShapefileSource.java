package cn.haizhu.grid.importers.source.shapefile;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceRecord;
import com.linuxense.javadbf.DBFException;
import com.linuxense.javadbf.DBFReader;
import com.linuxense.javadbf.DBFRow;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * An ESRI shapefile read as a {@link RecordSource}: the .shp geometries and the .dbf attributes,
 * streamed side by side in record order, in constant memory.
 *
 * <p><b>Input.</b> Either the path of the .shp (its .shx and .dbf must sit next to it with the
 * same base name; .prj and .cpg are optional; extensions match case-insensitively), or a .zip
 * holding exactly one shapefile, at the top or in a subfolder. A zip is extracted to a temporary
 * folder that {@link #close()} deletes. A zip holding several shapefiles is refused with their
 * names, because this interface reads one layer.
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
 * ("shapefile truncated at record N (byte offset …)"); a corrupt record; an unreadable zip.
 */
public final class ShapefileSource implements RecordSource {
    private static final List<String> SIDE_FILES = List.of("shp", "shx", "dbf", "prj", "cpg");

    private final Path shp;
    private final Path dbfPath;
    private final Path tempDir;
    private final ShpReader shapes;
    private final DBFReader dbf;
    private final long dbfRecords;
    private final List<String> columns;
    /** javadbf puts a pseudo field "deleted" first when asked to show deleted rows. */
    private final int firstField;
    private final String prj;
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
        this.prj = prj;
        this.encoding = encoding;
        this.firstField = Math.max(0, dbf.getFieldCount() - header.fieldCount());
        List<String> cols = new ArrayList<>(header.fieldCount());
        for (int i = firstField; i < dbf.getFieldCount(); i++) {
            cols.add(dbf.getField(i).getName().trim());
        }
        this.columns = Collections.unmodifiableList(cols);
    }

    /**
     * Opens a shapefile or a zip holding one.
     *
     * @param shpOrZip        the .shp, or a .zip containing one .shp with its side files
     * @param encodingOrNull  the .dbf text encoding when the officer knows it; null to detect it
     */
    public static RecordSource open(Path shpOrZip, Charset encodingOrNull) throws IOException {
        if (!Files.isRegularFile(shpOrZip)) {
            throw new NoSuchFileException(shpOrZip.toString(), null, "no such file");
        }
        String name = shpOrZip.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip")) {
            Path temp = Files.createTempDirectory("haizhu-shp-");
            try {
                Path shp = extract(shpOrZip, temp);
                return open(shp, encodingOrNull, temp);
            } catch (IOException | RuntimeException e) {
                deleteTree(temp);
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
        try {
            dbfIn = new BufferedInputStream(Files.newInputStream(dbfPath), 1 << 16);
            // deleted rows are shown so that .dbf rows stay aligned with .shp records
            DBFReader dbf = new DBFReader(dbfIn, encoding.charset(), true);
            return new ShapefileSource(shp, dbfPath, tempDir, shapes, dbf, header, prj, encoding);
        } catch (DBFException e) {
            shapes.close();
            if (dbfIn != null) {
                dbfIn.close();
            }
            throw new IOException(dbfPath.getFileName() + " is not a readable dBASE file: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            shapes.close();
            if (dbfIn != null) {
                dbfIn.close();
            }
            throw e;
        }
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public boolean hasGeometry() {
        return true;
    }

    @Override
    public Optional<String> declaredCrs() {
        return Optional.ofNullable(prj);
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
            try {
                row = dbfRead < dbfRecords ? dbf.nextRow() : null;
            } catch (DBFException e) {
                throw new IOException(dbfPath.getFileName() + ": record " + (dbfRead + 1) + " is unreadable: "
                        + e.getMessage(), e);
            }
            if (row == null) {
                throw new IOException("record count mismatch: " + shp.getFileName() + " has more shapes than the "
                        + dbfRead + " records of " + dbfPath.getFileName() + " (record " + shape.position() + ")");
            }
            dbfRead++;
            if (row.isDeleted()) {
                continue;
            }
            List<String> values = new ArrayList<>(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                values.add(text(row.getObject(firstField + i)));
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
                    deleteTree(tempDir);
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
        String s = new String(Files.readAllBytes(prj), StandardCharsets.UTF_8).replace("\uFEFF", "").trim();
        return s.isEmpty() ? null : s;
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

    /** Extracts the one shapefile of a zip into {@code temp} and returns its .shp there. */
    private static Path extract(Path zip, Path temp) throws IOException {
        try (ZipFile zf = openZip(zip)) {
            List<ZipEntry> shps = new ArrayList<>();
            List<ZipEntry> all = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory() || ignorable(e.getName())) {
                    continue;
                }
                all.add(e);
                if (e.getName().toLowerCase(Locale.ROOT).endsWith(".shp")) {
                    shps.add(e);
                }
            }
            if (shps.isEmpty()) {
                throw new IOException(zip.getFileName() + " contains no .shp file");
            }
            if (shps.size() > 1) {
                shps.sort(Comparator.comparing(ZipEntry::getName));
                throw new IOException(zip.getFileName() + " contains " + shps.size() + " shapefiles ("
                        + String.join(", ", shps.stream().map(ZipEntry::getName).toList())
                        + "); import them one at a time");
            }
            String shpName = shps.get(0).getName();
            String stem = shpName.substring(0, shpName.length() - 4).toLowerCase(Locale.ROOT);
            String base = baseName(Path.of(leaf(shpName)));
            Path shp = null;
            for (ZipEntry e : all) {
                String n = e.getName();
                int dot = n.lastIndexOf('.');
                if (dot < 0 || !n.substring(0, dot).toLowerCase(Locale.ROOT).equals(stem)) {
                    continue;
                }
                String ext = n.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (!SIDE_FILES.contains(ext)) {
                    continue;
                }
                // our own file name, never the entry's path: nothing can escape the temp folder
                Path target = temp.resolve(safe(base) + "." + ext);
                try (InputStream in = zf.getInputStream(e)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                if (ext.equals("shp")) {
                    shp = target;
                }
            }
            return shp;
        } catch (ZipException e) {
            throw new IOException(zip.getFileName() + " is not a readable zip: " + e.getMessage(), e);
        }
    }

    /** Zips made on Chinese Windows carry GBK entry names without the UTF-8 flag. */
    private static ZipFile openZip(Path zip) throws IOException {
        try {
            ZipFile zf = new ZipFile(zip.toFile(), StandardCharsets.UTF_8);
            try {
                for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                    en.nextElement();
                }
                return zf;
            } catch (IllegalArgumentException e) {
                zf.close();
            }
        } catch (IllegalArgumentException e) {
            // fall through to GB18030 names
        }
        return new ZipFile(zip.toFile(), DbfEncoding.CHINESE);
    }

    private static boolean ignorable(String entry) {
        String leaf = leaf(entry);
        return entry.startsWith("__MACOSX/") || entry.contains("/__MACOSX/") || leaf.startsWith("._");
    }

    private static String leaf(String entry) {
        int slash = Math.max(entry.lastIndexOf('/'), entry.lastIndexOf('\\'));
        return entry.substring(slash + 1);
    }

    private static String safe(String base) {
        String s = base.replaceAll("[\\\\/:*?\"<>|\\x00-\\x1F]", "_");
        return s.isBlank() || s.startsWith(".") ? "layer" : s;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
