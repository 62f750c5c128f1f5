package cn.haizhu.grid.server;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.server.areas.AreaQueries;
import cn.haizhu.grid.server.areas.AreaResource;
import cn.haizhu.grid.server.audit.AuditLog;
import cn.haizhu.grid.server.audit.AuditResource;
import cn.haizhu.grid.server.attachments.AttachmentResource;
import cn.haizhu.grid.server.attachments.AttachmentStore;
import cn.haizhu.grid.server.auth.AuthHandler;
import cn.haizhu.grid.server.auth.AuthResource;
import cn.haizhu.grid.server.auth.AuthService;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.features.FeatureQueries;
import cn.haizhu.grid.server.features.FeatureResource;
import cn.haizhu.grid.server.events.DatabaseEvents;
import cn.haizhu.grid.server.events.EventLog;
import cn.haizhu.grid.server.events.EventStreamResource;
import cn.haizhu.grid.data.cases.CategoryCatalogue;
import cn.haizhu.grid.data.cases.WorkingCalendar;
import cn.haizhu.grid.data.sync.NodeLevel;
import cn.haizhu.grid.server.cases.CaseActions;
import cn.haizhu.grid.server.cases.CaseIntake;
import cn.haizhu.grid.server.cases.CaseKpiReport;
import cn.haizhu.grid.server.cases.CaseKpiResource;
import cn.haizhu.grid.server.cases.CaseMap;
import cn.haizhu.grid.server.cases.CaseMapResource;
import cn.haizhu.grid.server.cases.CaseReads;
import cn.haizhu.grid.server.cases.CaseResource;
import cn.haizhu.grid.server.cases.CaseViews;
import cn.haizhu.grid.server.cases.WorkOrders;
import cn.haizhu.grid.server.cases.Escalation;
import cn.haizhu.grid.server.cases.KpiFold;
import cn.haizhu.grid.importers.load.Importer;
import cn.haizhu.grid.server.health.DatabaseHealth;
import cn.haizhu.grid.server.health.HealthResource;
import cn.haizhu.grid.server.imports.ImportJobs;
import cn.haizhu.grid.server.imports.ImportResource;
import cn.haizhu.grid.server.open311.Open311ClientResource;
import cn.haizhu.grid.server.open311.Open311Clients;
import cn.haizhu.grid.server.open311.Open311Resource;
import cn.haizhu.grid.server.people.KeyRingWatch;
import cn.haizhu.grid.server.people.PersonResource;
import cn.haizhu.grid.server.exports.ExportResource;
import cn.haizhu.grid.server.exports.Exporter;
import cn.haizhu.grid.server.places.PlaceQueries;
import cn.haizhu.grid.server.places.PlaceResource;
import cn.haizhu.grid.server.search.PlaceSearch;
import cn.haizhu.grid.server.search.SearchResource;
import cn.haizhu.grid.server.stats.DistrictStats;
import cn.haizhu.grid.server.stats.StatsResource;
import cn.haizhu.grid.server.standby.StandbyReads;
import cn.haizhu.grid.server.sync.ChangeFeed;
import cn.haizhu.grid.server.sync.OrderExchange;
import cn.haizhu.grid.server.sync.SyncConflicts;
import cn.haizhu.grid.server.sync.SyncLinks;
import cn.haizhu.grid.server.sync.SyncDigests;
import cn.haizhu.grid.server.sync.SyncNode;
import cn.haizhu.grid.server.sync.SyncPeers;
import cn.haizhu.grid.server.sync.SyncResource;
import cn.haizhu.grid.server.sync.ThisNode;
import cn.haizhu.grid.server.tiles.TileResource;
import cn.haizhu.grid.server.tiles.TileCache;
import cn.haizhu.grid.server.tiles.TileLayer;
import cn.haizhu.grid.server.tiles.TileService;
import cn.haizhu.grid.server.logs.GridLogProvider;
import cn.haizhu.grid.server.metrics.DatabaseGauges;
import cn.haizhu.grid.server.metrics.DatabasePools;
import cn.haizhu.grid.server.metrics.MetricsResource;
import cn.haizhu.grid.server.metrics.RequestMetrics;
import cn.haizhu.grid.server.metrics.ServerMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.util.function.Supplier;

/**
 * The running command center: one Vert.x instance, one reactive PostgreSQL pool for request
 * paths, the HTTP server. Used by {@link Main} and by the integration tests alike.
 */
public final class CommandCenter implements AutoCloseable {
    /** How long a stopping server lets its requests in flight finish. */
    static final long DRAIN_SECONDS = 10;
    private final Vertx vertx;
    private final io.vertx.ext.web.Router router;
    private final Pool pool;
    private final Pool system;
    private final HttpServer server;
    private final DatabaseEvents events;
    private final EventLog eventLog;
    private final Escalation escalation;
    private final KpiFold kpiFold;
    private final CaseIntake intake;
    private final KeyRingWatch keys;
    private final SyncNode sync;
    private final ServerMetrics metrics;
    private final DatabaseGauges gauges;
    private final StandbyReads standbyReads;
    private final boolean jsonLogs;

    private CommandCenter(Vertx vertx, io.vertx.ext.web.Router router, Pool pool, Pool system, HttpServer server,
                          DatabaseEvents events, EventLog eventLog, Escalation escalation, KpiFold kpiFold, CaseIntake intake,
                          KeyRingWatch keys, SyncNode sync, ServerMetrics metrics, DatabaseGauges gauges, StandbyReads standbyReads,
                          boolean jsonLogs) {
        this.vertx = vertx;
        this.router = router;
        this.pool = pool;
        this.system = system;
        this.server = server;
        this.events = events;
        this.eventLog = eventLog;
        this.escalation = escalation;
        this.kpiFold = kpiFold;
        this.intake = intake;
        this.keys = keys;
        this.sync = sync;
        this.metrics = metrics;
        this.gauges = gauges;
        this.standbyReads = standbyReads;
        this.jsonLogs = jsonLogs;
    }

    /**
     * What the features count, bound to meters: the tile cache per layer (hits, misses) and its bytes,
     * the cases taken in, the open event streams.
     */
    private static void bind(ServerMetrics metrics, TileService tiles, CaseIntake intake, EventStreamResource events) {
        TileCache cache = tiles.cache();
        for (TileLayer layer : tiles.layers().all()) {
            TileCache.Lookups lookups = cache.lookups(layer.name());
            metrics.counter(ServerMetrics.TILE_CACHE_REQUESTS, "tile requests answered from the cache (hit) or rendered (miss)",
                    lookups.hits, java.util.concurrent.atomic.LongAdder::sum, "layer", layer.name(), "result", "hit");
            metrics.counter(ServerMetrics.TILE_CACHE_REQUESTS, "tile requests answered from the cache (hit) or rendered (miss)",
                    lookups.misses, java.util.concurrent.atomic.LongAdder::sum, "layer", layer.name(), "result", "miss");
        }
        metrics.gauge(ServerMetrics.TILE_CACHE_BYTES, "bytes the cached tiles take (the cache's bound is on these)", cache, TileCache::bytes);
        metrics.gauge(ServerMetrics.TILE_CACHE_TILES, "tiles in the cache", cache, TileCache::size);
        metrics.counter(ServerMetrics.CASES_INTAKE, "cases taken in through the desk's intake and Open311 (a retry counts once)",
                intake, CaseIntake::taken);
        metrics.gauge(ServerMetrics.EVENT_STREAMS, "event streams (SSE) open now", events, EventStreamResource::openStreams);
    }

    /** The meters of this server (tests read them as a scrape would). */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** The counts read from the database, for tests that cannot wait for the next round. */
    public DatabaseGauges databaseGauges() {
        return gauges;
    }

    /** Starts serving on {@code config.httpPort()} (0 = any free port) against {@code db}, with a fixed key ring. */
    public static CommandCenter start(GridConfig config, Database db, PersonalDataCipher cipher) {
        return start(config, db, () -> cipher);
    }

    /**
     * Starts serving on {@code config.httpPort()} (0 = any free port) against {@code db}.
     *
     * @param keys reads the personal-data key ring from where it is kept, afresh on every call: at
     *             start, and whenever a key command says it changed ({@link KeyRingWatch})
     */
    public static CommandCenter start(GridConfig config, Database db, Supplier<PersonalDataCipher> keys) {
        ServerMetrics metrics = new ServerMetrics();
        // the database pools report to /metrics through Vert.x's metrics SPI (DatabasePools)
        Vertx vertx = Vertx.builder().with(DatabasePools.options()).withMetrics(new DatabasePools(metrics)).build();
        if (config.ops().jsonLogs()) {
            GridLogProvider.useJson(true);
        }
        KeyRingWatch keyRing;
        try {
            keyRing = KeyRingWatch.start(vertx, requestOptions(db), keys).await();
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        // Requests log in as the request role, under row-level security; the server's own background
        // jobs (overdue watch, KPI fold, tile-cache watch) as the owner, on a pool of their own.
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(16).setName("gridctl-requests"))
                .connectingTo(requestOptions(db))
                .using(vertx)
                .build();
        Pool system = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(2).setName("gridctl-system"))
                .connectingTo(ownerOptions(db).addProperty("application_name", "gridctl-system"))
                .using(vertx)
                .build();
        AuthService auth = new AuthService(vertx, pool);
        ThisNode node = ThisNode.of(config, db);
        ScopedPool scoped = new ScopedPool(pool);
        // tiles, search, stats and OGC reads may use the standby while it is close behind; everything
        // else, writes and the reads of write paths (the desk's cases, audited persons), the primary
        StandbyReads standby = standbyReads(vertx, config, db, pool);
        standby.meter(metrics);
        ScopedPool reads = standby.scoped();
        TileService tiles = TileService.standard(system, scoped, reads, standby.staleness());
        java.nio.file.Path uploads = config.dataDir().resolve("uploads");
        CategoryCatalogue catalogue = CategoryCatalogue.defaults();
        CaseViews caseViews = new CaseViews(catalogue, WorkingCalendar.standard());
        CaseReads caseReads = new CaseReads(scoped, caseViews);
        // a city's intake in one of its districts is that district's work order (docs/SYNC.md)
        CaseIntake intake = new CaseIntake(scoped, caseViews, caseReads, node.level() == NodeLevel.CITY);
        CaseActions caseActions = new CaseActions(scoped, caseViews, caseReads);
        WorkOrders workOrders = new WorkOrders(scoped, caseViews, caseReads, caseActions, config.nodeCode());
        CaseResource cases = new CaseResource(caseReads, intake, caseActions, caseViews, workOrders);
        AttachmentStore photos = new AttachmentStore(vertx, scoped, config.dataDir().resolve("attachments"));
        Open311Clients open311Clients = new Open311Clients(pool, system);
        SyncPeers syncPeers = new SyncPeers(pool, system, config.nodeCode(), config.dataDir());
        SyncNode[] syncNode = new SyncNode[1];   // starts once the server listens; the routes ask for it then
        SyncResource syncResource = new SyncResource(vertx, node, new ChangeFeed(vertx, scoped, keyRing),
                new cn.haizhu.grid.server.sync.SnapshotStream(db, keyRing), syncPeers,
                new SyncConflicts(vertx, scoped, db, config.nodeCode()), new SyncLinks(node, syncPeers, scoped), () -> syncNode[0],
                new SyncDigests(scoped));
        EventLog eventLog = EventLog.start(vertx, system);
        EventStreamResource events = new EventStreamResource(vertx, auth, eventLog);
        relay(vertx, auth, tiles);
        bind(metrics, tiles, intake, events);
        RequestMetrics requests = new RequestMetrics(metrics, config.ops().jsonLogs());
        TileResource tileResource = new TileResource(tiles, config.baseMap());
        var resources = new Routes.Resources(new HealthResource(new DatabaseHealth(pool, db.carriedVersions())),
                new AuthHandler(auth, SyncPeers::isKey, syncPeers::caller), new AuthResource(auth, node.toJson()),
                new AreaResource(new AreaQueries(scoped)), new StatsResource(new DistrictStats(reads, node.level())), new PersonResource(scoped, keyRing),
                new ImportResource(new ImportJobs(vertx, pool, new Importer(db, keyRing), uploads)), events,
                new AttachmentResource(photos), uploads.toString(),
                cases, new CaseKpiResource(new CaseKpiReport(scoped, catalogue)),
                new Open311Resource(open311Clients, scoped, intake, catalogue, config.open311PublicReads(), config.nodeCode(),
                        config.nodeLevel()), tileResource,
                new CaseMapResource(new CaseMap(scoped)),
                new PlaceResource(new PlaceQueries(scoped)), new SearchResource(new PlaceSearch(reads)), new AuditResource(new AuditLog(scoped)),
                new Open311ClientResource(open311Clients), syncResource,
                requests, new MetricsResource(metrics, config.ops().metricsFromLoopback()),
                new FeatureResource(new FeatureQueries(reads), tileResource.tileSets()), new ExportResource(vertx, new Exporter(db, keyRing)));
        io.vertx.ext.web.Router router = Routes.build(vertx, resources, config.listen());
        requests.label(router);
        Future<HttpServer> listening = tiles.start(vertx).compose(v -> vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
                .requestHandler(router)
                .listen(config.httpPort(), config.listen().host()));
        try {
            DatabaseEvents databaseEvents = DatabaseEvents.start(vertx, requestOptions(db)).await();
            HttpServer server = listening.await();
            syncNode[0] = SyncNode.start(config, db, syncPeers, keyRing, new OrderExchange(db, syncPeers, workOrders, photos, uploads));
            return new CommandCenter(vertx, router, pool, system, server, databaseEvents, eventLog, Escalation.start(vertx, system),
                    KpiFold.start(vertx, system), intake, keyRing, syncNode[0], metrics, DatabaseGauges.start(vertx, system, metrics),
                    standby, config.ops().jsonLogs());
        } catch (Exception e) {
            vertx.close();
            metrics.close();
            throw new IllegalStateException("cannot listen on port " + config.httpPort() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The pool for the reads that may use the standby ({@code db.standby.url}, docs/CLUSTER.md "Reads
     * from the standby"): a pool of the request role on the standby, checked against {@code primary}.
     */
    private static StandbyReads standbyReads(Vertx vertx, GridConfig config, Database db, Pool primary) {
        if (!config.standby().configured()) {
            return StandbyReads.none(primary);
        }
        Pool standby = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(16).setName("gridctl-standby-reads"))
                .connectingTo(connectOptions(config.standby().url(), db.requestUser(), db.requestPassword())
                        .addProperty("application_name", "gridctl-standby-reads"))
                .using(vertx)
                .build();
        return StandbyReads.start(vertx, primary, standby, java.time.Duration.ofMillis(config.standby().maxLagMillis()));
    }

    /** Whether the standby serves the map, search, stats and OGC reads now, for tests. */
    public StandbyReads standbyReads() {
        return standbyReads;
    }

    /**
     * What other instances' writes mean here (docs/CLUSTER.md, "Stateless instances"): the database
     * notifies every instance, and each forgets the callers of users whose tokens or accounts changed
     * and evicts the tiles a change touched. After the LISTEN connection was away, whatever was
     * notified meanwhile is unknown: every cached caller is forgotten and the tiles looked at.
     */
    private static void relay(Vertx vertx, AuthService auth, TileService tiles) {
        vertx.eventBus().<String>consumer(DatabaseEvents.AUTH_ADDRESS, m -> auth.forget(m.body()));
        vertx.eventBus().consumer(DatabaseEvents.TILES_ADDRESS, m -> tiles.changed());
        vertx.eventBus().consumer(DatabaseEvents.LISTENING_ADDRESS, m -> {
            auth.forget("*");
            tiles.changed();
        });
    }

    /**
     * Every route of the table as "METHOD path" (a regex route by its pattern; "ANY" where no method
     * is named), each once: the authorization matrix test checks that each has its entry.
     */
    public java.util.SortedSet<String> routeTable() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (io.vertx.ext.web.Route route : router.getRoutes()) {
            String name = route.getName();
            if (name == null) {
                continue;   // a handler for every request (headers, origin, auth), not a route of its own
            }
            if (route.methods() == null || route.methods().isEmpty()) {
                out.add("ANY " + name);
            } else {
                route.methods().forEach(m -> out.add(m.name() + " " + name));
            }
        }
        return out;
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

    /** The personal-data key ring this server holds now, for tests that watch it change. */
    public PersonalDataCipher keys() {
        return keys.get();
    }

    public int port() {
        return server.actualPort();
    }

    /** The request role's connection (never the owner's: see RequestRole). */
    static PgConnectOptions requestOptions(Database db) {
        return connectOptions(db.url(), db.requestUser(), db.requestPassword()).addProperty("application_name", "gridctl-server");
    }

    /** The owner's connection, for the system's own work and the owner's commands (open311-client). */
    public static PgConnectOptions ownerOptions(Database db) {
        return connectOptions(db.url(), db.user(), db.password());
    }

    private static PgConnectOptions connectOptions(String jdbcUrl, String user, String password) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        return new PgConnectOptions()
                .setHost(uri.getHost())
                .setPort(uri.getPort() == -1 ? 5432 : uri.getPort())
                .setDatabase(uri.getPath().substring(1))
                .setUser(user)
                .setPassword(password)
                .setCachePreparedStatements(true);
    }

    /**
     * Stops the command center (SIGTERM: {@code Main}'s shutdown hook). The HTTP server drains: it stops
     * accepting connections, ends the event streams (their clients reconnect elsewhere with their last
     * id) and lets the requests in flight finish, for at most {@link #DRAIN_SECONDS}; only then do the
     * pools close. A proxy in front meets a refused connection, never a request cut halfway
     * (docs/UPGRADES.md, the rolling upgrade).
     */
    @Override
    public void close() {
        try {
            sync.close();
            gauges.close();
            escalation.close();
            kpiFold.close();
            eventLog.close();
            vertx.eventBus().publish(EventStreamResource.CLOSING_ADDRESS, null);
            server.shutdown(DRAIN_SECONDS, java.util.concurrent.TimeUnit.SECONDS).await();
            standbyReads.close();
            events.close();
            keys.close();
            pool.close().await();
            system.close().await();
        } finally {
            vertx.close().await();
            metrics.close();
            if (jsonLogs) {
                GridLogProvider.useJson(false);
            }
        }
    }
}
