package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.codes.AdminCode;
import cn.haizhu.grid.importers.source.geojson.GeoJsonFeatures;
import cn.haizhu.grid.importers.source.geojson.GeoJsonFeatures.Feature;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.locationtech.jts.io.WKBWriter;

/**
 * Admin-area layers: the district, streets and communities, from GeoJSON (the project's reference
 * data). A few hundred features: batched upserts, each layer in one transaction; a feature that
 * fails its code check aborts the layer with a message naming the feature. Unit grids are not
 * reference data: officers import them like any dataset ({@link DatasetSpecs#GRIDS} through {@link Importer}).
 */
public final class AreaLoader {
    /**
     * One area, upserted by its code and written only when it differs, under the gid every node holds
     * it by (gridctl_area_gid: the district's copy arriving by sync is the same record as a street's
     * or city's starting one, docs/SYNC.md).
     */
    private static final String UPSERT_AREA = SqlFile.load(AreaLoader.class, "upsert_area");

    /** Loads admin areas of one level: {@code district}, {@code street} or {@code community}. */
    public LoadReport adminAreas(Connection c, Path geojson, String level) throws IOException, SQLException {
        long t0 = System.nanoTime();
        List<Feature> features = GeoJsonFeatures.read(geojson);
        WKBWriter wkb = new WKBWriter();
        long written = inTransaction(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(UPSERT_AREA)) {
                for (Feature f : features) {
                    String code = required(f, "code", geojson);
                    var problem = AdminCode.problem(code);
                    if (problem.isPresent()) {
                        throw new IOException(geojson.getFileName() + " feature " + f.index() + ": code " + code + ": " + problem.get());
                    }
                    String parent = switch (level) {
                        case "district" -> null;
                        case "street" -> f.text("district_code");
                        default -> f.text("street_code");
                    };
                    String street = switch (level) {
                        case "district" -> null;
                        case "street" -> code;
                        default -> f.text("street_code");
                    };
                    ps.setString(1, code);
                    ps.setString(2, level);
                    ps.setString(3, required(f, "name", geojson));
                    ps.setString(4, parent);
                    ps.setString(5, street);
                    ps.setBytes(6, wkb.write(f.geometry()));
                    ps.setString(7, code);   // the gid every node holds this area under (docs/SYNC.md)
                    ps.addBatch();
                }
                return sum(ps.executeBatch());
            }
        });
        return new LoadReport(level, features.size(), written, features.size() - written, 0, since(t0));
    }

    private interface Work {
        long run() throws IOException, SQLException;
    }

    private static long inTransaction(Connection c, Work work) throws IOException, SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            long n = work.run();
            c.commit();
            return n;
        } catch (IOException | SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static String required(Feature f, String key, Path file) throws IOException {
        String v = f.text(key);
        if (v == null || v.isBlank()) {
            throw new IOException(file.getFileName() + " feature " + f.index() + " has no '" + key + "' property");
        }
        return v;
    }

    private static long sum(int[] counts) {
        long n = 0;
        for (int k : counts) {
            n += Math.max(k, 0);
        }
        return n;
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
