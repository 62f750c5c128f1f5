package cn.haizhu.grid.importers.source.geopackage;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceLayout;
import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageManager;
import mil.nga.geopackage.db.GeoPackageDataType;
import mil.nga.geopackage.features.user.FeatureColumn;
import mil.nga.geopackage.features.user.FeatureDao;
import mil.nga.geopackage.features.user.FeatureResultSet;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.geopackage.srs.SpatialReferenceSystem;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/**
 * One feature table of an OGC GeoPackage read as a {@link RecordSource}, streamed through a
 * database cursor (rows are never all loaded).
 *
 * <p>The layer is {@code layerOrNull} when given (an unknown name is an {@link IOException} listing
 * the feature tables), else the first feature table of {@code gpkg_contents}. {@link #columns()}
 * are the table's non-geometry columns in table order (the primary key, usually {@code fid},
 * included). Values are text: integers and reals via {@code toString()}, booleans
 * {@code true}/{@code false}, DATE and DATETIME as stored (GeoPackage stores ISO-8601 text),
 * BLOBs as hex, NULL as null. {@link SourceRecord#row()} is the 1-based position in the cursor.
 * Geometries are decoded from the GeoPackage binary header + WKB with JTS, in the layer's own
 * coordinate system; a NULL or empty geometry gives null.
 *
 * <p>{@link #declaredCrs()}: "EPSG:n" when the layer's spatial reference system is defined by
 * EPSG (organization compared case-insensitively), else the srs definition WKT; empty for the
 * "undefined" systems (srs_id 0 and -1) or an empty definition.
 *
 * <p>The file is opened read-only in intent (nothing is written), without the library's file
 * extension check, so a GeoPackage named {@code .sqlite} is read too. A file that is not an
 * SQLite database, an SQLite database without GeoPackage tables, and a corrupt database are
 * {@link IOException}s naming the file.
 */
public final class GeoPackageSource implements RecordSource {
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final String TABLE_TYPE = "SELECT type FROM sqlite_master WHERE name = ?";
    private static final String FOREIGN_KEY_CHECK = "PRAGMA foreign_key_check";

    private final Path file;
    private final GeoPackage gpkg;
    private final String table;
    private final FeatureResultSet cursor;
    private final List<FeatureColumn> valueColumns;
    private final SourceLayout layout;
    private final int geometryIndex;
    private final long total;
    private final WKBReader wkb = new WKBReader(new GeometryFactory());
    private long row;
    private boolean closed;

    private GeoPackageSource(Path file, GeoPackage gpkg, String table, FeatureDao dao) {
        this.file = file;
        this.gpkg = gpkg;
        this.table = table;
        List<FeatureColumn> cols = new ArrayList<>();
        int geom = -1;
        for (FeatureColumn c : dao.getColumns()) {
            if (c.isGeometry()) {
                if (geom < 0) {
                    geom = c.getIndex();
                }
            } else {
                cols.add(c);
            }
        }
        this.geometryIndex = geom;
        this.valueColumns = cols;
        this.layout = SourceLayout.features(cols.stream().map(c -> c.getName().trim()).toList(), crsOf(dao));
        long count;
        try {
            count = dao.count();
        } catch (RuntimeException e) {
            count = -1;
        }
        this.total = count;
        this.cursor = dao.queryForAll();
    }

    /**
     * Opens a GeoPackage layer.
     *
     * @param gpkg        the .gpkg file
     * @param layerOrNull the feature table to read; null for the first one
     */
    public static RecordSource open(Path gpkg, String layerOrNull) throws IOException {
        if (!Files.isRegularFile(gpkg)) {
            throw new NoSuchFileException(gpkg.toString(), null, "no such file");
        }
        // checked first: the library would otherwise answer a non-database with an obscure SQL error
        byte[] head;
        try (InputStream in = Files.newInputStream(gpkg)) {
            head = in.readNBytes(SQLITE_MAGIC.length);
        }
        if (!Arrays.equals(head, SQLITE_MAGIC)) {
            throw new IOException(gpkg.getFileName() + " is not a GeoPackage: not an SQLite database");
        }
        preflight(gpkg);
        GeoPackage db;
        try {
            db = GeoPackageManager.open(null, false, gpkg.toFile(), false);
        } catch (RuntimeException e) {
            throw new IOException(gpkg.getFileName() + " cannot be opened as a GeoPackage: " + rootMessage(e), e);
        }
        try {
            List<String> tables;
            try {
                tables = db.getFeatureTables();
            } catch (RuntimeException e) {
                throw new IOException(gpkg.getFileName() + " is not a GeoPackage or is corrupt (no readable gpkg_contents): "
                        + rootMessage(e), e);
            }
            if (tables.isEmpty()) {
                throw new IOException(gpkg.getFileName() + " has no feature table (only tiles or attributes?)");
            }
            String table = layerOrNull == null ? tables.get(0) : pick(tables, layerOrNull, gpkg);
            guard(db, table, gpkg);
            try {
                return new GeoPackageSource(gpkg, db, table, db.getFeatureDao(table));
            } catch (RuntimeException e) {
                throw new IOException(gpkg.getFileName() + ": layer " + table + " cannot be read: " + rootMessage(e), e);
            }
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Runs what the library runs first when it opens a file (PRAGMA foreign_key_check, which reads
     * the GeoPackage's own tables) on a connection of ours, closed whatever happens. The library
     * does not close its connection when these first queries fail, so every corrupt upload would
     * otherwise leave a file descriptor open until the server ran out of them.
     */
    private static void preflight(Path gpkg) throws IOException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + gpkg.toAbsolutePath());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(FOREIGN_KEY_CHECK)) {
            while (rs.next()) {
                // the library reports violations as warnings; only reading them matters here
            }
        } catch (SQLException e) {
            throw new IOException(gpkg.getFileName() + " cannot be opened as a GeoPackage: " + e.getMessage(), e);
        }
    }

    /**
     * Reads only real tables: a view is a query the sender wrote (a recursive one never ends), and GIS
     * tools export layers as tables. (Generated columns need no guard: the library selects the
     * columns table_info lists, which leaves them out.)
     */
    private static void guard(GeoPackage db, String table, Path gpkg) throws IOException {
        try {
            Connection c = db.getConnection().getConnection();
            try (PreparedStatement ps = c.prepareStatement(TABLE_TYPE)) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    String type = rs.next() ? rs.getString(1) : null;
                    if (!"table".equals(type)) {
                        throw new IOException(gpkg.getFileName() + ": layer " + table + " is "
                                + (type == null ? "missing" : "a " + type + ", not a table") + "; export the layer as a table");
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw new IOException(gpkg.getFileName() + " is not a GeoPackage or is corrupt: " + rootMessage(e), e);
        }
    }

    private static String pick(List<String> tables, String wanted, Path gpkg) throws IOException {
        for (String t : tables) {
            if (t.equals(wanted)) {
                return t;
            }
        }
        for (String t : tables) {
            if (t.equalsIgnoreCase(wanted)) {
                return t;
            }
        }
        throw new IOException(gpkg.getFileName() + " has no feature table '" + wanted + "'; its feature tables are "
                + String.join(", ", tables));
    }

    private static String crsOf(FeatureDao dao) {
        SpatialReferenceSystem srs;
        try {
            srs = dao.getSrs();
        } catch (RuntimeException e) {
            return null;
        }
        if (srs == null || srs.getSrsId() == 0 || srs.getSrsId() == -1) {
            return null;
        }
        if ("EPSG".equalsIgnoreCase(srs.getOrganization()) && srs.getOrganizationCoordsysId() > 0) {
            return "EPSG:" + srs.getOrganizationCoordsysId();
        }
        String def = srs.getDefinition();
        if (def == null || def.isBlank() || def.trim().equalsIgnoreCase("undefined")) {
            def = srs.getDefinition_12_063();
        }
        return def == null || def.isBlank() || def.trim().equalsIgnoreCase("undefined") ? null : def.trim();
    }

    /** The feature table being read. */
    public String layer() {
        return table;
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
        try {
            if (!cursor.moveToNext()) {
                return null;
            }
            row++;
            List<String> values = new ArrayList<>(valueColumns.size());
            for (FeatureColumn c : valueColumns) {
                values.add(text(c));
            }
            return new SourceRecord(row, Collections.unmodifiableList(values), geometry());
        } catch (RuntimeException e) {
            throw new IOException(file.getFileName() + ": layer " + table + ", feature " + (row == 0 ? 1 : row)
                    + " cannot be read (corrupt file?): " + rootMessage(e), e);
        }
    }

    private String text(FeatureColumn c) {
        int i = c.getIndex();
        GeoPackageDataType type = c.getDataType();
        if (type == GeoPackageDataType.DATE || type == GeoPackageDataType.DATETIME) {
            // stored as ISO-8601 text; reading it raw avoids a round trip through java.util.Date and the local zone
            return cursor.getString(i);
        }
        Object v = cursor.getValue(i);
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        return v.toString();
    }

    private Geometry geometry() throws IOException {
        if (geometryIndex < 0) {
            return null;
        }
        byte[] blob = cursor.getBlob(geometryIndex);
        if (blob == null || blob.length == 0) {
            return null;
        }
        try {
            GeoPackageGeometryData data = GeoPackageGeometryData.create(blob);
            if (data.isEmpty()) {
                return null;
            }
            byte[] bytes = data.getWkb();
            return bytes == null ? null : wkb.read(bytes);
        } catch (ParseException | RuntimeException e) {
            throw new IOException(file.getFileName() + ": layer " + table + ", feature " + row
                    + " has an unreadable geometry: " + rootMessage(e), e);
        }
    }

    @Override
    public double progress() {
        if (total < 0) {
            return -1;
        }
        return total == 0 ? 1.0 : Math.min(1.0, (double) row / total);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cursor.close();
        } finally {
            gpkg.close();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
