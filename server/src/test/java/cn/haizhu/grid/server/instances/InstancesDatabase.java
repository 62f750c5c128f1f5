package cn.haizhu.grid.server.instances;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.importers.demo.DemoDataset;
import cn.haizhu.grid.importers.demo.DemoUsers;
import cn.haizhu.grid.server.TestServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one database that several server instances share in the tests of stateless instances:
 * {@code it_instances} in the test cluster, made afresh once per JVM with the {@link TestServer}'s 1%
 * demo and demo logins, and the {@link TestServer}'s data folder (its generated demo files and its
 * personal-data key, which every instance of one database must hold alike).
 */
final class InstancesDatabase {
    static final String NAME = "it_instances";
    private static InstancesDatabase instance;

    final GridConfig config;
    final Database db;
    final PersonalDataCipher cipher;

    private InstancesDatabase(GridConfig config, Database db, PersonalDataCipher cipher) {
        this.config = config;
        this.db = db;
        this.cipher = cipher;
    }

    static synchronized InstancesDatabase get() {
        if (instance == null) {
            try {
                Path project = TestDatabases.projectDir();
                GridConfig config = GridConfig.load(project, Map.of(
                        "GRIDCTL_CONFIG", "/nonexistent",
                        "GRIDCTL_DATA_DIR", project.resolve("var/test-data").toString(),
                        "GRIDCTL_HTTP_PORT", "1",
                        "GRIDCTL_DEMO_SCALE", Double.toString(TestServer.SCALE),
                        "GRIDCTL_DEMO_PASSWORD", TestServer.PASSWORD,
                        // the tests stand in for the proxy in front, to present other client addresses
                        "GRIDCTL_HTTP_TRUSTED_PROXIES", "127.0.0.1,::1"));
                Database db = TestDatabases.fresh(NAME);
                PersonalDataCipher cipher = PersonalDataKey.cipher(config);
                new DemoDataset(config.demoScale(), config.demoSeed(), config.dataDir()).ensureLoaded(db, cipher);
                try (var c = db.connection()) {
                    DemoUsers.ensure(c, TestServer.PASSWORD, config.dataDir());
                }
                instance = new InstancesDatabase(config, db, cipher);
                Runtime.getRuntime().addShutdownHook(new Thread(db::close, "instances-db-close"));
            } catch (Exception e) {
                throw new IllegalStateException("the instances' database did not start: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /** The JDBC address of the database, for server processes started with {@code db.url}. */
    String url() {
        return TestDatabases.cluster().jdbcUrl(NAME);
    }

    /** The owner's password (the test cluster's superuser, {@link EmbeddedPostgres#SUPERUSER}). */
    String ownerPassword() {
        return TestDatabases.cluster().password();
    }

    /** The number a counting query gives, with {@code args} as its parameters. */
    long count(String sql, Object... args) throws java.sql.SQLException {
        return TestServer.count(db, sql, args);
    }

    /** Runs one statement (an update, a lock) straight in the database. */
    void execute(String sql, Object... args) throws java.sql.SQLException {
        try (java.sql.Connection c = db.connection(); java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }
}
