package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.demo.DemoDataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database restarted in the middle of an import (the other way a job dies besides kill -9 of
 * the importer, which {@link FirstLoadIT} covers): a cluster of its own, so the restart cuts no
 * other test's connections.
 */
class ImportRestartIT {
    static final PersonalDataCipher CIPHER = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());
    static EmbeddedPostgres pg;
    static Database db;
    static String house;

    @TempDir
    Path dir;

    @BeforeAll
    static void cluster() throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("GRIDCTL_TEST_DB_PORT", "54330")) + 8;
        pg = new EmbeddedPostgres(TestDatabases.projectDir().resolve("var/test-pgdata-restart"), port);
        pg.start("postgres");
        pg.dropDatabase("it_restart");
        pg.start("it_restart");
        db = Database.at(pg.jdbcUrl("it_restart"), EmbeddedPostgres.SUPERUSER, pg.password(), "440105");
        new DemoDataset(0.01, 20240105L, TestDatabases.projectDir().resolve("var/test-data")).ensureLoaded(db, CIPHER);
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT min(code) FROM house")) {
            rs.next();
            house = rs.getString(1);
        }
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
        if (pg != null) {
            pg.stop(true);
        }
    }

    @Test
    void aDatabaseRestartedHalfWayThroughAFirstLoadHasNothingOfItAndARerunFinishesIt() throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE person");
        }
        List<String> lines = new ArrayList<>(List.of("id_number,name,gender,birth_date,household_type,phone,house_code"));
        lines.addAll(FirstLoadIT.persons(0, 30_000, house));
        Path f = Files.write(dir.resolve("restart.csv"), lines, StandardCharsets.UTF_8);
        long changes = count("SELECT count(*) FROM change_log");
        long keys = count("SELECT count(*) FROM pg_constraint WHERE conrelid = 'person'::regclass");
        boolean[] restarted = {false};
        ImportProgress restart = (phase, read, rejected, fraction) -> {
            if ("writing".equals(phase) && fraction > 0.5 && !restarted[0]) {
                restarted[0] = true;
                pg.stop(true);             // pg_ctl stop -m fast: every session ends, open transactions abort
                pg.start("it_restart");
            }
        };
        assertThrows(Exception.class, () -> run(f, restart));
        assertTrue(restarted[0], "the database restarted while the job was writing");
        assertEquals(0, count("SELECT count(*) FROM person"), "nothing of the job is in the table");
        assertEquals(changes, count("SELECT count(*) FROM change_log"), "nor in the change log");
        assertEquals(keys, count("SELECT count(*) FROM pg_constraint WHERE conrelid = 'person'::regclass"),
                "the keys the job dropped are there");
        assertEquals(0, count("SELECT count(*) FROM pg_class WHERE relname ~ '^import_(stage|placement|changed)_'"));
        ImportResult rerun = run(f, ImportProgress.NONE);
        assertEquals("succeeded", rerun.status(), rerun.toString());
        assertEquals(30_000, rerun.inserted());
        assertEquals(30_000, count("SELECT count(*) FROM person"));
    }

    private static ImportResult run(Path f, ImportProgress progress) throws Exception {
        return new Importer(db, CIPHER).run(new ImportRequest(Dataset.PERSONS, f, null, null, null, Map.of(), false,
                ImportRequest.MaxErrors.NONE, "it"), progress);
    }

    private static long count(String sql) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
