package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Writes an export (the one service behind the HTTP route, {@code items?f=} of OGC API Features and
 * {@code ./gridctl export}): its entry in the audit first ({@link ExportAudit}), then the rows read as
 * the request role in the reader's scope ({@link ExportRows}) into the format's writer; persons in the
 * view asked for ({@link PersonValues}). CSV and GeoJSON go straight to the stream; XLSX goes through
 * POI's scratch files, a GeoPackage or a Shapefile is built in a scratch file first, then copied out and
 * removed (package documentation).
 */
public final class Exporter {
    private final Database db;
    private final Supplier<PersonalDataCipher> keys;

    /** @param keys the personal-data key ring as it is now, for an unmasked persons export */
    public Exporter(Database db, Supplier<PersonalDataCipher> keys) {
        this.db = db;
        this.keys = keys;
    }

    /** The export to a file ({@code ./gridctl export}); the number of rows. */
    public long toFile(ExportRequest r, Path file) throws IOException, SQLException {
        if (r.format() == ExportFormat.GPKG) {
            try (Connection c = audited(r); GeoPackageWriter w = new GeoPackageWriter(file)) {
                return ExportRows.copy(c, r, values(r), w);
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
        try (Connection c = audited(r)) {
            ExportRows.Values values = values(r);
            switch (r.format()) {
                case CSV -> {
                    return ExportRows.copy(c, r, values, new CsvWriter(out));
                }
                case GEOJSON -> {
                    return ExportRows.copy(c, r, values, new GeoJsonWriter(out));
                }
                case XLSX -> {
                    try (XlsxWriter w = new XlsxWriter(out)) {
                        return ExportRows.copy(c, r, values, w);
                    }
                }
                case SHP -> {
                    try (ShapefileWriter w = new ShapefileWriter(out, r.dbfCharset())) {
                        return ExportRows.copy(c, r, values, w);
                    }
                }
                case GPKG -> {
                    Path scratch = Files.createTempFile("gridctl-export-", ".gpkg");
                    try {
                        long rows;
                        try (GeoPackageWriter w = new GeoPackageWriter(scratch)) {
                            rows = ExportRows.copy(c, r, values, w);
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

    /**
     * A request-role connection on which the export's audit entry is written and committed: no row is
     * read before its entry stands, and an export whose entry cannot be written does not run.
     */
    private Connection audited(ExportRequest r) throws SQLException {
        Connection c = db.requestConnection();
        try {
            c.setAutoCommit(true);
            ExportAudit.write(c, r);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** How a row of the request's collection becomes a feature's values. */
    private ExportRows.Values values(ExportRequest r) {
        boolean unmasked = r.disclosure().unmasked();
        return r.collection().personal() ? new PersonValues(unmasked, unmasked ? keys.get() : null)
                : ExportRows.byType(r.collection().fields());
    }

    /** The file name an export is offered under: 房屋-440105001.gpkg. */
    public static String fileName(ExportRequest r) {
        return r.collection().title() + (r.street().isEmpty() ? "" : "-" + r.street()) + "." + r.format().extension();
    }
}
