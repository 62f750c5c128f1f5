package cn.haizhu.grid.data.db;

import java.nio.file.Path;

/**
 * The embedded PostGIS cluster that integration tests share: the same launcher the product uses,
 * on its own port (54330, or GRIDCTL_TEST_DB_PORT) and data folder ({@code var/test-pgdata}).
 * Each test class asks for its own database by name, created empty and migrated.
 * The cluster stops when the test JVM exits.
 */
public final class TestDatabases {
    private static EmbeddedPostgres cluster;

    private TestDatabases() {
    }

    /** The shared cluster's port: 54330, or GRIDCTL_TEST_DB_PORT. */
    public static int port() {
        return Integer.parseInt(System.getenv().getOrDefault("GRIDCTL_TEST_DB_PORT", "54330"));
    }

    /**
     * A port for a test's own extra server (a cluster's PostgreSQL, a server instance, nginx), {@code
     * offset} above a base that moves with the shared cluster's port, so that two runs of the suite with
     * different GRIDCTL_TEST_DB_PORT never meet on a port; and below Linux's ephemeral range (32768 on),
     * where an outgoing connection of anything on the machine may hold the port for a while (a drill
     * once failed so: nginx could not bind).
     */
    public static int portAbove(int offset) {
        return port() - 34330 + offset;   // 54330 (the default) + 1141 → 21141
    }

    public static synchronized EmbeddedPostgres cluster() {
        if (cluster == null) {
            cluster = new EmbeddedPostgres(projectDir().resolve("var/test-pgdata"), port());
            cluster.start("postgres");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster.stop(false), "test-pg-stop"));
        }
        return cluster;
    }

    /** A freshly created, migrated database called {@code name} (dropped first if it exists). */
    public static Database fresh(String name) {
        return fresh(name, "440105");
    }

    /** The same for the node {@code nodeCode} (a street, a city): the origin its writes are made under. */
    public static Database fresh(String name, String nodeCode) {
        EmbeddedPostgres pg = cluster();
        pg.dropDatabase(name);
        pg.start(name);
        return Database.at(pg.jdbcUrl(name), EmbeddedPostgres.SUPERUSER, pg.password(), nodeCode);
    }

    /** The existing database {@code name}, created and migrated if missing (kept between test runs). */
    public static Database reuse(String name) {
        EmbeddedPostgres pg = cluster();
        pg.start(name);
        return Database.at(pg.jdbcUrl(name), EmbeddedPostgres.SUPERUSER, pg.password(), "440105");
    }

    /** The project checkout: Maven passes it to failsafe; otherwise walk up from the module folder. */
    public static Path projectDir() {
        String fromMaven = System.getProperty("gridctl.project.dir");
        if (fromMaven != null && !fromMaven.isBlank()) {
            return Path.of(fromMaven).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !java.nio.file.Files.exists(dir.resolve("gridctl"))) {
            dir = dir.getParent();
        }
        return dir == null ? Path.of("").toAbsolutePath() : dir;
    }
}
