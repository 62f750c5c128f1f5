package cn.haizhu.grid.importers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.load.Dataset;
import cn.haizhu.grid.importers.load.ImportProgress;
import cn.haizhu.grid.importers.load.ImportRequest;
import cn.haizhu.grid.importers.load.ImportResult;
import cn.haizhu.grid.importers.load.Importer;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo data set at Haizhu scale, generated and loaded through the real pipeline into its own
 * database of the embedded test cluster: the totals of the seed report and the topology.
 * Takes a few minutes; it is the one test that proves the full scale.
 */
class FullScaleDemoIT {
    static Database db;
    static PersonalDataCipher cipher = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());

    @BeforeAll
    static void load() throws Exception {
        db = TestDatabases.fresh("it_fullscale");
        new DemoDataset(1.0, 20240105L, TestDatabases.projectDir().resolve("var/test-data")).ensureLoaded(db, cipher);
    }

    @AfterAll
    static void close() {
        db.close();
        TestDatabases.cluster().dropDatabase("it_fullscale");
    }

    @Test
    void totalsMatchTheSeedReport() throws Exception {
        try (Connection c = db.connection()) {
            assertEquals(1, DemoTopology.number(c, "SELECT count(*) FROM admin_area WHERE level = 'district'"));
            assertEquals(18, DemoTopology.number(c, "SELECT count(*) FROM admin_area WHERE level = 'street'"));
            assertEquals(267, DemoTopology.number(c, "SELECT count(*) FROM admin_area WHERE level = 'community'"));
            double grids = DemoTopology.number(c, "SELECT count(*) FROM grid");
            assertTrue(Math.abs(grids - 2769) <= 27, "2,769 grids ±1%: " + grids);
            assertEquals(916_978, DemoTopology.number(c, "SELECT count(*) FROM house"));
            assertEquals(1_581_460, DemoTopology.number(c, "SELECT count(*) FROM person"));
            assertEquals(35_445, DemoTopology.number(c, "SELECT count(*) FROM enterprise"));
            assertEquals(916_978, DemoTopology.number(c, "SELECT sum(house_count) FROM grid_stats"));
            assertEquals(0, DemoTopology.number(c, "SELECT count(*) FROM grid_stats WHERE house_count = 0"),
                    "every grid has houses");
            assertEquals(916_978 + 1_581_460 + 35_445 + 2769 + 286,
                    DemoTopology.number(c, "SELECT count(*) FROM change_log_record"), 27 + 0.0,
                    "one change-log entry per record written");
        }
    }

    /** The officer's everyday case at full scale: the same grid file again changes nothing, in seconds. */
    @Test
    void reimportingTheUnchangedGridsIsAQuickNoOp() throws Exception {
        Path grids = new DemoDataset(1.0, 20240105L, TestDatabases.projectDir().resolve("var/test-data")).filesDir()
                .resolve("grids.geojson");
        try (Connection c = db.connection()) {
            double changes = DemoTopology.number(c, "SELECT count(*) FROM change_log");
            double count = DemoTopology.number(c, "SELECT count(*) FROM grid");
            long t0 = System.nanoTime();
            ImportResult r = new Importer(db, cipher).run(new ImportRequest(Dataset.GRIDS, grids, null, null, null, Map.of(),
                    false, ImportRequest.MaxErrors.parse("0"), "it"), ImportProgress.NONE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals("succeeded", r.status(), r.toString());
            assertEquals(0, r.inserted() + r.updated() + r.rejected() + r.warned(), r.toString());
            assertEquals(count, r.unchanged());
            assertEquals(changes, DemoTopology.number(c, "SELECT count(*) FROM change_log"), "no change-log entries");
            assertTrue(seconds < 15, "re-import of " + count + " unchanged grids took " + seconds + " s");
        }
    }

    @Test
    void gridsPartitionTheDistrict() throws Exception {
        try (Connection c = db.connection()) {
            DemoTopology.assertPartitions(c);
        }
    }

    @Test
    void theOldTownIsDenserThanTheEast() throws Exception {
        try (Connection c = db.connection()) {
            double west = DemoTopology.number(c, """
                    SELECT sum(s.person_count) / sum(g.area_m2) FROM grid g JOIN grid_stats s ON s.grid_code = g.code
                    WHERE ST_X(ST_Centroid(g.geom)) < 113.29""");
            double east = DemoTopology.number(c, """
                    SELECT sum(s.person_count) / sum(g.area_m2) FROM grid g JOIN grid_stats s ON s.grid_code = g.code
                    WHERE ST_X(ST_Centroid(g.geom)) > 113.35""");
            assertTrue(west > 2 * east, "persons per m²: west " + west + " vs east " + east);
        }
    }
}
