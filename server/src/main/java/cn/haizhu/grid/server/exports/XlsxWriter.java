package cn.haizhu.grid.server.exports;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.locationtech.jts.io.WKTWriter;

/**
 * XLSX through POI's streaming SXSSF: {@value #WINDOW} rows in memory, the rest in compressed scratch
 * files until the workbook is written. Text as inline strings (no shared-strings table to hold).
 * A sheet holds at most 1,048,576 rows; more go on the next sheet, each with the header row.
 * Columns as in the CSV: the fields, then lon/lat or wkt.
 */
final class XlsxWriter implements FeatureWriter {
    static final int WINDOW = 200;
    static final int MAX_ROWS = 1_048_576;
    /** A cell holds at most 32,767 characters (a long polygon's WKT is cut there: the GeoPackage carries it whole). */
    static final int MAX_CELL = 32_767;
    private final OutputStream out;
    private final SXSSFWorkbook book = new SXSSFWorkbook(null, WINDOW, true, false);
    private final WKTWriter wkt = new WKTWriter();
    private ExportCollection collection;
    private Sheet sheet;
    private int row;

    XlsxWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void begin(ExportCollection collection, ExportCrs crs) {
        this.collection = collection;
        newSheet();
    }

    private void newSheet() {
        int n = book.getNumberOfSheets();
        sheet = book.createSheet(collection.title() + (n == 0 ? "" : " " + (n + 1)));
        Row header = sheet.createRow(0);
        int col = 0;
        for (ExportCollection.Field f : collection.fields()) {
            header.createCell(col++).setCellValue(f.name());
        }
        if (collection.geometry() == ExportCollection.Geometry.POINT) {
            header.createCell(col++).setCellValue("lon");
            header.createCell(col).setCellValue("lat");
        } else {
            header.createCell(col).setCellValue("wkt");
        }
        row = 1;
    }

    @Override
    public void write(Feature f) {
        if (row == MAX_ROWS) {
            newSheet();
        }
        Row r = sheet.createRow(row++);
        int col = 0;
        for (Object v : f.values) {
            Cell cell = r.createCell(col++);
            if (v instanceof Integer n) {
                cell.setCellValue(n);
            } else if (v instanceof Double d) {
                cell.setCellValue(d);
            } else if (v != null) {
                cell.setCellValue(v.toString());
            }
        }
        if (collection.geometry() == ExportCollection.Geometry.POINT) {
            r.createCell(col++).setCellValue(f.x());
            r.createCell(col).setCellValue(f.y());
        } else {
            String text = wkt.write(f.jts());
            r.createCell(col).setCellValue(text.length() > MAX_CELL ? text.substring(0, MAX_CELL) : text);
        }
    }

    @Override
    public void finish() throws IOException {
        book.write(out);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        book.close();   // removes the scratch files
    }
}
