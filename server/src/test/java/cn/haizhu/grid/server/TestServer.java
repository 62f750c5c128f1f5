package cn.haizhu.grid.server;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.importers.demo.DemoDataset;
import cn.haizhu.grid.importers.demo.DemoUsers;
import java.nio.file.Path;
import java.util.Map;

/**
 * A running command center for integration and browser tests: the project's embedded PostGIS
 * (test cluster, database {@code it_server}), the demo data set at 1% scale (streets and
 * communities complete, about 270 grids), the demo users with password {@link #PASSWORD}, and
 * the HTTP server on a free port. Shared by every test class in the JVM; stopped at exit.
 */
public final class TestServer {
    public static final String PASSWORD = "test-Passw0rd";
    public static final double SCALE = 0.01;
    private static TestServer instance;

    public final GridConfig config;
    public final Database db;
    public final PersonalDataCipher cipher;
    public final CommandCenter center;

    private TestServer(GridConfig config, Database db, PersonalDataCipher cipher, CommandCenter center) {
        this.config = config;
        this.db = db;
        this.cipher = cipher;
        this.center = center;
    }

    public static synchronized TestServer get() {
        if (instance == null) {
            try {
                Path project = TestDatabases.projectDir();
                Path dataDir = project.resolve("var/test-data");
                GridConfig config = GridConfig.load(project, Map.of(
                        "GRIDCTL_CONFIG", "/nonexistent",
                        "GRIDCTL_DATA_DIR", dataDir.toString(),
                        "GRIDCTL_HTTP_PORT", "1",
                        "GRIDCTL_DEMO_SCALE", Double.toString(SCALE),
                        "GRIDCTL_DEMO_PASSWORD", PASSWORD,
                        // the tests stand in for a TLS proxy on this machine, to present other client addresses
                        "GRIDCTL_HTTP_TRUSTED_PROXIES", "127.0.0.1,::1")).withHttpPort(0);
                Database db = TestDatabases.fresh("it_server");
                PersonalDataCipher cipher = PersonalDataKey.cipher(config);
                new DemoDataset(config.demoScale(), config.demoSeed(), config.dataDir()).ensureLoaded(db, cipher);
                try (var c = db.connection()) {
                    DemoUsers.ensure(c, PASSWORD, config.dataDir());
                }
                CommandCenter center = CommandCenter.start(config, db, cipher);
                instance = new TestServer(config, db, cipher, center);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    center.close();
                    db.close();
                }, "test-server-stop"));
            } catch (Exception e) {
                throw new IllegalStateException("test server did not start: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /** The first row of a query straight in the test database, as text (a missing row fails). */
    public String[] firstRow(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = db.connection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row for " + sql);
            }
            String[] values = new String[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = rs.getString(i + 1);
            }
            return values;
        }
    }

    /** The number a counting query gives, run straight in the test database with {@code args} as its parameters. */
    public long count(String sql, Object... args) throws java.sql.SQLException {
        return count(db, sql, args);
    }

    /** The number a counting query gives in {@code db}, with {@code args} as its parameters. */
    public static long count(Database db, String sql, Object... args) throws java.sql.SQLException {
        try (java.sql.Connection c = db.connection(); java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public String baseUrl() {
        return "http://localhost:" + center.port();
    }
}
