package cn.haizhu.grid.server;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.server.areas.AreaResource;
import cn.haizhu.grid.server.attachments.AttachmentResource;
import cn.haizhu.grid.server.auth.AuthHandler;
import cn.haizhu.grid.server.auth.AuthResource;
import cn.haizhu.grid.server.auth.AuthService;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.events.DatabaseEvents;
import cn.haizhu.grid.server.events.EventStreamResource;
import cn.haizhu.grid.data.dispatch.CategoryCatalogue;
import cn.haizhu.grid.data.dispatch.WorkingCalendar;
import cn.haizhu.grid.server.cases.CaseActions;
import cn.haizhu.grid.server.cases.CaseIntake;
import cn.haizhu.grid.server.cases.CaseKpiResource;
import cn.haizhu.grid.server.cases.CaseMapResource;
import cn.haizhu.grid.server.cases.CaseResource;
import cn.haizhu.grid.server.cases.CaseViews;
import cn.haizhu.grid.server.cases.Escalation;
import cn.haizhu.grid.server.cases.KpiFold;
import cn.haizhu.grid.importers.load.Importer;
import cn.haizhu.grid.server.health.HealthResource;
import cn.haizhu.grid.server.imports.ImportResource;
import cn.haizhu.grid.server.open311.Open311ClientResource;
import cn.haizhu.grid.server.open311.Open311Clients;
import cn.haizhu.grid.server.open311.Open311Resource;
import cn.haizhu.grid.server.people.PersonResource;
import cn.haizhu.grid.server.places.PlaceResource;
import cn.haizhu.grid.server.search.SearchResource;
import cn.haizhu.grid.server.stats.StatsResource;
import cn.haizhu.grid.server.tiles.TileResource;
import cn.haizhu.grid.server.tiles.TileService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;

/**
 * The running command center: one Vert.x instance, one reactive PostgreSQL pool for request
 * paths, the HTTP server. Used by {@link Main} and by the integration tests alike.
 */
public final class CommandCenter implements AutoCloseable {
    private final Vertx vertx;
    private final Pool pool;
    private final HttpServer server;
    private final DatabaseEvents events;
    private final Escalation escalation;
    private final KpiFold kpiFold;
    private final CaseIntake intake;

    private CommandCenter(Vertx vertx, Pool pool, HttpServer server, DatabaseEvents events, Escalation escalation,
                          KpiFold kpiFold, CaseIntake intake) {
        this.vertx = vertx;
        this.pool = pool;
        this.server = server;
        this.events = events;
        this.escalation = escalation;
        this.kpiFold = kpiFold;
        this.intake = intake;
    }

    /** Starts serving on {@code config.httpPort()} (0 = any free port) against {@code db}. */
    public static CommandCenter start(GridConfig config, Database db, PersonalDataCipher cipher) {
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(16).setName("gridctl-requests"))
                .connectingTo(connectOptions(db))
                .using(vertx)
                .build();
        AuthService auth = new AuthService(vertx, pool);
        ScopedPool scoped = new ScopedPool(pool);
        TileService tiles = TileService.standard(pool, scoped);
        java.nio.file.Path uploads = config.dataDir().resolve("uploads");
        CategoryCatalogue catalogue = CategoryCatalogue.defaults();
        CaseViews caseViews = new CaseViews(catalogue, WorkingCalendar.standard());
        CaseResource cases = new CaseResource(scoped, caseViews);
        CaseIntake intake = new CaseIntake(scoped, caseViews, cases);
        Open311Clients open311Clients = new Open311Clients(pool);
        var resources = new Routes.Resources(new HealthResource(pool), new AuthHandler(auth), new AuthResource(auth),
                new AreaResource(scoped), new StatsResource(scoped), new PersonResource(scoped, cipher),
                new ImportResource(vertx, pool, new Importer(db, cipher), uploads), new EventStreamResource(vertx),
                new AttachmentResource(vertx, scoped, config.dataDir().resolve("attachments")), uploads.toString(),
                cases, intake, new CaseActions(scoped, caseViews), new CaseKpiResource(scoped, catalogue),
                new Open311Resource(open311Clients, scoped, intake, catalogue), new TileResource(tiles, config.baseMap()), new CaseMapResource(scoped),
                new PlaceResource(scoped), new SearchResource(scoped), new Open311ClientResource(open311Clients));
        Future<HttpServer> listening = tiles.start(vertx).compose(v -> vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
                .requestHandler(Routes.build(vertx, resources))
                .listen(config.httpPort()));
        try {
            DatabaseEvents events = DatabaseEvents.start(vertx, connectOptions(db)).await();
            HttpServer server = listening.await();
            return new CommandCenter(vertx, pool, server, events, Escalation.start(vertx, pool),
                    KpiFold.start(vertx, pool), intake);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot listen on port " + config.httpPort() + ": " + e.getMessage(), e);
        }
    }

    /** The overdue watch, for tests that cannot wait a minute. */
    public Escalation escalation() {
        return escalation;
    }

    /** The fold of the KPI counts, for tests that compare the report before and after it. */
    public KpiFold kpiFold() {
        return kpiFold;
    }

    /** 受理, for tests that look at how intakes were grouped. */
    public CaseIntake intake() {
        return intake;
    }

    public int port() {
        return server.actualPort();
    }

    static PgConnectOptions connectOptions(Database db) {
        URI uri = URI.create(db.url().substring("jdbc:".length()));
        return new PgConnectOptions()
                .setHost(uri.getHost())
                .setPort(uri.getPort() == -1 ? 5432 : uri.getPort())
                .setDatabase(uri.getPath().substring(1))
                .setUser(db.user())
                .setPassword(db.password())
                .setCachePreparedStatements(true)
                .addProperty("application_name", "gridctl-server");
    }

    @Override
    public void close() {
        try {
            escalation.close();
            kpiFold.close();
            server.close().await();
            events.close();
            pool.close().await();
        } finally {
            vertx.close().await();
        }
    }
}
