package cn.haizhu.grid.importers.demo;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.load.AreaLoader;
import cn.haizhu.grid.importers.load.Dataset;
import cn.haizhu.grid.importers.load.ImportProgress;
import cn.haizhu.grid.importers.load.ImportRequest;
import cn.haizhu.grid.importers.load.ImportResult;
import cn.haizhu.grid.importers.load.Importer;
import cn.haizhu.grid.importers.load.LoadReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Haizhu demo data set on first start: generate the files officers would receive, then load
 * them through the same loaders a data officer's import uses.
 *
 * <p>Runs only on a database that has no grids yet, or whose earlier demo load was cut short
 * (every step is an idempotent upsert, so a resumed load finishes the job without duplicates).
 * A database holding other data is left alone.
 */
public final class DemoDataset {
    private static final String DATASET_COMPLETED = SqlFile.load(DemoDataset.class, "dataset_completed");
    private static final String DATASET_BEGUN = SqlFile.load(DemoDataset.class, "dataset_begun");
    private static final String DATASET_STATE = SqlFile.load(DemoDataset.class, "dataset_state");

    private static final Logger LOG = LoggerFactory.getLogger(DemoDataset.class);

    private final double scale;
    private final long seed;
    private final Path filesDir;

    /** @param dataDir the data folder; generated files go to {@code demo/scale-<s>-seed-<seed>/} in it */
    public DemoDataset(double scale, long seed, Path dataDir) {
        this.scale = scale;
        this.seed = seed;
        this.filesDir = dataDir.resolve("demo").resolve(String.format(Locale.ROOT, "scale-%s-seed-%d", scale, seed));
    }

    public Path filesDir() {
        return filesDir;
    }

    /** Loads the demo unless it is already there; returns the reports of what was loaded (empty if nothing). */
    public List<ImportResult> ensureLoaded(Database db, PersonalDataCipher cipher) throws IOException, SQLException {
        try (Connection c = db.connection()) {
            State state = state(c);
            if (state == State.COMPLETE) {
                return List.of();
            }
            if (state == State.FOREIGN_DATA) {
                LOG.info("the database already holds grids that are not the demo's; demo data not loaded");
                return List.of();
            }
            long t0 = System.nanoTime();
            LOG.info("first start: loading the Haizhu demo data set (scale {}, seed {}); this takes a few minutes", scale, seed);
            try (PreparedStatement ps = c.prepareStatement(
                    DATASET_BEGUN)) {
                ps.setDouble(1, scale);
                ps.setLong(2, seed);
                ps.executeUpdate();
            }
            Path files = generateIfMissing();
            List<ImportResult> reports = load(db, files, cipher);
            try (Statement s = c.createStatement()) {
                s.execute(DATASET_COMPLETED);   // grid counts too: the areas have no import job to do it
            }
            LOG.info("demo data loaded in {} s", (System.nanoTime() - t0) / 1_000_000_000L);
            return reports;
        }
    }

    /**
     * At a street or city node of the demo: the demo's records come by sync from the demo district,
     * never from a load here. Records that in this database's {@code demo_dataset} (completed: there
     * is nothing to load), so that the demo logins may go in (DemoUsers holds them to a demo database).
     * A database that holds grids of its own is left alone; returns whether the mark is there.
     */
    public boolean markArrivingBySync(Database db) throws SQLException {
        try (Connection c = db.connection()) {
            State state = state(c);
            if (state == State.FOREIGN_DATA) {
                LOG.info("the database already holds grids that are not the demo's; no demo here");
                return false;
            }
            if (state == State.EMPTY) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO demo_dataset (scale, seed, completed_at) VALUES (?, ?, now()) ON CONFLICT (singleton) DO NOTHING")) {
                    ps.setDouble(1, scale);
                    ps.setLong(2, seed);
                    ps.executeUpdate();
                }
            }
            return true;
        }
    }

    enum State { EMPTY, PARTIAL, COMPLETE, FOREIGN_DATA }

    static State state(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(DATASET_STATE)) {
            rs.next();
            boolean hasRow = rs.getObject(1) != null;
            boolean complete = rs.getBoolean(1);
            boolean hasGrids = rs.getBoolean(2);
            if (hasRow) {
                return complete ? State.COMPLETE : State.PARTIAL;
            }
            return hasGrids ? State.FOREIGN_DATA : State.EMPTY;
        }
    }

    /** Generates into a temporary folder and renames it, so a half-written set is never taken for a whole one. */
    Path generateIfMissing() throws IOException {
        if (Files.isDirectory(filesDir)) {
            return filesDir;
        }
        Path tmp = filesDir.resolveSibling(filesDir.getFileName() + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        long t0 = System.nanoTime();
        DemoManifest manifest = new DemoGenerator(scale, seed).writeTo(tmp);
        Files.move(tmp, filesDir, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("generated demo files in {} s: {}", (System.nanoTime() - t0) / 1_000_000_000L, manifest);
        return filesDir;
    }

    /**
     * Loads the demo files: admin areas through the area loader, then grids, houses, persons and
     * enterprises through the importer a data officer uses (each a recorded import job).
     */
    static List<ImportResult> load(Database db, Path files, PersonalDataCipher cipher) throws IOException, SQLException {
        List<ImportResult> results = new ArrayList<>();
        AreaLoader areas = new AreaLoader();
        try (Connection c = db.connection()) {
            results.add(area(areas.adminAreas(c, files.resolve("district.geojson"), "district")));
            results.add(area(areas.adminAreas(c, files.resolve("streets.geojson"), "street")));
            results.add(area(areas.adminAreas(c, files.resolve("communities.geojson"), "community")));
        }
        Importer importer = new Importer(db, cipher);
        for (Dataset d : List.of(Dataset.GRIDS, Dataset.HOUSES, Dataset.PERSONS, Dataset.ENTERPRISES)) {
            Path file = files.resolve(d == Dataset.GRIDS ? "grids.geojson" : d.code() + ".csv");
            ImportRequest req = new ImportRequest(d, file, StandardCharsets.UTF_8, null, null,
                    Map.of(), false, ImportRequest.MaxErrors.parse("0"), "demo");
            try {
                ImportResult r = importer.run(req, ImportProgress.NONE);
                if (!"succeeded".equals(r.status()) || r.warned() > 0) {
                    throw new IOException("demo " + d.code() + " import did not succeed: " + r);
                }
                results.add(r);
            } catch (Importer.ImportRefused e) {
                throw new IOException("demo " + d.code() + " import refused: " + e.getMessage(), e);
            }
        }
        try (Connection c = db.connection()) {
            DemoWorkers.ensure(c, cipher);
        }
        return results;
    }

    private static ImportResult area(LoadReport r) {
        LOG.info("{}", r);
        return new ImportResult(null, r.dataset(), "succeeded", r.read(), r.written(), 0, r.unchanged(), r.rejected(),
                0, r.took(), null);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
