package cn.haizhu.grid.data.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every function of the schema has one current body, in a repeatable migration
 * ({@code R__<feature>_functions.sql}); the versioned migrations keep their history (docs/MIGRATIONS.md).
 *
 * <p>Each R__ file is run on its own into a scratch schema, and what it makes there is compared with
 * the functions of a freshly migrated database: definition (signature, attributes, body), privileges
 * and comment. A function that only a versioned migration defines (or that
 * {@code gridctl_track_changes} made for a new table) has no counterpart and fails, with its
 * definition in the message to be copied into its feature's file.
 */
class FunctionBodiesIT {
    /** The last versioned migration written before the function bodies moved into R__ files. */
    private static final int LAST_VERSION_WITH_FUNCTION_BODIES = 28;
    private static final String SCRATCH = "function_bodies_check";
    private static final Pattern REPLACING = Pattern.compile("^CREATE\\s+OR\\s+REPLACE\\s+FUNCTION\\b",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    private static final Pattern CREATING = Pattern.compile("^CREATE\\s+FUNCTION\\b",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    private static Database db;

    @BeforeAll
    static void migrate() {
        db = TestDatabases.fresh("it_function_bodies");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** A function as the database keeps it. */
    record Definition(String text, String privileges, String comment) {
    }

    @Test
    void everyFunctionHasItsCurrentBodyInExactlyOneRepeatableMigration() throws SQLException {
        try (Connection c = db.connection()) {
            assertEquals(List.of(), problems(c));
        }
    }

    @Test
    void aFunctionLeftInAVersionedMigrationFails() throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                // as a versioned migration would leave them: one new function, one changed body
                s.execute("CREATE FUNCTION gridctl_only_in_a_versioned_migration() RETURNS int LANGUAGE sql AS 'SELECT 1'");
                s.execute("CREATE OR REPLACE FUNCTION gridctl_origin() RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'elsewhere' $$");
                List<String> problems = problems(c);
                assertEquals(2, problems.size(), String.join("\n", problems));
                assertTrue(problems.get(0).startsWith("gridctl_only_in_a_versioned_migration() is in no R__ file"), problems.get(0));
                assertTrue(problems.get(1).startsWith("gridctl_origin() differs from R__changelog_functions.sql"), problems.get(1));
            } finally {
                c.rollback();
            }
        }
        // and the scan of versioned migrations recognises a redefinition where there is one
        assertTrue(REPLACING.matcher(read(migrations().resolve("V16__case_duplicate_check_lighter.sql"))).find());
    }

    @Test
    void aDatabaseMigratedBeforeTheRepeatableMigrationsEndsWithTheSameFunctions() throws Exception {
        String name = "it_function_bodies_upgrade";
        EmbeddedPostgres pg = TestDatabases.cluster();
        pg.dropDatabase(name);
        pg.start(name);
        // as the release before them left it: the versioned migrations up to that release, no R__ file
        Path earlier = Files.createTempDirectory("gridctl-migrations-");
        try {
            for (Path v : versioned()) {
                if (version(v) <= LAST_VERSION_WITH_FUNCTION_BODIES) {
                    Files.copy(v, earlier.resolve(v.getFileName().toString()));
                }
            }
            Flyway.configure().dataSource(pg.jdbcUrl(name), EmbeddedPostgres.SUPERUSER, pg.password())
                    .locations("filesystem:" + earlier).placeholderReplacement(false).load().migrate();
        } finally {
            try (Stream<Path> files = Files.list(earlier)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(earlier);
        }
        try (Database upgraded = Database.at(pg.jdbcUrl(name), EmbeddedPostgres.SUPERUSER, pg.password(), "440105");
             Connection afterUpgrade = upgraded.connection(); Connection fresh = db.connection()) {
            assertEquals(functions(fresh, "public"), functions(afterUpgrade, "public"));
        }
    }

    @Test
    void noVersionedMigrationAfterTheMoveRedefinesAFunction() {
        List<String> redefining = new ArrayList<>();
        for (Path v : versioned()) {
            if (version(v) > LAST_VERSION_WITH_FUNCTION_BODIES && REPLACING.matcher(read(v)).find()) {
                redefining.add(v.getFileName().toString());
            }
        }
        // an upgraded database would keep its body while a fresh one gets the R__ file's
        assertEquals(List.of(), redefining, "change a function in its R__ file, not in a versioned migration");
    }

    /** What keeps the functions of {@code c}'s database from having one current body each, in its R__ file. */
    private static List<String> problems(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        Map<String, Definition> kept = new TreeMap<>();
        Map<String, String> fileOf = new HashMap<>();
        List<String> applied = appliedRepeatableMigrations(c);
        for (Path r : repeatable()) {
            String file = r.getFileName().toString();
            String sql = read(r);
            if (!applied.contains(file)) {
                problems.add(file + " was not run by Flyway: a repeatable migration is named R__<description>.sql");
            }
            if (CREATING.matcher(sql).find()) {
                problems.add(file + " uses CREATE FUNCTION, which fails when the file runs again: CREATE OR REPLACE FUNCTION");
            }
            Map<String, Definition> made = runInScratchSchema(c, sql, problems, file);
            if (made.size() != count(REPLACING.matcher(sql))) {
                problems.add(file + " defines a function more than once");
            }
            for (var f : made.entrySet()) {
                String other = fileOf.put(f.getKey(), file);
                if (other != null) {
                    problems.add(f.getKey() + " is defined in " + other + " and in " + file);
                }
                kept.put(f.getKey(), f.getValue());
            }
        }
        Map<String, Definition> present = functions(c, "public");
        for (var f : present.entrySet()) {
            Definition body = kept.get(f.getKey());
            if (body == null) {
                problems.add(f.getKey() + " is in no R__ file; its definition now:\n" + f.getValue().text());
            } else if (!body.equals(f.getValue())) {
                problems.add(f.getKey() + " differs from " + fileOf.get(f.getKey()) + ":\n" + f.getValue() + "\n" + body);
            }
        }
        for (String f : kept.keySet()) {
            if (!present.containsKey(f)) {
                problems.add(f + " of " + fileOf.get(f) + " is not in the database");
            }
        }
        return problems;
    }

    private static List<String> appliedRepeatableMigrations(Connection c) throws SQLException {
        List<String> scripts = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT script FROM flyway_schema_history WHERE version IS NULL AND success")) {
            while (rs.next()) {
                scripts.add(rs.getString(1));
            }
        }
        return scripts;
    }

    /** The functions an R__ file makes when it runs alone in a scratch schema (its own names resolve there first). */
    private static Map<String, Definition> runInScratchSchema(Connection c, String sql, List<String> problems, String file)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setEscapeProcessing(false);
            s.execute("DROP SCHEMA IF EXISTS " + SCRATCH + " CASCADE; CREATE SCHEMA " + SCRATCH);
            s.execute("SET search_path = " + SCRATCH + ", public");
            try {
                s.execute(sql);
            } finally {
                s.execute("SET search_path = public");
            }
            try (ResultSet rs = s.executeQuery("SELECT string_agg(relname, ', ') FROM pg_class WHERE relnamespace = '"
                    + SCRATCH + "'::regnamespace")) {
                rs.next();
                if (rs.getString(1) != null) {
                    problems.add(file + " makes more than functions: " + rs.getString(1));
                }
            }
            Map<String, Definition> made = functions(c, SCRATCH);
            s.execute("DROP SCHEMA " + SCRATCH + " CASCADE");
            return made;
        }
    }

    /** The functions of a schema that belong to no extension, by name and argument types, as if they were in public. */
    private static Map<String, Definition> functions(Connection c, String schema) throws SQLException {
        Map<String, Definition> functions = new TreeMap<>();
        try (var ps = c.prepareStatement("""
                SELECT p.proname || '(' || oidvectortypes(p.proargtypes) || ')',
                       regexp_replace(pg_get_functiondef(p.oid), '^(CREATE OR REPLACE FUNCTION )' || n.nspname || '\\.', '\\1public.'),
                       (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(p.proacl) a),
                       obj_description(p.oid, 'pg_proc')
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = ?
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    functions.put(rs.getString(1), new Definition(rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return functions;
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** The migrations as written (the same files the jar on the class path carries). */
    private static Path migrations() {
        return TestDatabases.projectDir().resolve("grid-data/src/main/resources/db/migration");
    }

    /** Every migration that is not versioned: Flyway runs those named R__*.sql after the versioned ones. */
    private static List<Path> repeatable() {
        return migrationFiles().stream().filter(p -> !VERSIONED.matcher(p.getFileName().toString()).matches()).toList();
    }

    private static List<Path> versioned() {
        return migrationFiles().stream().filter(p -> VERSIONED.matcher(p.getFileName().toString()).matches())
                .sorted(Comparator.comparingInt(FunctionBodiesIT::version)).toList();
    }

    private static int version(Path v) {
        Matcher m = VERSIONED.matcher(v.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(v + " is no versioned migration");
        }
        return Integer.parseInt(m.group(1));
    }

    private static List<Path> migrationFiles() {
        try (Stream<Path> files = Files.list(migrations())) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
