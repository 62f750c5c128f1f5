package cn.haizhu.grid.data.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.config.GridConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A start on a schema that a newer release migrated, and a start that must not migrate
 * (docs/UPGRADES.md). A newer release is played by what it leaves in the database: a versioned
 * migration above any this build carries, and repeatable migrations whose recorded checksums are not
 * this build's (its function bodies). Flyway, left to itself, would re-apply this build's R__ files
 * there and put back the older bodies; the start must leave the schema alone, within the window, and
 * refuse outside it.
 */
class SchemaWindowIT {
    private static final String NEWER = """
            INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by,
                                               execution_time, success)
            SELECT max(installed_rank) + 1, '9999', 'a newer release', 'SQL', 'V9999__a_newer_release.sql', 1, current_user, 0, true
            FROM flyway_schema_history
            """;
    /** The newer release's function bodies: every repeatable migration recorded with another checksum. */
    private static final String NEWER_BODIES = "UPDATE flyway_schema_history SET checksum = coalesce(checksum, 0) + 1 WHERE version IS NULL";

    @Test
    void aSchemaFromANewerReleaseIsServedWithoutMigratingWithinItsWindow() throws Exception {
        try (Database first = TestDatabases.fresh("it_schema_window")) {
            execute(first, NEWER);
            execute(first, NEWER_BODIES);
            long rows = count(first, "SELECT count(*) FROM flyway_schema_history");
            String bodies = text(first, "SELECT string_agg(md5(pg_get_functiondef(oid)), ',' ORDER BY oid) FROM pg_proc"
                    + " WHERE pronamespace = 'public'::regnamespace AND prokind = 'f'");

            // this build is older than the schema, and within its window (V48 serves servers from V44 on)
            try (Database again = Database.at(first.url(), first.user(), first.password(), "440105")) {
                assertEquals(rows, count(again, "SELECT count(*) FROM flyway_schema_history"), "no migration ran, no R__ file re-applied");
                assertEquals(bodies, text(again, "SELECT string_agg(md5(pg_get_functiondef(oid)), ',' ORDER BY oid) FROM pg_proc"
                        + " WHERE pronamespace = 'public'::regnamespace AND prokind = 'f'"), "the newer release's bodies stay");
                assertTrue(again.carriedVersions().contains("48"));
                IllegalStateException refused = assertThrows(IllegalStateException.class, again::migrate, "an explicit migrate refuses");
                assertTrue(refused.getMessage().contains("newer than this server's"), refused.getMessage());
            }

            // a newer release whose contract step left this build's schema behind: the start refuses
            execute(first, "UPDATE schema_window SET oldest_server_schema = 9999");
            IllegalStateException outside = assertThrows(IllegalStateException.class,
                    () -> Database.at(first.url(), first.user(), first.password(), "440105"));
            assertTrue(outside.getMessage().contains("Start the newer release"), outside.getMessage());
            assertEquals(rows, count(first, "SELECT count(*) FROM flyway_schema_history"));

            // the hazard, as a server before the window met it: Flyway by itself re-applies every R__ file of the older build
            Flyway.configure().dataSource(first.url(), first.user(), first.password()).locations("classpath:db/migration")
                    .placeholderReplacement(false).load().migrate();
            assertTrue(count(first, "SELECT count(*) FROM flyway_schema_history") > rows,
                    "Flyway alone re-applies the older repeatable migrations over the newer release's functions");
        }
    }

    @Test
    void withoutMigratingOnStartPendingMigrationsWaitForTheExplicitStep() throws Exception {
        try (Database first = TestDatabases.fresh("it_schema_window_off")) {
            // as before this release: V48 not applied yet
            execute(first, "DROP TABLE schema_window");
            execute(first, "DELETE FROM flyway_schema_history WHERE version = '48'");
            EmbeddedPostgres pg = TestDatabases.cluster();
            GridConfig config = GridConfig.load(TestDatabases.projectDir(), Map.of("GRIDCTL_CONFIG", "/nonexistent",
                    "GRIDCTL_DB_URL", first.url(), "GRIDCTL_DB_USER", first.user(), "GRIDCTL_DB_PASSWORD", pg.password(),
                    "GRIDCTL_DB_MIGRATE_ON_START", "false"));
            assertFalse(config.migrateOnStart());
            try (Database instance = Database.open(config)) {
                assertEquals(0, count(instance, "SELECT count(*) FROM pg_tables WHERE tablename = 'schema_window'"), "not migrated on start");
                assertTrue(instance.carriedVersions().contains("48"), "it knows what it carries (/health/ready says what is missing)");
                instance.migrate();
                assertEquals(1, count(instance, "SELECT count(*) FROM schema_window"), "the explicit step migrated");
            }
        }
    }

    private static void execute(Database db, String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Database db, String sql) throws SQLException {
        return Long.parseLong(text(db, sql));
    }

    private static String text(Database db, String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
