package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.demo.DemoDataset;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first load of persons into an empty table, which writes straight into the table (in one pass
 * with the houses looked up in memory, or in two passes placed in SQL where the database knows too
 * many houses): both must reject the same rows, each once, and a job killed during its COPY must
 * leave nothing behind.
 */
class FirstLoadIT {
    static final String KEY = PersonalDataCipher.newKey();
    static final PersonalDataCipher CIPHER = PersonalDataCipher.fromBase64(KEY);
    static Database db;
    static DemoDataset demo;
    static String house;

    @TempDir
    Path dir;

    @BeforeEach
    void emptyPersons() throws Exception {
        if (db == null) {
            db = TestDatabases.fresh("it_first_load");
            demo = new DemoDataset(0.01, 20240105L, TestDatabases.projectDir().resolve("var/test-data"));
            demo.ensureLoaded(db, CIPHER);
            Runtime.getRuntime().addShutdownHook(new Thread(db::close));
        }
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE person");
            try (ResultSet rs = s.executeQuery("SELECT min(code) FROM house")) {
                rs.next();
                house = rs.getString(1);
            }
        }
    }

    static long sql(String query) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long workFiles() throws java.io.IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("gridctl-")).count();
        }
    }

    /** Valid persons in one house, numbered from {@code from}. */
    static List<String> persons(int from, int n, String houseCode) {
        List<String> rows = new ArrayList<>();
        java.time.LocalDate day = java.time.LocalDate.of(1960, 1, 1);
        for (int i = from; i < from + n; i++) {
            java.time.LocalDate birth = day.plusDays(i / 400);
            String first17 = "440105" + birth.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                    + String.format("%03d", (i % 400) * 2 + 1);
            rows.add(first17 + IdNumber.checkChar(first17) + ",某" + i + ",男," + birth + ",户籍,138" + String.format("%08d", i)
                    + "," + houseCode);
        }
        return rows;
    }

    private ImportResult run(Path f, ImportProgress progress) throws Exception {
        return new Importer(db, CIPHER).run(new ImportRequest(Dataset.PERSONS, f, null, null, null, Map.of(), false,
                ImportRequest.MaxErrors.NONE, "it"), progress);
    }

    @Test
    void theOnePassLoadRejectsEachBadRowOnceAndLoadsTheRest() throws Exception {
        aFirstLoadRejectsEachBadRowOnceAndLoadsTheRest();
    }

    /** Where the database knows more houses than the importer keeps in memory, persons load in two passes, alike. */
    @Test
    void theTwoPassLoadRejectsTheSameRows() throws Exception {
        int before = Load.maxKnownCodes;
        Load.maxKnownCodes = 0;
        try {
            aFirstLoadRejectsEachBadRowOnceAndLoadsTheRest();
        } finally {
            Load.maxKnownCodes = before;
        }
    }

    private void aFirstLoadRejectsEachBadRowOnceAndLoadsTheRest() throws Exception {
        List<String> lines = new ArrayList<>(List.of("id_number,name,gender,birth_date,household_type,phone,house_code"));
        List<String> good = persons(0, 500, house);
        lines.addAll(good);
        lines.add(good.get(7));                                   // row 502: a duplicate of row 9
        lines.addAll(persons(1000, 1, "44010599999999999"));      // row 503: no such house
        lines.add("440105196001010011,坏,男,1960-01-01,户籍,,"+ house);   // row 504: bad check character
        Path f = Files.write(dir.resolve("first.csv"), lines, StandardCharsets.UTF_8);
        List<String> phases = new ArrayList<>();
        ImportResult r = run(f, (phase, read, rejected, fraction) -> {
            if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) {
                phases.add(phase);
            }
        });
        assertEquals("succeeded", r.status(), r.toString());
        assertEquals(503, r.read());
        assertEquals(500, r.inserted());
        assertEquals(3, r.rejected());
        assertTrue(phases.contains("writing"), "the first load wrote straight into the table: " + phases);
        assertEquals(500, sql("SELECT count(*) FROM person"));
        assertEquals(500, sql("SELECT count(DISTINCT gid) FROM person"), "every record has its own gid");
        assertEquals(500, sql("SELECT count(*) FROM change_log_record WHERE table_name = 'person' AND op = 'I'"
                + " AND txid = (SELECT max(txid) FROM change_log WHERE table_name = 'person')"));
        assertEquals(1, sql("SELECT count(DISTINCT origin) FROM person"));
        // the window wrote those entries itself and turned the row-logging triggers back on
        assertEquals(1, sql("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'person'::regclass"
                + " AND tgname = 'change_log_ins' AND tgenabled = 'O'"));
        assertEquals(0, sql("SELECT count(*) FROM pg_trigger WHERE tgrelid IN ('person'::regclass, 'house'::regclass)"
                + " AND tgname IN ('change_log_ins', 'tile_dirty_ins') AND tgenabled <> 'O'"));
        // the houses' first load (the demo set, loaded by the importer) marked their tiles stale and logged each house
        assertEquals(0, sql("SELECT count(*) FROM house h WHERE NOT EXISTS (SELECT 1 FROM tile_dirty d"
                + " WHERE d.layer = 'houses' AND d.street_code = h.street_code AND d.bbox ~ h.geom_3857)"),
                "every house lies in a stale box of its street");
        assertEquals(sql("SELECT count(*) FROM house"), sql("SELECT count(*) FROM change_log_record"
                + " WHERE table_name = 'house' AND op = 'I' AND record_gid IN (SELECT gid FROM house)"), "every house in the change log once");
        assertEquals(sql("SELECT count(*) FROM enterprise"), sql("SELECT count(*) FROM change_log_record"
                + " WHERE table_name = 'enterprise' AND op = 'I' AND record_gid IN (SELECT gid FROM enterprise)"),
                "and every enterprise (a two-pass first load too, its change log COPYed from the gids)");
        StringWriter csv = new StringWriter();
        new Importer(db, CIPHER).writeRejects(r.jobId(), csv);
        String report = csv.toString();
        assertTrue(report.contains("与本文件第 9 行重复"), report);
        assertTrue(report.contains("\n502,"), report);
        assertTrue(report.contains("\n503,"), report);
        assertTrue(report.contains("房屋编码不存在"), report);
        assertTrue(report.contains("身份证号不合规"), report);
        assertEquals(4, report.strip().split("\n").length, "a header and three rejects, none twice: " + report);
        // the stored person decrypts to what the file said, with its house's grid
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT p.id_number_enc, p.grid_code = h.grid_code FROM person p JOIN house h"
                     + " ON h.code = p.house_code WHERE p.name = '某7'")) {
            rs.next();
            assertEquals(good.get(7).substring(0, 18), CIPHER.decrypt(rs.getBytes(1)));
            assertTrue(rs.getBoolean(2));
        }
    }

    /** Over --max-errors half way through a first load: the workers stop, nothing is applied, the table is as it was. */
    @Test
    void aFirstLoadOverMaxErrorsAbortsWithNothingApplied() throws Exception {
        List<String> lines = new ArrayList<>(List.of("id_number,name,gender,birth_date,household_type,phone,house_code"));
        lines.addAll(persons(0, 12_000, house));
        for (int i = 0; i < 5; i++) {
            lines.add(6_000 + i * 10, "440105196001010011,坏,男,1960-01-01,户籍,," + house);   // bad check characters mid-file
        }
        Path f = Files.write(dir.resolve("errors.csv"), lines, StandardCharsets.UTF_8);
        long changes = sql("SELECT count(*) FROM change_log");
        String constraints = "SELECT count(*) FROM pg_constraint WHERE conrelid = 'person'::regclass";
        long keys = sql(constraints);
        ImportResult r = new Importer(db, CIPHER).run(new ImportRequest(Dataset.PERSONS, f, null, null, null, Map.of(), false,
                ImportRequest.MaxErrors.parse("3"), "it"), ImportProgress.NONE);
        assertEquals("aborted", r.status(), r.toString());
        assertEquals(0, sql("SELECT count(*) FROM person"));
        assertEquals(changes, sql("SELECT count(*) FROM change_log"));
        assertEquals(keys, sql(constraints), "the dropped keys are back");
        assertEquals(4, sql("SELECT count(*) FROM import_reject WHERE job_id = '" + r.jobId() + "'"),
                "the rejects up to the limit are kept for the officer");
    }

    /**
     * Houses load in two passes: duplicates are found in memory as the file streams, and each house
     * is placed by the grid it lies in (the smallest code on a shared edge), read in file order.
     */
    @Test
    void housesFirstLoadRejectsDuplicatesAsTheyStreamAndPlacesEveryHouseInItsGrid() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(demo.filesDir().resolve("houses.csv"), StandardCharsets.UTF_8));
        int houses = lines.size() - 1;
        lines.add(lines.get(5));                                             // a copy of file row 6
        lines.add("44010500110101AB," + lines.get(7).substring(lines.get(7).indexOf(',') + 1));   // a bad code
        Path f = Files.write(dir.resolve("houses.csv"), lines, StandardCharsets.UTF_8);
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE house CASCADE");
        }
        ImportResult r = new Importer(db, CIPHER).run(new ImportRequest(Dataset.HOUSES, f, null, null, null, Map.of(), false,
                ImportRequest.MaxErrors.NONE, "it"), ImportProgress.NONE);
        assertEquals("succeeded", r.status(), r.toString());
        assertEquals(houses, r.inserted());
        assertEquals(2, r.rejected());
        StringWriter csv = new StringWriter();
        new Importer(db, CIPHER).writeRejects(r.jobId(), csv);
        String report = csv.toString();
        assertTrue(report.contains("\n" + (houses + 2) + ",error,code,") && report.contains("与本文件第 6 行重复"), report);
        assertTrue(report.contains("房屋编码应为 14-24 位数字"), report);
        assertEquals(houses, sql("SELECT count(*) FROM house"));
        String last = " WHERE table_name = 'house' AND txid = (SELECT max(txid) FROM change_log WHERE table_name = 'house')";
        assertEquals((houses + 999) / 1000, sql("SELECT count(*) FROM change_log" + last), "entries of up to 1,000 houses");
        assertEquals(houses, sql("SELECT count(DISTINCT record_gid) FROM change_log_record" + last
                + " AND op = 'I' AND version = 1 AND record_gid IN (SELECT gid FROM house)"), "every house logged once");
        assertEquals(0, sql("SELECT count(*) FROM house h WHERE h.grid_code IS DISTINCT FROM"
                + " (SELECT min(g.code) FROM grid g WHERE ST_Intersects(g.geom, h.geom))"), "every house in its grid");
        assertEquals(0, sql("SELECT count(*) FROM house h JOIN grid g ON g.code = h.grid_code"
                + " WHERE (h.community_code, h.street_code) <> (g.community_code, g.street_code)"), "and its community and street");
    }

    /** kill -9 of the importer's process half way through writing: the database is as before; a rerun finishes. */
    @Test
    void anImporterProcessKilledHalfWayLeavesNothingAndARerunFinishesIt() throws Exception {
        List<String> lines = new ArrayList<>(List.of("id_number,name,gender,birth_date,household_type,phone,house_code"));
        lines.addAll(persons(0, 30_000, house));
        Path f = Files.write(dir.resolve("killed.csv"), lines, StandardCharsets.UTF_8);
        long changes = sql("SELECT count(*) FROM change_log");
        String constraints = "SELECT count(*) FROM pg_constraint WHERE conrelid = 'person'::regclass";
        long keys = sql(constraints);
        long workFiles = workFiles();
        EmbeddedPostgres pg = TestDatabases.cluster();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ImportChild.class.getName(),
                pg.jdbcUrl("it_first_load"), EmbeddedPostgres.SUPERUSER, pg.password(), KEY, f.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("half written")) {
                assertTrue(!line.equals("finished"), "the child finished before it could be killed");
            }
            assertEquals("half written", line, "the child wrote half the file");
            child.destroyForcibly();   // SIGKILL: no shutdown hook, no rollback sent, the socket just closes
            assertTrue(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        assertEquals(workFiles, workFiles(), "the killed importer left no work files behind (they are unlinked once open)");
        // the server ends the orphaned transaction when it finds the socket closed; wait for that
        long until = System.nanoTime() + 30_000_000_000L;
        while (sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL"
                + " AND pid <> pg_backend_pid()") > 0) {
            assertTrue(System.nanoTime() < until, "the killed importer's transaction is still open");
            Thread.sleep(100);
        }
        assertEquals(0, sql("SELECT count(*) FROM person"), "nothing of the killed job is in the table");
        assertEquals(changes, sql("SELECT count(*) FROM change_log"), "nor in the change log");
        assertEquals(1, sql("SELECT count(*) FROM import_job WHERE submitted_by = 'kill-test' AND status = 'running'"),
                "the job's record shows it never finished (the import page shows it as stale)");
        assertEquals(keys, sql(constraints), "the person table has its keys and constraints back: the dropped ones came back with the rollback");
        ImportResult rerun = run(f, ImportProgress.NONE);
        assertEquals("succeeded", rerun.status(), rerun.toString());
        assertEquals(30_000, rerun.inserted());
        assertEquals(30_000, sql("SELECT count(*) FROM person"));
        // no duplicates, so the change log was written from the gids as COPYed: 30 entries of 1,000, each person once
        String last = " WHERE table_name = 'person' AND txid = (SELECT max(txid) FROM change_log WHERE table_name = 'person')";
        assertEquals(30, sql("SELECT count(*) FROM change_log" + last));
        assertEquals(30_000, sql("SELECT count(DISTINCT record_gid) FROM change_log_record" + last + " AND op = 'I'"
                + " AND version = 1 AND record_gid IN (SELECT gid FROM person)"));
    }

    @Test
    void aFirstLoadKilledDuringItsCopyLeavesNothingAndARerunFinishesIt() throws Exception {
        List<String> lines = new ArrayList<>(List.of("id_number,name,gender,birth_date,household_type,phone,house_code"));
        lines.addAll(persons(0, 20_000, house));
        Path f = Files.write(dir.resolve("big.csv"), lines, StandardCharsets.UTF_8);
        long changes = sql("SELECT count(*) FROM change_log");
        boolean[] killed = {false};
        ImportProgress killer = (phase, read, rejected, fraction) -> {
            if ("writing".equals(phase) && fraction > 0.6 && !killed[0]) {
                killed[0] = true;
                // what kill -9 of the importer or a database restart does to the loading transaction
                try (Connection c = db.connection(); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        assertThrows(Exception.class, () -> run(f, killer));
        assertTrue(killed[0], "the job was killed in its second pass");
        assertEquals(0, sql("SELECT count(*) FROM person"), "nothing of the killed job is in the table");
        assertEquals(changes, sql("SELECT count(*) FROM change_log"), "nor in the change log");
        assertEquals(0, sql("SELECT count(*) FROM pg_class WHERE relname ~ '^import_(stage|placement|changed)_'"), "no work table left behind");
        ImportResult rerun = run(f, ImportProgress.NONE);
        assertEquals("succeeded", rerun.status(), rerun.toString());
        assertEquals(20_000, rerun.inserted());
        assertEquals(20_000, sql("SELECT count(*) FROM person"));
    }
}
