package cn.haizhu.grid.data.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** The launcher's own cluster, as CI meets it: run as root, in a folder the postgres user cannot reach. */
class EmbeddedPostgresIT {
    /** A cluster of its own, beside the shared test cluster's port (GRIDCTL_TEST_DB_PORT lets developers run side by side). */
    private static final int OWN_PORT = Integer.parseInt(System.getenv().getOrDefault("GRIDCTL_TEST_DB_PORT", "54330")) + 9;

    @Test
    void asRootInAnUnreachableFolderTheClusterMovesAndSaysWhere() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only meaningful as root (CI runs as root)");
        Path home = Files.createTempDirectory(Path.of("/root"), "gridctl-it-");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        EmbeddedPostgres pg = new EmbeddedPostgres(home.resolve("pgdata"), OWN_PORT);
        try {
            assertTrue(pg.clusterDir().startsWith("/var/tmp"), "moved to " + pg.clusterDir());
            pg.start("probe");
            assertTrue(pg.isRunning());
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("probe"), EmbeddedPostgres.SUPERUSER, pg.password());
                 ResultSet rs = c.createStatement().executeQuery("SELECT current_user, inet_server_addr()::text")) {
                rs.next();
                assertEquals("gridctl", rs.getString(1));
                assertEquals("127.0.0.1/32", rs.getString(2));
            }
            pg.stop(false);
            assertFalse(pg.isRunning(), "stopped by the one who started it");
            pg.start("probe");
            assertTrue(pg.isRunning(), "a second start reuses the cluster");
        } finally {
            pg.stop(true);
            delete(pg.clusterDir().getParent());
            delete(home);
        }
    }

    @Test
    void aFallbackFolderSomeoneElseMadeFirstIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only meaningful as root (CI runs as root)");
        Path home = Files.createTempDirectory(Path.of("/root"), "gridctl-it-");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        // the fallback's name is predictable: an attacker makes it first, world-writable, to plant links in it
        EmbeddedPostgres probe = new EmbeddedPostgres(home.resolve("pgdata"), OWN_PORT);
        Path planted = probe.clusterDir().getParent();
        delete(planted);
        try {
            Files.createDirectory(planted);
            Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
            IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> new EmbeddedPostgres(home.resolve("pgdata"), OWN_PORT));
            assertTrue(refused.getMessage().contains(planted.toString()), refused.getMessage());
            assertEquals(0, Files.list(planted).count(), "nothing was written into it");
        } finally {
            delete(planted);
            delete(home);
        }
    }

    @Test
    void secretFilesAreOwnerOnlyFromTheStart() throws Exception {
        Path dir = Files.createTempDirectory("gridctl-secret-");
        try {
            Path file = dir.resolve("secrets/pii.key");
            String value = cn.haizhu.grid.data.config.SecretFiles.readOrCreate(file, () -> "k3y");
            assertEquals("k3y", value);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            assertEquals("k3y", cn.haizhu.grid.data.config.SecretFiles.readOrCreate(file, () -> "other"), "kept, not remade");
            Path link = dir.resolve("secrets/link.key");
            Files.createSymbolicLink(link, file);
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> cn.haizhu.grid.data.config.SecretFiles.read(link), "a planted link is refused");
        } finally {
            delete(dir);
        }
    }

    @Test
    void aClusterAnotherProcessStartedIsLeftRunning() {
        EmbeddedPostgres shared = TestDatabases.cluster();
        EmbeddedPostgres second = new EmbeddedPostgres(TestDatabases.projectDir().resolve("var/test-pgdata"), shared.port());
        second.start("postgres");
        second.close();
        assertTrue(shared.isRunning(), "close() only stops what this object started");
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
