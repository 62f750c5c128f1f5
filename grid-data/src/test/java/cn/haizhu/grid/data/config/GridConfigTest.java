package cn.haizhu.grid.data.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridConfigTest {
    @TempDir
    Path project;

    @Test
    void defaultsMeanTheEmbeddedDatabaseInTheProjectFolder() {
        GridConfig c = GridConfig.load(project, Map.of());
        assertTrue(c.embedded());
        assertEquals(8080, c.httpPort());
        assertEquals(project.resolve("var").toAbsolutePath(), c.dataDir());
        assertEquals(1.0, c.demoScale());
        assertTrue(c.demoLoad());
    }

    @Test
    void theEnvironmentOverridesTheFile() throws IOException {
        Files.writeString(project.resolve("gridctl.conf"), "http.port = 9000\ndb.url = jdbc:postgresql://db:5432/grid\n");
        GridConfig fromFile = GridConfig.load(project, Map.of());
        assertEquals(9000, fromFile.httpPort());
        assertFalse(fromFile.embedded());
        GridConfig fromEnv = GridConfig.load(project, Map.of("GRIDCTL_HTTP_PORT", "9100", "GRIDCTL_DB_URL", ""));
        assertEquals(9100, fromEnv.httpPort());
        assertTrue(fromEnv.embedded(), "an empty GRIDCTL_DB_URL goes back to the embedded default");
    }

    @Test
    void badValuesAreNamed() throws IOException {
        var bad = assertThrows(GridConfig.ConfigException.class, () -> GridConfig.load(project, Map.of("GRIDCTL_HTTP_PORT", "eighty")));
        assertTrue(bad.getMessage().contains("GRIDCTL_HTTP_PORT"), bad.getMessage());
        assertThrows(GridConfig.ConfigException.class, () -> GridConfig.load(project, Map.of("GRIDCTL_DEMO_SCALE", "0")));
        assertThrows(GridConfig.ConfigException.class, () -> GridConfig.load(project, Map.of("GRIDCTL_DEMO_LOAD", "maybe")));
        var node = assertThrows(GridConfig.ConfigException.class, () -> GridConfig.load(project, Map.of("GRIDCTL_NODE_CODE", "4401050")));
        assertTrue(node.getMessage().contains("GRIDCTL_NODE_CODE"), node.getMessage());
        assertEquals(cn.haizhu.grid.data.sync.NodeLevel.STREET,
                GridConfig.load(project, Map.of("GRIDCTL_NODE_CODE", "440105001")).nodeLevel());
        Files.writeString(project.resolve("gridctl.conf"), "http.prot = 9000\n");
        var typo = assertThrows(GridConfig.ConfigException.class, () -> GridConfig.load(project, Map.of()));
        assertTrue(typo.getMessage().contains("http.prot"), typo.getMessage());
    }

    @Test
    void nodesOfAFederationShareOneClusterWithADatabaseEach() {
        GridConfig alone = GridConfig.load(project, Map.of("GRIDCTL_DATA_DIR", "var/x"));
        assertEquals(project.resolve("var/x/pgdata").toAbsolutePath().normalize(), alone.embeddedDir(),
                "by default the cluster lives in the node's data folder");
        assertEquals("gridctl", alone.embeddedDatabase());
        GridConfig node = GridConfig.load(project, Map.of("GRIDCTL_DATA_DIR", "var/federation/440105001",
                "GRIDCTL_DB_EMBEDDED_DIR", "var/federation/pgdata", "GRIDCTL_DB_EMBEDDED_DATABASE", "node_440105001"));
        assertEquals(project.resolve("var/federation/pgdata").toAbsolutePath().normalize(), node.embeddedDir());
        assertEquals("node_440105001", node.embeddedDatabase());
        assertEquals(node.embeddedDir(), node.withHttpPort(1).embeddedDir(), "the with… copies keep the cluster");
        var bad = assertThrows(GridConfig.ConfigException.class,
                () -> GridConfig.load(project, Map.of("GRIDCTL_DB_EMBEDDED_DATABASE", "Node; DROP")));
        assertTrue(bad.getMessage().contains("GRIDCTL_DB_EMBEDDED_DATABASE"), bad.getMessage());
    }

    @Test
    void open311ReadsArePublicUnlessTurnedOff() {
        assertTrue(GridConfig.load(project, Map.of()).open311PublicReads());
        assertFalse(GridConfig.load(project, Map.of("GRIDCTL_OPEN311_PUBLIC_READS", "false")).open311PublicReads());
        assertFalse(GridConfig.load(project, Map.of("GRIDCTL_OPEN311_PUBLIC_READS", "false")).withHttpPort(0).open311PublicReads(),
                "the copies keep it");
        assertThrows(GridConfig.ConfigException.class, () -> GridConfig.load(project, Map.of("GRIDCTL_OPEN311_PUBLIC_READS", "sometimes")));
    }

    @Test
    void aStandbyForReadsIsOptionalWithABoundedLag() {
        GridConfig.Standby none = GridConfig.load(project, Map.of()).standby();
        assertFalse(none.configured());
        assertEquals(1000, none.maxLagMillis());
        GridConfig.Standby standby = GridConfig.load(project, Map.of("GRIDCTL_DB_STANDBY_URL", "jdbc:postgresql://127.0.0.1:55502/gridctl",
                "GRIDCTL_DB_STANDBY_MAX_LAG", "500")).withHttpPort(0).standby();
        assertTrue(standby.configured());
        assertEquals(500, standby.maxLagMillis());
        var lag = assertThrows(GridConfig.ConfigException.class, () -> GridConfig.load(project, Map.of("GRIDCTL_DB_STANDBY_MAX_LAG", "10")));
        assertTrue(lag.getMessage().contains("GRIDCTL_DB_STANDBY_MAX_LAG"), lag.getMessage());
        assertThrows(GridConfig.ConfigException.class, () -> GridConfig.load(project, Map.of("GRIDCTL_DB_STANDBY_URL", "postgres://x/y")));
        assertThrows(GridConfig.ConfigException.class, () -> GridConfig.load(project, Map.of("GRIDCTL_BACKUP_ARCHIVE_TIMEOUT", "5")));
    }

    @Test
    void envNamesFollowTheKeys() {
        assertEquals("GRIDCTL_DB_EMBEDDED_PORT", GridConfig.envName("db.embedded.port"));
    }

    @Test
    void theBackupPassphraseComesFromTheEnvironmentOnly() throws IOException {
        GridConfig none = GridConfig.load(project, Map.of());
        assertFalse(none.backup().archiving());
        assertEquals(60, none.backup().archiveTimeoutSeconds());
        GridConfig set = GridConfig.load(project, Map.of("GRIDCTL_BACKUP_DIR", "backups", "GRIDCTL_BACKUP_PASSPHRASE", "s3cret passphrase"));
        assertEquals(project.resolve("backups").toAbsolutePath().normalize(), set.backup().dir());
        assertEquals("s3cret passphrase", set.backup().passphrase());
        assertFalse(set.toString().contains("s3cret"), "never printed");
        Files.writeString(project.resolve("gridctl.conf"), "backup.passphrase = s3cret passphrase\n");
        var kept = assertThrows(GridConfig.ConfigException.class, () -> GridConfig.load(project, Map.of()));
        assertTrue(kept.getMessage().contains("GRIDCTL_BACKUP_PASSPHRASE"), kept.getMessage());
        Files.writeString(project.resolve("gridctl.conf"), "backup.dir = /srv/it's\n");
        assertThrows(GridConfig.ConfigException.class, () -> GridConfig.load(project, Map.of()), "a quote would break archive_command");
        assertThrows(GridConfig.ConfigException.class,
                () -> GridConfig.load(project, Map.of("GRIDCTL_BACKUP_DIR", "", "GRIDCTL_BACKUP_ARCHIVE_TIMEOUT", "1")));
    }
}
