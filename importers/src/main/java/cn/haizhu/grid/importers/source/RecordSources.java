package cn.haizhu.grid.importers.source;

import cn.haizhu.grid.importers.source.csv.CsvSource;
import cn.haizhu.grid.importers.source.flatgeobuf.FlatGeobufSource;
import cn.haizhu.grid.importers.source.geojson.GeoJsonSource;
import cn.haizhu.grid.importers.source.geopackage.GeoPackageSource;
import cn.haizhu.grid.importers.source.shapefile.ShapefileSource;
import cn.haizhu.grid.importers.source.xlsx.XlsxSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Opens a received file with the reader for its format.
 *
 * <p>The extension decides (case-insensitive): .csv/.txt/.tsv → CSV (.tsv always tab-separated),
 * .xlsx → XLSX, .xls → refused with advice, .geojson/.json/.geojsonl/.geojsons → GeoJSON, .gpkg →
 * GeoPackage, .shp/.zip → Shapefile, .fgb → FlatGeobuf; anything else is an {@link IOException}
 * listing the supported formats.
 *
 * <p>Because files get renamed on their way to a data officer, the first bytes are checked too and
 * win over the extension when they are unmistakable: an OLE2 container is an old .xls (or an
 * encrypted workbook) whatever its name; a zip named .csv/.txt/.json is opened as the workbook or
 * zipped shapefile it contains; an SQLite file is a GeoPackage; the FlatGeobuf magic is FlatGeobuf.
 * Text files are never second-guessed (a GBK CSV named .txt is simply a CSV).
 */
public final class RecordSources {
    /** What the officer declared. Both may be null. */
    public record Options(Charset encoding, String sheetOrLayer) {
        public static final Options DEFAULT = new Options(null, null);
    }

    static final String SUPPORTED = "CSV (.csv, .txt, .tsv), Excel (.xlsx), GeoJSON (.geojson, .json, .geojsonl),"
            + " GeoPackage (.gpkg), Shapefile (.shp, or a .zip holding one) and FlatGeobuf (.fgb)";
    static final String OLD_XLS = "old Excel format .xls is not supported: save as .xlsx or CSV";

    private static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] SQLITE = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FGB = {'f', 'g', 'b', 3};

    private RecordSources() {
    }

    /** Opens a file with no declared encoding, sheet or layer. */
    public static RecordSource open(Path file) throws IOException {
        return open(file, Options.DEFAULT);
    }

    /**
     * Opens a file by its extension, corrected by its content (see the class comment).
     *
     * @throws IOException when the file is missing, of an unsupported type, or unreadable as its format
     */
    public static RecordSource open(Path file, Options options) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        return open(file, Files.newInputStream(file), options);
    }

    /**
     * As {@link #open(Path, Options)}, with the file's bytes from its first one in {@code fromStart}: the
     * format is told from its first bytes, and a CSV reads on from them, so the file is read once (and
     * whoever opened the stream sees every byte: the import hashes the file as it goes). Other formats
     * close the stream and open the file their own way (see {@link #readsInOneStream}). The source owns
     * the stream from here.
     */
    public static RecordSource open(Path file, InputStream fromStart, Options options) throws IOException {
        Options o = options == null ? Options.DEFAULT : options;
        String ext = extension(file);
        PushbackInputStream in = new PushbackInputStream(fromStart, HEAD);
        Kind kind;
        byte[] head;
        try {
            head = in.readNBytes(HEAD);
            in.unread(head);
            kind = kind(ext, head);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        if (kind != Kind.CSV && kind != Kind.TSV) {
            in.close();
        }
        String shown = file.getFileName().toString();
        return switch (kind) {
            case CSV -> CsvSource.open(file, in, o.encoding(), '\0');
            case TSV -> CsvSource.open(file, in, o.encoding(), '\t');
            case OLD_EXCEL -> throw new IOException(shown + ": " + OLD_XLS + (startsWith(head, OLE2) && !ext.equals("xls")
                    ? " (the file is an old Excel or password-protected workbook whatever its name)" : ""));
            case ZIP -> openZip(file, o);
            case GEOPACKAGE -> GeoPackageSource.open(file, o.sheetOrLayer());
            case FLATGEOBUF -> FlatGeobufSource.open(file);
            case XLSX -> XlsxSource.open(file, o.sheetOrLayer());
            case GEOJSON -> GeoJsonSource.open(file, o.encoding());
            case SHAPEFILE -> ShapefileSource.open(file, o.encoding());
            case UNSUPPORTED -> throw new IOException(shown + ": unsupported file type "
                    + (ext.isEmpty() ? "(no extension)" : "'." + ext + "'") + "; supported are " + SUPPORTED);
        };
    }

    /**
     * Whether a file, by its name and its first bytes ({@code head}: at least the first 16, or all there
     * are), is read as one stream from its start (CSV and tab-separated text), so that
     * {@link #open(Path, InputStream, Options)} reads it once. Every other format opens the file its own
     * way (random access, a first pass of its own, an archive).
     */
    public static boolean readsInOneStream(Path file, byte[] head) {
        Kind kind = kind(extension(file), head);
        return kind == Kind.CSV || kind == Kind.TSV;
    }

    /** The bytes that tell a format by its content: the longest magic below. */
    static final int HEAD = 16;

    /** The readers, and the two refusals. */
    private enum Kind { OLD_EXCEL, ZIP, GEOPACKAGE, FLATGEOBUF, CSV, TSV, XLSX, GEOJSON, SHAPEFILE, UNSUPPORTED }

    private static Kind kind(String ext, byte[] head) {
        if (startsWith(head, OLE2) || ext.equals("xls")) {
            return Kind.OLD_EXCEL;
        }
        boolean text = ext.equals("csv") || ext.equals("txt") || ext.equals("tsv")
                || ext.equals("json") || ext.equals("geojson") || ext.equals("geojsonl") || ext.equals("geojsons");
        if (text && startsWith(head, ZIP)) {
            return Kind.ZIP;
        }
        if (text && startsWith(head, SQLITE)) {
            return Kind.GEOPACKAGE;
        }
        if (text && startsWith(head, FGB)) {
            return Kind.FLATGEOBUF;
        }
        return switch (ext) {
            case "csv", "txt" -> Kind.CSV;
            case "tsv" -> Kind.TSV;
            case "xlsx", "xlsm" -> Kind.XLSX;
            case "geojson", "json", "geojsonl", "geojsons" -> Kind.GEOJSON;
            case "gpkg" -> Kind.GEOPACKAGE;
            case "shp" -> Kind.SHAPEFILE;
            case "zip" -> Kind.ZIP;
            case "fgb" -> Kind.FLATGEOBUF;
            default -> Kind.UNSUPPORTED;
        };
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
    }

    /** A zip is either an xlsx workbook (renamed) or an archive holding a shapefile. */
    private static RecordSource openZip(Path file, Options o) throws IOException {
        boolean workbook = false;
        try (ZipFile zip = ZipArchives.open(file)) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String n = entries.nextElement().getName();
                if (n.equals("xl/workbook.xml") || n.equals("[Content_Types].xml")) {
                    workbook = true;
                    break;
                }
            }
        } catch (ZipException e) {
            throw new IOException(file.getFileName() + ": a damaged zip archive (truncated download?): " + e.getMessage(), e);
        }
        return workbook ? XlsxSource.open(file, o.sheetOrLayer()) : ShapefileSource.open(file, o.encoding());
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }
}
