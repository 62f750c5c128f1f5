package cn.haizhu.grid.importers.source.xlsx;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceLayout;
import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;

/**
 * One worksheet of an Excel 2007+ workbook (.xlsx) as a {@link RecordSource}, streamed.
 *
 * <h2>Memory</h2>
 * The sheet XML is pulled one element at a time (StAX over the zip entry: the pull form of POI's
 * XSSFReader + SAX event model, which suits {@link #next()}), so only the current row is in memory.
 * The shared-string table, which grows with the rows, is staged in memory-mapped temp files
 * ({@link DiskSharedStrings}), not on the heap. Styles (a few KB) are held. Heap use therefore does
 * not grow with the number of rows: XlsxMemoryTest reads 200,000 rows in a JVM limited to 48 MB.
 *
 * <h2>What is read</h2>
 * The first sheet in tab order, or the sheet named in {@link #open(Path, String)} (exact name first,
 * then trimmed and case-insensitive). The first row with a non-blank cell is the header; its cells
 * are trimmed and trailing blank header cells dropped. Rows with no non-blank cell are skipped.
 * Cells missing from the XML are "" at their column (positions come from cell references). A row
 * with non-blank cells beyond the header is returned with those extra cells (the validator decides).
 * {@link SourceRecord#row()} is the Excel row number.
 *
 * <h2>Cell values</h2>
 * <ul>
 *   <li>Text: as stored (not trimmed); rich text runs joined, phonetic guides left out.</li>
 *   <li>Numbers: the displayed text when the display is the exact value (so "0001" from a format
 *       0000, "1.50" from 0.00), with thousands separators removed; otherwise (General format,
 *       rounding formats, percentages, currency, scientific) the stored value in plain decimal
 *       notation, never in E-notation. An 18-digit ID number typed into a numeric cell comes back as
 *       its digits, but Excel keeps only 15 significant digits, so it arrives damaged
 *       (440105199003071000) and is returned as such for the validator to reject.</li>
 *   <li>Dates (numeric cells with a date format): yyyy-MM-dd, or yyyy-MM-dd'T'HH:mm:ss when there is
 *       a time of day; a time alone (a value under one day) as HH:mm:ss. The 1904 date system is
 *       honoured.</li>
 *   <li>Booleans: "true"/"false". Formulas: the cached result Excel saved. Error cells: the error
 *       text such as "#N/A".</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * A file that is not an xlsx (an .xls, a CSV renamed, a truncated download) fails in {@code open}
 * with "not an .xlsx workbook (Excel 2007+); save it as .xlsx or CSV". A password-protected workbook
 * is an encrypted OLE2 file and gets the .xls message, which names both cases.
 */
public final class XlsxSource implements RecordSource {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    static final String NOT_XLSX = "not an .xlsx workbook (Excel 2007+); save it as .xlsx or CSV";
    static final String OLD_XLS = "old Excel format .xls (or a password-protected workbook) is not supported:"
            + " save it as .xlsx (without a password) or CSV";

    private final Path file;
    private final String sheetName;
    private final OPCPackage pkg;
    private final DiskSharedStrings strings;
    private final StylesTable styles;
    private final boolean date1904;
    private final CountingStream sheetBytes;
    private final long sheetSize;
    private final XMLStreamReader xml;
    private final DataFormatter formatter = new DataFormatter(Locale.US);
    private final Map<Integer, NumberStyle> numberStyles = new HashMap<>();
    private final SourceLayout layout;
    private final StringBuilder text = new StringBuilder();

    private long rowNumber;
    private boolean done;

    private record NumberStyle(int id, String format, boolean date) {
    }

    private record Row(long number, List<String> cells, int lastNonBlank) {
    }

    private XlsxSource(Path file, String sheetName, OPCPackage pkg, DiskSharedStrings strings, StylesTable styles,
                       boolean date1904, InputStream sheet, long sheetSize) throws IOException {
        this.file = file;
        this.sheetName = sheetName;
        this.pkg = pkg;
        this.strings = strings;
        this.styles = styles;
        this.date1904 = date1904;
        this.sheetBytes = new CountingStream(sheet);
        this.sheetSize = sheetSize;
        try {
            this.xml = XMLHelper.newXMLInputFactory().createXMLStreamReader(sheetBytes);
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("sheetData")) {
                    break;
                }
            }
        } catch (XMLStreamException e) {
            throw damaged(e);
        }
        Row header;
        do {
            header = readRow();
        } while (header != null && header.lastNonBlank < 0);
        if (header == null) {
            throw new IOException(where() + ": the sheet is empty: a header row is required");
        }
        List<String> cols = new ArrayList<>(header.lastNonBlank + 1);
        for (int i = 0; i <= header.lastNonBlank; i++) {
            cols.add(header.cells.get(i).strip());
        }
        this.layout = SourceLayout.table(cols);
    }

    /** Opens the first sheet of a workbook. */
    public static XlsxSource open(Path file) throws IOException {
        return open(file, null);
    }

    /**
     * Opens a sheet of a workbook.
     *
     * @param sheetOrNull the sheet's name as on its tab, or null for the first sheet
     * @throws IOException when the file is not an xlsx workbook or has no such sheet (the message
     *                     lists the sheets)
     */
    public static XlsxSource open(Path file, String sheetOrNull) throws IOException {
        String name = file.getFileName().toString();
        byte[] magic;
        try (InputStream in = Files.newInputStream(file)) {
            magic = in.readNBytes(8);
        }
        if (magic.length == 8 && (magic[0] & 0xFF) == 0xD0 && (magic[1] & 0xFF) == 0xCF
                && (magic[2] & 0xFF) == 0x11 && (magic[3] & 0xFF) == 0xE0) {
            throw new IOException(name + ": " + OLD_XLS);
        }
        if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'K') {
            throw new IOException(name + ": " + NOT_XLSX + " (it is not a zip archive)");
        }
        checkEntryNames(file, name);
        OPCPackage pkg;
        try {
            pkg = OPCPackage.open(file.toFile(), PackageAccess.READ);
        } catch (Exception e) {
            // InvalidFormatException, NotOfficeXmlFileException, zip errors of a truncated download...
            throw new IOException(name + ": " + NOT_XLSX + " (" + e.getMessage() + ")", e);
        }
        DiskSharedStrings strings = null;
        try {
            XSSFReader reader = new XSSFReader(pkg);
            StylesTable styles = reader.getStylesTable();
            boolean date1904 = readDate1904(reader);
            XSSFReader.SheetIterator sheets = reader.getSheetIterator();
            InputStream chosen = null;
            String chosenName = null;
            PackagePart chosenPart = null;
            List<String> names = new ArrayList<>();
            while (sheets.hasNext()) {
                InputStream s = sheets.next();
                String n = sheets.getSheetName();
                names.add(n);
                if (chosen == null && (sheetOrNull == null || n.equals(sheetOrNull))) {
                    chosen = s;
                    chosenName = n;
                    chosenPart = sheets.getSheetPart();
                } else {
                    s.close();
                }
            }
            if (chosen == null && sheetOrNull != null) {
                sheets = reader.getSheetIterator();
                while (sheets.hasNext()) {
                    InputStream s = sheets.next();
                    String n = sheets.getSheetName();
                    if (chosen == null && n.strip().equalsIgnoreCase(sheetOrNull.strip())) {
                        chosen = s;
                        chosenName = n;
                        chosenPart = sheets.getSheetPart();
                    } else {
                        s.close();
                    }
                }
            }
            if (chosen == null) {
                throw new IOException(name + (sheetOrNull == null ? ": the workbook has no worksheet"
                        : ": no sheet named '" + sheetOrNull + "'; the sheets are " + names));
            }
            InputStream sst = sharedStringsData(reader);
            try {
                strings = sst == null ? DiskSharedStrings.empty() : DiskSharedStrings.load(sst);
            } finally {
                if (sst != null) {
                    sst.close();
                }
            }
            long size = chosenPart == null ? -1 : chosenPart.getSize();
            return new XlsxSource(file, chosenName, pkg, strings, styles, date1904, chosen, size);
        } catch (IOException e) {
            closeQuietly(pkg, strings);
            throw e.getMessage() != null && e.getMessage().startsWith(name) ? e
                    : new IOException(name + ": " + NOT_XLSX + " (" + e.getMessage() + ")", e);
        } catch (OpenXML4JException | RuntimeException e) {
            closeQuietly(pkg, strings);
            throw new IOException(name + ": " + NOT_XLSX + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The entry-name checks POI makes when it opens a workbook (no empty name, no name twice), made
     * first on a zip of ours that is closed whatever happens: POI's own check fails after it has
     * opened the file and leaves it open, a descriptor lost per damaged upload. A zip POI's parser
     * cannot read at all is refused here too, for the same reason.
     */
    private static void checkEntryNames(Path file, String name) throws IOException {
        // the channel is ours: commons-compress does not close the file when it cannot read the zip either
        try (SeekableByteChannel channel = Files.newByteChannel(file);
             org.apache.commons.compress.archivers.zip.ZipFile zip =
                     org.apache.commons.compress.archivers.zip.ZipFile.builder().setSeekableByteChannel(channel).get()) {
            Set<String> seen = new HashSet<>();
            for (Enumeration<ZipArchiveEntry> en = zip.getEntries(); en.hasMoreElements(); ) {
                String entry = en.nextElement().getName();
                if (entry.isEmpty() || !seen.add(entry.toLowerCase(Locale.ROOT))) {
                    throw new IOException(name + ": " + NOT_XLSX + " (an entry " + (entry.isEmpty() ? "without a name"
                            : "named twice: " + entry) + ")");
                }
            }
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(name + ": ") ? e
                    : new IOException(name + ": " + NOT_XLSX + " (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new IOException(name + ": " + NOT_XLSX + " (" + e + ")", e);
        }
    }

    private static InputStream sharedStringsData(XSSFReader reader) throws IOException {
        try {
            return reader.getSharedStringsData();
        } catch (OpenXML4JException | RuntimeException e) {
            // workbooks written with inline strings (POI's SXSSF, some exporters) may have no table
            return null;
        }
    }

    private static boolean readDate1904(XSSFReader reader) throws IOException {
        try (InputStream wb = reader.getWorkbookData()) {
            XMLStreamReader x = XMLHelper.newXMLInputFactory().createXMLStreamReader(wb);
            while (x.hasNext()) {
                if (x.next() == XMLStreamConstants.START_ELEMENT) {
                    String n = x.getLocalName();
                    if (n.equals("workbookPr")) {
                        String v = x.getAttributeValue(null, "date1904");
                        return "1".equals(v) || "true".equalsIgnoreCase(v);
                    }
                    if (n.equals("sheets")) {
                        return false;
                    }
                }
            }
            return false;
        } catch (OpenXML4JException | XMLStreamException e) {
            throw new IOException("the workbook part is damaged: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OPCPackage pkg, DiskSharedStrings strings) {
        try {
            pkg.revert();
        } catch (RuntimeException ignored) {
            // already broken; the original error is the one to report
        }
        if (strings != null) {
            try {
                strings.close();
            } catch (IOException ignored) {
                // temp files go at exit
            }
        }
    }

    /** The name of the sheet being read. */
    public String sheetName() {
        return sheetName;
    }

    @Override
    public SourceLayout layout() {
        return layout;
    }

    @Override
    public SourceRecord next() throws IOException {
        while (true) {
            Row r = readRow();
            if (r == null) {
                return null;
            }
            if (r.lastNonBlank < 0) {
                continue;
            }
            int width = Math.max(layout.columns().size(), r.lastNonBlank + 1);
            List<String> cells = r.cells;
            while (cells.size() < width) {
                cells.add("");
            }
            if (cells.size() > width) {
                cells = new ArrayList<>(cells.subList(0, width));
            }
            return new SourceRecord(r.number, cells, null);
        }
    }

    @Override
    public double progress() {
        if (done) {
            return 1.0;
        }
        if (sheetSize <= 0) {
            return -1;
        }
        return Math.min(1.0, (double) sheetBytes.count / sheetSize);
    }

    @Override
    public void close() throws IOException {
        try {
            xml.close();
        } catch (XMLStreamException ignored) {
            // closing a reader we are done with
        }
        sheetBytes.close();
        pkg.revert();
        strings.close();
    }

    private String where() {
        return file.getFileName() + ", sheet '" + sheetName + "'";
    }

    private IOException damaged(Exception e) {
        return new IOException(where() + ": the sheet is damaged" + (rowNumber > 0 ? " after row " + rowNumber : "")
                + " (" + e.getMessage() + "); a truncated or corrupted file? Re-save it in Excel", e);
    }

    /** The next &lt;row&gt;, or null after &lt;/sheetData&gt;. */
    private Row readRow() throws IOException {
        if (done) {
            return null;
        }
        try {
            while (xml.hasNext()) {
                int ev = xml.next();
                if (ev == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("row")) {
                    String r = xml.getAttributeValue(null, "r");
                    rowNumber = r == null ? rowNumber + 1 : Long.parseLong(r.trim());
                    return readCells();
                }
                if (ev == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("sheetData")) {
                    break;
                }
            }
            done = true;
            return null;
        } catch (XMLStreamException | NumberFormatException e) {
            throw damaged(e);
        } catch (IOException e) {
            throw new IOException(where() + ": cannot read the sheet after row " + rowNumber + ": " + e.getMessage(), e);
        }
    }

    private Row readCells() throws XMLStreamException, IOException {
        List<String> cells = new ArrayList<>(layout == null ? 16 : layout.columns().size() + 1);
        int col = -1;
        int lastNonBlank = -1;
        while (xml.hasNext()) {
            int ev = xml.next();
            if (ev == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("c")) {
                int c = XlsxText.column(xml.getAttributeValue(null, "r"));
                col = c >= 0 ? c : col + 1;
                if (col >= XlsxText.MAX_COLUMNS) {
                    // a row is held whole, so a cell far to the right would make it millions of cells long
                    throw new IOException(where() + ": row " + rowNumber + " has a cell beyond column XFD, Excel's last"
                            + " (a damaged file?)");
                }
                String type = xml.getAttributeValue(null, "t");
                String s = xml.getAttributeValue(null, "s");
                int style = s == null ? 0 : Integer.parseInt(s.trim());
                String value = readCell(type, style, col);
                while (cells.size() < col) {
                    cells.add("");
                }
                if (cells.size() == col) {
                    cells.add(value);
                } else {
                    cells.set(col, value);
                }
                if (!value.isBlank()) {
                    lastNonBlank = Math.max(lastNonBlank, col);
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("row")) {
                return new Row(rowNumber, cells, lastNonBlank);
            }
        }
        throw new XMLStreamException("the sheet ends inside row " + rowNumber);
    }

    /** Reads from just after &lt;c&gt; to its end tag and returns the cell's text. */
    private String readCell(String type, int style, int col) throws XMLStreamException, IOException {
        String v = null;
        text.setLength(0);
        boolean inline = false;
        int phonetic = 0;
        int depth = 1;
        while (depth > 0) {
            int ev = xml.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                String n = xml.getLocalName();
                if (n.equals("v")) {
                    v = elementText(col);
                    continue;
                }
                depth++;
                if (n.equals("is")) {
                    inline = true;
                } else if (n.equals("rPh")) {
                    phonetic++;
                } else if (n.equals("t") && inline && phonetic == 0) {
                    text.append(elementText(col));
                    if (text.length() > XlsxText.MAX_CELL_CHARS) {
                        throw tooLong(col);
                    }
                    depth--;
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
                if (xml.getLocalName().equals("rPh")) {
                    phonetic--;
                }
            }
        }
        if (inline) {
            return XlsxText.unescape(text);
        }
        if (v == null) {
            return "";
        }
        if (type == null || type.equals("n")) {
            return number(v, style, col);
        }
        switch (type) {
            case "s": {
                String s = strings.get(parseIndex(v, col));
                if (s == null) {
                    throw new IOException(where() + ": row " + rowNumber + ", cell " + ref(col)
                            + " refers to shared string " + v.trim() + ", which the workbook does not have (a damaged file)");
                }
                return s;
            }
            case "b":
                return v.trim().equals("1") || v.trim().equalsIgnoreCase("true") ? "true" : "false";
            case "str":
            case "e":
            case "d":
            default:
                return XlsxText.unescape(v);
        }
    }

    /**
     * The text of the current element, read to its end tag as {@code getElementText} does, but
     * refused once it passes {@link XlsxText#MAX_CELL_CHARS} instead of being built whole first.
     */
    private String elementText(int col) throws XMLStreamException, IOException {
        StringBuilder out = new StringBuilder();
        while (true) {
            int ev = xml.next();
            switch (ev) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    // text comes in chunks; each is checked before it is copied
                    if (out.length() + xml.getTextLength() > XlsxText.MAX_CELL_CHARS) {
                        throw tooLong(col);
                    }
                    out.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                }
                case XMLStreamConstants.ENTITY_REFERENCE -> out.append(xml.getText());
                case XMLStreamConstants.END_ELEMENT -> {
                    return out.toString();
                }
                case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_DOCUMENT ->
                        throw new XMLStreamException("a text element holds markup or is cut off in row " + rowNumber);
                default -> {
                    // comments and processing instructions are not text
                }
            }
        }
    }

    private IOException tooLong(int col) {
        return new IOException(where() + ": row " + rowNumber + ", cell " + ref(col) + " holds more than "
                + XlsxText.MAX_CELL_CHARS + " characters (Excel allows 32,767; a damaged or crafted file?)");
    }

    private int parseIndex(String v, int col) throws IOException {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IOException(where() + ": row " + rowNumber + ", cell " + ref(col)
                    + " has a damaged shared-string index '" + v + "'");
        }
    }

    private String number(String raw, int style, int col) throws IOException {
        String t = raw.trim();
        if (t.isEmpty()) {
            return "";
        }
        BigDecimal exact;
        try {
            exact = new BigDecimal(t);
        } catch (NumberFormatException e) {
            // not a number despite the type: hand the text over rather than guess
            return t;
        }
        NumberStyle ns = numberStyle(style);
        double d = exact.doubleValue();
        if (ns.date && DateUtil.isValidExcelDate(d)) {
            if (d < 1) {
                return DateUtil.getLocalDateTime(d, false, true).format(TIME);
            }
            LocalDateTime dt = DateUtil.getLocalDateTime(d, date1904, true);
            return dt.toLocalTime().toSecondOfDay() == 0 ? dt.format(DATE) : dt.format(DATE_TIME);
        }
        String plain = exact.signum() == 0 ? "0" : exact.stripTrailingZeros().toPlainString();
        if (ns.id == 0 || ns.id == 49 || ns.format == null) {
            return plain;
        }
        String shown;
        try {
            shown = formatter.formatRawCellContents(d, ns.id, ns.format).replace(",", "").strip();
        } catch (RuntimeException e) {
            return plain;
        }
        try {
            // the display is used only when it is the same number (padding, fixed decimals)
            return new BigDecimal(shown).compareTo(exact) == 0 ? shown : plain;
        } catch (NumberFormatException e) {
            return plain;
        }
    }

    private NumberStyle numberStyle(int style) {
        NumberStyle ns = numberStyles.get(style);
        if (ns == null) {
            int id = 0;
            String fmt = null;
            if (styles != null && style >= 0 && style < styles.getNumCellStyles()) {
                XSSFCellStyle cs = styles.getStyleAt(style);
                if (cs != null) {
                    id = cs.getDataFormat();
                    fmt = cs.getDataFormatString();
                }
            }
            boolean date = fmt != null && DateUtil.isADateFormat(id, fmt);
            ns = new NumberStyle(id, fmt, date);
            numberStyles.put(style, ns);
        }
        return ns;
    }

    private String ref(int col) {
        StringBuilder s = new StringBuilder();
        for (int c = col + 1; c > 0; c = (c - 1) / 26) {
            s.insert(0, (char) ('A' + (c - 1) % 26));
        }
        return s.append(rowNumber).toString();
    }

    /** Counts the uncompressed sheet bytes read, for {@link #progress()}. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
