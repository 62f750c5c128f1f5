package cn.haizhu.grid.data.db;

import cn.haizhu.grid.data.config.GridConfig;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostGIS database of the command center: the embedded cluster when no URL is configured,
 * otherwise the configured one; migrated by Flyway on open, unless told not to or a newer release
 * migrated it ({@link #prepareSchema}, docs/UPGRADES.md).
 *
 * <p>This class serves the JDBC (bulk) path, as the owner; the server builds its request pool from
 * {@link #url()}, {@link #requestUser()} and {@link #requestPassword()}, and a small pool for its
 * own background jobs from {@link #user()} and {@link #password()}.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final EmbeddedPostgres embedded;
    private final String url;
    private final String user;
    private final String password;
    private final String nodeCode;
    private HikariDataSource dataSource;
    private volatile java.util.List<String> carriedVersions = java.util.List.of();

    private Database(EmbeddedPostgres embedded, String url, String user, String password, String nodeCode) {
        this.embedded = embedded;
        this.url = url;
        this.user = user;
        this.password = password;
        this.nodeCode = nodeCode;
    }

    /**
     * Opens (and for the embedded default, starts) the configured database and migrates it, unless
     * {@code db.migrate.on.start} is off or a newer release migrated it ({@link #prepareSchema}).
     */
    public static Database open(GridConfig config) {
        return open(config, config.migrateOnStart());
    }

    /** The same, migrating only when {@code migrate} says so ({@code ./gridctl migrate} migrates explicitly after). */
    public static Database open(GridConfig config, boolean migrate) {
        Database db;
        if (config.embedded()) {
            // archiving into backup.dir, or none, as the configuration says (README "Backups")
            EmbeddedPostgres pg = cn.haizhu.grid.data.backup.WalArchiving.cluster(config);
            pg.start(config.embeddedDatabase());
            db = new Database(pg, pg.jdbcUrl(config.embeddedDatabase()), EmbeddedPostgres.SUPERUSER, pg.password(), config.nodeCode());
        } else {
            db = new Database(null, config.dbUrl(), config.dbUser(), config.dbPassword(), config.nodeCode());
        }
        db.prepared(migrate);
        return db;
    }

    /** Opens an existing database (tests point this at their own embedded cluster and database). */
    public static Database at(String url, String user, String password, String nodeCode) {
        return new Database(null, url, user, password, nodeCode).prepared(true);
    }

    /** This database once its schema is prepared; closed (its pool, an embedded cluster) when that refuses. */
    private Database prepared(boolean migrate) {
        try {
            prepareSchema(migrate);
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * An existing database as it is, its schema untouched (an upgrade test fills the previous release's
     * schema with the demo before migrating it).
     */
    public static Database asIs(String url, String user, String password, String nodeCode) {
        return new Database(null, url, user, password, nodeCode);
    }

    /**
     * What a start does to the schema (docs/UPGRADES.md). A database whose schema is newer than the
     * migrations this server carries was migrated by a newer release: the server does not run its own
     * migrations there (its repeatable ones would put back its older function bodies), and starts only
     * when the schema's window ({@link SchemaWindow}) still includes it. Otherwise it migrates when
     * {@code migrate} says so ({@code db.migrate.on.start}); when not, pending migrations wait for
     * {@code ./gridctl migrate}, and {@code /health/ready} answers 503 until they ran.
     */
    void prepareSchema(boolean migrate) {
        Flyway flyway = flyway();
        SchemaWindow.State state = SchemaWindow.State.of(flyway.info());
        carriedVersions = state.carried();
        if (state.newer()) {
            int oldest;
            try (Connection c = connection()) {
                oldest = SchemaWindow.oldestServerSchema(c);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the schema's window: " + e.getMessage(), e);
            }
            if (!state.servedWithin(oldest)) {
                throw new IllegalStateException("the database's schema is at version " + state.applied() + ", migrated by a newer"
                        + " release, which serves releases whose migrations reach version " + oldest + " or later; this server's"
                        + " reach version " + state.newestCarried() + ". Start the newer release (docs/UPGRADES.md)");
            }
            LOG.warn("the database's schema is at version {}, newer than this server's {} (a newer release migrated it):"
                    + " serving it without migrating, within its window (servers from version {} on); this server's"
                    + " functions are not re-applied", state.applied(), state.newestCarried(), oldest);
        } else if (migrate) {
            runMigrations(flyway);
        } else if (!state.pending().isEmpty()) {
            LOG.warn("not migrating on start (db.migrate.on.start=false): versions {} are pending; /health/ready answers"
                    + " 503 until ./gridctl migrate runs them", state.pending());
        }
        recordNodeAndLogin();
    }

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration")
                .placeholderReplacement(false)
                .load();
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The role request paths log in as ({@link RequestRole}), never the owner. */
    public String requestUser() {
        return RequestRole.NAME;
    }

    public String requestPassword() {
        return RequestRole.password(password);
    }

    /** The embedded cluster, or null when an external database is configured. */
    public EmbeddedPostgres embedded() {
        return embedded;
    }

    /**
     * The versioned migrations this build carries (from classpath:db/migration), known once the database
     * was opened: a database that lacks any of them is not ready for this server (GET /health/ready).
     */
    public java.util.List<String> carriedVersions() {
        return carriedVersions;
    }

    /**
     * Runs the Flyway migrations in classpath:db/migration ({@code ./gridctl migrate}, the explicit step of
     * an upgrade); returns the schema version now in force. Refuses a database migrated by a newer release.
     */
    public String migrate() {
        Flyway flyway = flyway();
        SchemaWindow.State state = SchemaWindow.State.of(flyway.info());
        carriedVersions = state.carried();
        if (state.newer()) {
            throw new IllegalStateException("refusing to migrate: the database's schema is at version " + state.applied()
                    + ", newer than this server's " + state.newestCarried() + " (a newer release migrated it; its own"
                    + " migrations are the ones in force)");
        }
        String version = runMigrations(flyway);
        recordNodeAndLogin();
        return version;
    }

    private String runMigrations(Flyway flyway) {
        MigrateResult result = flyway.migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("schema migrated to version {} ({} migrations)", result.targetSchemaVersion, result.migrationsExecuted);
        }
        return flyway.info().current() == null ? "0" : flyway.info().current().getVersion().getVersion();
    }

    /** The platform node's code, and the request role's login (its password follows the owner's). */
    private void recordNodeAndLogin() {
        try (Connection c = connection(); var ps = c.prepareStatement("""
                INSERT INTO platform_node (code) VALUES (?)
                ON CONFLICT (singleton) DO UPDATE SET code = EXCLUDED.code
                WHERE platform_node.code IS DISTINCT FROM EXCLUDED.code""")) {
            ps.setString(1, nodeCode);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the platform node code: " + e.getMessage(), e);
        }
        try (Connection c = connection()) {
            RequestRole.enableLogin(c, password);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
    }

    /** A pooled JDBC data source for bulk paths (COPY, merges, reports). */
    public synchronized DataSource dataSource() {
        if (dataSource == null) {
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(url);
            hc.setUsername(user);
            hc.setPassword(password);
            hc.setMaximumPoolSize(4);
            hc.setPoolName("gridctl-jdbc");
            hc.addDataSourceProperty("ApplicationName", "gridctl-bulk");
            dataSource = new HikariDataSource(hc);
        }
        return dataSource;
    }

    public Connection connection() throws SQLException {
        return dataSource().getConnection();
    }

    /**
     * A connection of its own as the request role, for a request path that must COPY (a sync snapshot):
     * row-level security applies to it as to the request pool. Not pooled: such requests are rare and long.
     */
    public Connection requestConnection() throws SQLException {
        return java.sql.DriverManager.getConnection(url, requestUser(), requestPassword());
    }

    @Override
    public synchronized void close() {
        if (dataSource != null) {
            dataSource.close();
            dataSource = null;
        }
        if (embedded != null) {
            embedded.stop(false);
        }
    }
}
