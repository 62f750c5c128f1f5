package cn.haizhu.grid.importers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.load.ImportResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A 1%-scale demo: topology in PostGIS, every record placed by point-in-polygon, and reloading is a no-op. */
class DemoReloadIT {
    static Database db;
    static PersonalDataCipher cipher = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());
    static Path files;

    @BeforeAll
    static void load() throws Exception {
        db = TestDatabases.fresh("it_demo_small");
        DemoDataset demo = new DemoDataset(0.01, 20240105L, TestDatabases.projectDir().resolve("var/test-data"));
        demo.ensureLoaded(db, cipher);
        files = demo.filesDir();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void topology() throws Exception {
        try (Connection c = db.connection()) {
            DemoTopology.assertPartitions(c);
        }
    }

    @Test
    void everyRecordLiesInTheGridItCarries() throws Exception {
        try (Connection c = db.connection()) {
            assertEquals(0, DemoTopology.number(c, """
                    SELECT count(*) FROM house h JOIN grid g ON g.code = h.grid_code WHERE NOT ST_Intersects(g.geom, h.geom)"""));
            assertEquals(0, DemoTopology.number(c, """
                    SELECT count(*) FROM person p JOIN house h ON h.code = p.house_code WHERE p.grid_code <> h.grid_code"""));
            assertEquals(0, DemoTopology.number(c, """
                    SELECT count(*) FROM enterprise e JOIN grid g ON g.code = e.grid_code WHERE NOT ST_Intersects(g.geom, e.geom)"""));
            assertTrue(DemoTopology.number(c, "SELECT count(*) FROM person") > 10_000);
        }
    }

    @Test
    void loadingTheSameFilesAgainChangesNothing() throws Exception {
        try (Connection c = db.connection()) {
            double before = DemoTopology.number(c, "SELECT count(*) FROM change_log");
            List<ImportResult> again = DemoDataset.load(db, files, cipher);
            for (ImportResult r : again) {
                assertEquals(0, r.inserted() + r.updated(), "re-import writes nothing: " + r);
                assertEquals(0, r.rejected(), "nothing rejected: " + r);
            }
            assertEquals(before, DemoTopology.number(c, "SELECT count(*) FROM change_log"), "no spurious change-log entries");
        }
    }
}
