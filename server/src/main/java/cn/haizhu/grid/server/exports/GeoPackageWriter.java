package cn.haizhu.grid.server.exports;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.locationtech.jts.geom.Envelope;

/**
 * A GeoPackage 1.3 written straight through SQLite JDBC: the core tables, one feature table named after
 * the collection, and its R-tree spatial index (the gpkg_rtree_index extension) filled row by row, in
 * one transaction with journaling off (a file that is not finished is deleted, never left half-made).
 * Why not mil.nga.geopackage, which the importers read with: its feature rows go through per-row
 * objects and statements; batched prepared inserts of the WKB PostGIS sent, behind a GeoPackage
 * geometry header, write the district's houses several times faster (docs/BENCHMARKS.md).
 */
final class GeoPackageWriter implements FeatureWriter {
    private static final int BATCH = 2_000;
    /** Batches handed over but not yet written: the memory the pipeline may hold is this many batches. */
    private static final int IN_FLIGHT = 4;
    private static final Batch END = new Batch(0, 0);

    /** Rows ready to insert: fid, GeoPackage geometry blob, R-tree box, field values. */
    private static final class Batch {
        final long[] fids;
        final byte[][] blobs;
        final double[] boxes;
        final Object[][] values;
        int size;

        Batch(int rows, int fields) {
            fids = new long[rows];
            blobs = new byte[rows][];
            boxes = new double[rows * 4];
            values = new Object[rows][fields];
        }
    }
    private final Path file;
    private Connection db;
    private PreparedStatement insert;
    private PreparedStatement index;
    private ExportCollection collection;
    private ExportCrs crs;
    private long fid;
    /** The rows of the batch being filled on the reading thread; full batches go to the SQLite thread. */
    private Batch filling;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(IN_FLIGHT);
    private Thread sqlite;
    private volatile Exception failed;
    private final Envelope extent = new Envelope();
    private final ByteBuffer header = ByteBuffer.allocate(8 + 32).order(ByteOrder.LITTLE_ENDIAN);

    GeoPackageWriter(Path file) {
        this.file = file;
    }

    @Override
    public void begin(ExportCollection collection, ExportCrs crs) throws IOException {
        this.collection = collection;
        this.crs = crs;
        try {
            Files.deleteIfExists(file);
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA application_id = 1196444487");   // 'GPKG'
                s.execute("PRAGMA user_version = 10300");
                s.execute("PRAGMA journal_mode = OFF");
                s.execute("PRAGMA synchronous = OFF");
                s.execute("PRAGMA page_size = 65536");
            }
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                for (String ddl : schema()) {
                    s.execute(ddl);
                }
            }
            StringBuilder cols = new StringBuilder("geom");
            StringBuilder marks = new StringBuilder("?");
            for (ExportCollection.Field f : collection.fields()) {
                cols.append(", \"").append(f.name()).append('"');
                marks.append(", ?");
            }
            insert = db.prepareStatement("INSERT INTO \"" + collection.code() + "\" (fid, " + cols + ") VALUES (?, " + marks + ")");
            index = db.prepareStatement("INSERT INTO \"rtree_" + collection.code() + "_geom\" VALUES (?, ?, ?, ?, ?)");
        } catch (SQLException e) {
            throw new IOException("cannot write the GeoPackage " + file + ": " + e.getMessage(), e);
        }
        // Reading PostgreSQL and writing SQLite each take one core: the SQLite side runs on its own thread,
        // a few batches behind the reader, so the two overlap instead of taking turns.
        filling = new Batch(BATCH, collection.fields().size());
        sqlite = new Thread(this::drain, "gridctl-export-gpkg");
        sqlite.setDaemon(true);
        sqlite.start();
    }

    /** The SQLite thread: inserts each full batch until the end marker; the first failure stops it. */
    private void drain() {
        try {
            for (Batch b = full.take(); b != END; b = full.take()) {
                insert(b);
            }
        } catch (Exception e) {
            failed = e;
            full.clear();
        }
    }

    private void insert(Batch b) throws SQLException {
        for (int r = 0; r < b.size; r++) {
            insert.setLong(1, b.fids[r]);
            insert.setBytes(2, b.blobs[r]);
            Object[] values = b.values[r];
            for (int i = 0; i < values.length; i++) {
                insert.setObject(i + 3, values[i]);
            }
            insert.addBatch();
            index.setLong(1, b.fids[r]);
            // the R-tree stores 32-bit floats: widen outwards so the box still holds the geometry
            index.setDouble(2, Math.nextDown((float) b.boxes[4 * r]));
            index.setDouble(3, Math.nextUp((float) b.boxes[4 * r + 1]));
            index.setDouble(4, Math.nextDown((float) b.boxes[4 * r + 2]));
            index.setDouble(5, Math.nextUp((float) b.boxes[4 * r + 3]));
            index.addBatch();
        }
        insert.executeBatch();
        index.executeBatch();
    }

    /** Hands the batch being filled to the SQLite thread (waiting while it is {@value #IN_FLIGHT} behind). */
    private void handOver(Batch b) throws IOException {
        try {
            while (!full.offer(b, 1, java.util.concurrent.TimeUnit.SECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the GeoPackage", e);
        }
        rethrow();
    }

    private void rethrow() throws IOException {
        Exception e = failed;
        if (e != null) {
            throw new IOException("cannot write the GeoPackage " + file + ": " + e.getMessage(), e);
        }
    }

    private List<String> schema() {
        String table = collection.code();
        StringBuilder columns = new StringBuilder();
        for (ExportCollection.Field f : collection.fields()) {
            columns.append(", \"").append(f.name()).append("\" ").append(switch (f.type()) {
                case TEXT -> "TEXT";
                case INTEGER -> "INTEGER";
                case REAL -> "REAL";
            });
        }
        return List.of(
                "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,"
                        + " organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,"
                        + " description TEXT)",
                "INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL),"
                        + " ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL),"
                        + " ('" + crs.name + "', " + crs.srid + ", 'EPSG', " + crs.srid + ", '" + crs.ogcWkt.replace("'", "''") + "', NULL)",
                "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,"
                        + " identifier TEXT UNIQUE, description TEXT DEFAULT '',"
                        + " last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
                        + " min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,"
                        + " CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))",
                "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,"
                        + " geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,"
                        + " CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),"
                        + " CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),"
                        + " CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))",
                "CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,"
                        + " definition TEXT NOT NULL, scope TEXT NOT NULL,"
                        + " CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))",
                "CREATE TABLE \"" + table + "\" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom "
                        + collection.geometry().gpkgName + columns + ")",
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES ('"
                        + table + "', 'features', '" + table + "', '" + collection.title() + "', " + crs.srid + ")",
                "INSERT INTO gpkg_geometry_columns VALUES ('" + table + "', 'geom', '" + collection.geometry().gpkgName
                        + "', " + crs.srid + ", 0, 0)",
                "CREATE VIRTUAL TABLE \"rtree_" + table + "_geom\" USING rtree(id, minx, maxx, miny, maxy)",
                "INSERT INTO gpkg_extensions VALUES ('" + table + "', 'geom', 'gpkg_rtree_index',"
                        + " 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')");
    }

    @Override
    public void write(Feature f) throws IOException {
        double minX, maxX, minY, maxY;
        header.clear();
        header.put((byte) 'G').put((byte) 'P').put((byte) 0);
        if (collection.geometry() == ExportCollection.Geometry.POINT) {
            minX = maxX = f.x();
            minY = maxY = f.y();
            header.put((byte) 0x01).putInt(crs.srid);   // little endian, no envelope: a point is its own
        } else {
            Envelope e = f.jts().getEnvelopeInternal();
            minX = e.getMinX();
            maxX = e.getMaxX();
            minY = e.getMinY();
            maxY = e.getMaxY();
            header.put((byte) 0x03).putInt(crs.srid).putDouble(minX).putDouble(maxX).putDouble(minY).putDouble(maxY);
        }
        byte[] blob = new byte[header.position() + f.wkb.length];
        System.arraycopy(header.array(), 0, blob, 0, header.position());
        System.arraycopy(f.wkb, 0, blob, header.position(), f.wkb.length);
        extent.expandToInclude(minX, minY);
        extent.expandToInclude(maxX, maxY);
        Batch b = filling;
        int r = b.size++;
        b.fids[r] = ++fid;
        b.blobs[r] = blob;
        b.boxes[4 * r] = minX;
        b.boxes[4 * r + 1] = maxX;
        b.boxes[4 * r + 2] = minY;
        b.boxes[4 * r + 3] = maxY;
        System.arraycopy(f.values, 0, b.values[r], 0, f.values.length);
        if (b.size == BATCH) {
            handOver(b);
            filling = new Batch(BATCH, f.values.length);
        }
    }

    @Override
    public void finish() throws IOException {
        if (filling.size > 0) {
            handOver(filling);
        }
        handOver(END);
        try {
            sqlite.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while finishing the GeoPackage", e);
        }
        rethrow();
        try {
            if (!extent.isNull()) {
                try (PreparedStatement ps = db.prepareStatement(
                        "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?")) {
                    ps.setDouble(1, extent.getMinX());
                    ps.setDouble(2, extent.getMinY());
                    ps.setDouble(3, extent.getMaxX());
                    ps.setDouble(4, extent.getMaxY());
                    ps.setString(5, collection.code());
                    ps.executeUpdate();
                }
            }
            db.commit();
            insert.close();
            index.close();
            db.close();
            db = null;
        } catch (SQLException e) {
            throw new IOException("cannot finish the GeoPackage " + file + ": " + e.getMessage(), e);
        }
    }

    /** An unfinished file is removed: no half-written GeoPackage is left behind. */
    @Override
    public void close() throws IOException {
        if (sqlite != null && sqlite.isAlive()) {
            sqlite.interrupt();
            try {
                sqlite.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (db != null) {
            try {
                db.close();
            } catch (SQLException e) {
                // closing after a failure: the failure is what the caller reports
            }
            db = null;
            Files.deleteIfExists(file);
        }
    }
}
