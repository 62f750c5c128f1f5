package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.data.db.Database;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes an export (the one service behind the HTTP route, {@code items?f=} of OGC API Features and
 * {@code ./gridctl export}): the rows read as the request role in the reader's scope
 * ({@link ExportRows}) into the format's writer. CSV, XLSX and GeoJSON go straight to the stream; a
 * GeoPackage or a Shapefile is built in a scratch file first, then copied out and removed.
 */
public final class Exporter {
    private final Database db;

    public Exporter(Database db) {
        this.db = db;
    }

    /** The export to a file ({@code ./gridctl export}); the number of rows. */
    public long toFile(ExportRequest r, Path file) throws IOException, SQLException {
        if (r.format() == ExportFormat.GPKG) {
            try (Connection c = db.requestConnection(); GeoPackageWriter w = new GeoPackageWriter(file)) {
                return ExportRows.copy(c, r, w);
            }
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            long rows;
            try (OutputStream out = Files.newOutputStream(partial)) {
                rows = toStream(r, out);
            }
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return rows;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The export as bytes on {@code out} (an HTTP response); the number of rows. */
    public long toStream(ExportRequest r, OutputStream out) throws IOException, SQLException {
        try (Connection c = db.requestConnection()) {
            switch (r.format()) {
                case CSV -> {
                    return ExportRows.copy(c, r, new CsvWriter(out));
                }
                case GEOJSON -> {
                    return ExportRows.copy(c, r, new GeoJsonWriter(out));
                }
                case XLSX -> {
                    try (XlsxWriter w = new XlsxWriter(out)) {
                        return ExportRows.copy(c, r, w);
                    }
                }
                case SHP -> {
                    try (ShapefileWriter w = new ShapefileWriter(out, r.dbfCharset())) {
                        return ExportRows.copy(c, r, w);
                    }
                }
                case GPKG -> {
                    Path scratch = Files.createTempFile("gridctl-export-", ".gpkg");
                    try {
                        long rows;
                        try (GeoPackageWriter w = new GeoPackageWriter(scratch)) {
                            rows = ExportRows.copy(c, r, w);
                        }
                        Files.copy(scratch, out);
                        out.flush();
                        return rows;
                    } finally {
                        Files.deleteIfExists(scratch);
                    }
                }
                default -> throw new IllegalStateException("no writer for " + r.format());
            }
        }
    }

    /** The file name an export is offered under: 房屋-440105001.gpkg. */
    public static String fileName(ExportRequest r) {
        return r.collection().title() + (r.street().isEmpty() ? "" : "-" + r.street()) + "." + r.format().extension();
    }
}
