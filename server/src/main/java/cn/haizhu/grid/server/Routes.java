package cn.haizhu.grid.server;

import cn.haizhu.grid.server.areas.AreaResource;
import cn.haizhu.grid.server.audit.AuditResource;
import cn.haizhu.grid.server.attachments.AttachmentResource;
import cn.haizhu.grid.server.attachments.ImageCheck;
import cn.haizhu.grid.server.auth.AuthHandler;
import cn.haizhu.grid.server.auth.AuthResource;
import cn.haizhu.grid.server.events.EventStreamResource;
import cn.haizhu.grid.server.features.FeatureResource;
import cn.haizhu.grid.server.cases.CaseKpiResource;
import cn.haizhu.grid.server.cases.CaseMapResource;
import cn.haizhu.grid.server.cases.CaseResource;
import cn.haizhu.grid.server.health.HealthResource;
import cn.haizhu.grid.server.http.BodyTypes;
import cn.haizhu.grid.server.http.Failures;
import cn.haizhu.grid.server.http.RequestOrigin;
import cn.haizhu.grid.server.http.SecurityHeaders;
import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.server.exports.ExportResource;
import cn.haizhu.grid.server.imports.ImportResource;
import cn.haizhu.grid.server.metrics.MetricsResource;
import cn.haizhu.grid.server.metrics.RequestMetrics;
import cn.haizhu.grid.server.metrics.RouteTemplates;
import cn.haizhu.grid.server.open311.Open311ClientResource;
import cn.haizhu.grid.server.open311.Open311Resource;
import cn.haizhu.grid.server.people.PersonResource;
import cn.haizhu.grid.server.places.PlaceResource;
import cn.haizhu.grid.server.search.SearchResource;
import cn.haizhu.grid.server.stats.StatsResource;
import cn.haizhu.grid.server.sync.SyncConflicts;
import cn.haizhu.grid.server.sync.SyncLinks;
import cn.haizhu.grid.server.sync.SyncPeers;
import cn.haizhu.grid.server.sync.SyncResource;
import cn.haizhu.grid.server.tiles.TileResource;
import cn.haizhu.grid.server.features.filter.QueryablesResource;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The one route table of the command center. Order matters: public routes first, then the auth
 * handler, then everything else (deny by default).
 */
final class Routes {
    /** Request bodies of the JSON API; uploads get their own limit on their own routes. */
    static final long MAX_BODY = 1 << 20;

    private Routes() {
    }

    record Resources(HealthResource health, AuthHandler authHandler, AuthResource auth, AreaResource areas,
                     StatsResource stats, PersonResource persons, ImportResource imports,
                     EventStreamResource events, AttachmentResource attachments, String uploadsDir,
                     CaseResource cases, CaseKpiResource caseKpis,
                     Open311Resource open311, TileResource tiles, CaseMapResource caseMap, PlaceResource places,
                     SearchResource search, AuditResource audit, Open311ClientResource open311Clients, SyncResource sync,
                     RequestMetrics requests, MetricsResource metrics, FeatureResource features, ExportResource exports) {
    }

    /** Bodies each kind of route takes; anything else is 415 (a text/plain POST is no JSON POST). */
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String MULTIPART = "multipart/form-data";

    static Router build(Vertx vertx, Resources r, GridConfig.Listen listen) {
        Router router = Router.router(vertx);
        // HEAD wherever GET works (RFC 9110): routed as the GET; Vert.x sends a HEAD answer's headers without its body.
        router.route().method(HttpMethod.HEAD).handler(ctx -> ctx.reroute(HttpMethod.GET, ctx.request().uri()));
        // then every request is timed and counted under its route template (and logged, with JSON logs)
        router.route().handler(r.requests());
        router.route().handler(new SecurityHeaders(r.tiles().baseMap()));
        router.route().handler(RequestOrigin.resolver(listen.trustedProxies()));
        router.route().failureHandler(Failures::handle);
        // Requests no route answers (unknown path, wrong method, body too large) get the same error format.
        for (int status : new int[] {400, 404, 405, 413, 415}) {
            router.errorHandler(status, Failures::handle);
        }
        // JSON bodies everywhere but the upload route, which streams its file to disk after auth.
        router.routeWithRegex("/api/(?!v1/imports$|v1/attachments$).*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));

        // Public: health and the probes, the login page and what it needs, the pages' icon, third-party browser libraries.
        router.get("/health").handler(r.health()::health);
        router.get("/health/live").handler(r.health()::live);
        router.get("/health/ready").handler(r.health()::ready);
        // metrics: a scraper on this machine without an account (metrics.loopback); anyone else signs in, below
        router.get("/metrics").handler(r.metrics()::fromThisMachine);
        router.get("/login").handler(Routes::loginPage);
        // browsers ask for it on every page, the login page first: a 401 there is only noise in the logs
        router.get("/favicon.ico").handler(Routes::favicon);
        router.get("/assets/*").handler(StaticHandler.create("web/assets").setCachingEnabled(false)
                .setDefaultContentEncoding("UTF-8"));
        router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setCachingEnabled(true)
                .setMaxAgeSeconds(86400));
        router.post("/api/v1/auth/login").handler(BodyTypes.only(JSON, FORM)).handler(r.auth()::login);
        router.post("/api/v1/auth/logout").handler(r.auth()::logout);
        router.post("/api/v1/auth/token").handler(BodyTypes.only(JSON)).handler(r.auth()::issueToken);
        router.get("/api/v1/openapi.json").handler(Routes::openApi);
        // the same document where OGC API clients look for it (the landing page's service-desc)
        router.get("/api").handler(r.features()::api);
        // The API page: Swagger UI over that document, public like it (docs/SECURITY.md); its files in its own folder.
        router.get("/api/docs/*").handler(web("web/api/docs"));
        router.post("/api/v1/imports").handler(BodyTypes.only(MULTIPART)).handler(Routes::pauseUntilAuthenticated);
        router.post("/api/v1/attachments").handler(BodyTypes.only(MULTIPART)).handler(Routes::pauseUntilAuthenticated);

        // Open311 GeoReport v2: its own key (api_key) and its own error shape (see the open311 package).
        String fmt = "\\.(?<format>json|xml)";
        router.getWithRegex("/open311/v2/discovery" + fmt).handler(r.open311()::discovery);
        router.getWithRegex("/open311/v2/services" + fmt).handler(r.open311()::services);
        router.getWithRegex("/open311/v2/services/(?<code>[A-Za-z0-9]{1,20})" + fmt).handler(r.open311()::service);
        router.postWithRegex("/open311/v2/requests" + fmt).handler(BodyTypes.only(FORM, MULTIPART));
        router.postWithRegex("/open311/v2/requests" + fmt).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
                .handler(r.open311()::postRequest);
        router.getWithRegex("/open311/v2/requests" + fmt).handler(r.open311()::requests);
        router.getWithRegex("/open311/v2/requests/(?<id>[A-Za-z0-9-]{1,40})" + fmt).handler(r.open311()::request);
        router.getWithRegex("/open311/v2/tokens/(?<token>[A-Za-z0-9-]{1,40})" + fmt).handler(r.open311()::token);
        // mySociety's extension: status updates since a date, as FixMyStreet syncs them
        router.getWithRegex("/open311/v2/servicerequestupdates" + fmt).handler(r.open311()::serviceRequestUpdates);

        // Everything below needs a session cookie or a bearer token.
        router.route().handler(r.authHandler()::authenticate);
        router.delete("/api/v1/auth/token").handler(r.auth()::revokeToken);
        router.get("/api/v1/me").handler(r.auth()::me);
        router.get("/metrics").handler(AuthHandler.require(MetricsResource.PERMISSION)).handler(r.metrics()::scrape);
        // Live events: each caller hears only the kinds their role may read, inside their data scope.
        router.get("/api/v1/events").handler(AuthHandler.require("areas.read")).handler(r.events()::stream);

        router.get("/api/v1/areas").handler(AuthHandler.require("areas.read")).handler(r.areas()::listAreas);
        router.get("/api/v1/areas/:code").handler(AuthHandler.require("areas.read")).handler(r.areas()::getArea);
        router.get("/api/v1/grids").handler(AuthHandler.require("areas.read")).handler(r.areas()::listGrids);
        router.get("/api/v1/grids/:code").handler(AuthHandler.require("areas.read")).handler(r.areas()::getGrid);
        router.get("/api/v1/stats/district").handler(AuthHandler.require("records.read")).handler(r.stats()::district);
        router.get("/api/v1/persons").handler(AuthHandler.require("records.read")).handler(r.persons()::list);
        router.get("/api/v1/persons/lookup").handler(AuthHandler.require("records.read")).handler(r.persons()::lookup);
        router.get("/api/v1/houses/:code").handler(AuthHandler.require("records.read")).handler(r.places()::house);
        router.get("/api/v1/enterprises/:creditCode").handler(AuthHandler.require("records.read")).handler(r.places()::enterprise);
        // a collection as a file (GeoPackage, zipped Shapefile, CSV, XLSX, GeoJSON); cases need cases.read as well
        router.get("/api/v1/exports/:collection").handler(AuthHandler.require("records.read")).handler(r.exports()::export);
        router.get("/api/v1/audit/personal-data").handler(AuthHandler.require("audit.read")).handler(r.audit()::personalData);
        router.get("/api/v1/audit/alerts").handler(AuthHandler.require("audit.read")).handler(r.audit()::alerts);
        router.get("/api/v1/search").handler(AuthHandler.require("areas.read")).handler(r.search()::search);

        // Cases (案件). kpis, map and by-grid before :id, or they would be read as case ids.
        router.get("/api/v1/case-categories").handler(AuthHandler.require("cases.read")).handler(r.cases()::categories);
        router.get("/api/v1/cases/kpis").handler(AuthHandler.require("cases.read")).handler(r.caseKpis()::kpis);
        router.get("/api/v1/cases/map").handler(AuthHandler.require("cases.read")).handler(r.caseMap()::points);
        router.get("/api/v1/cases/by-grid").handler(AuthHandler.require("cases.read")).handler(r.caseMap()::byGrid);
        router.get("/api/v1/cases").handler(AuthHandler.require("cases.read")).handler(r.cases()::list);
        router.post("/api/v1/cases").handler(BodyTypes.only(JSON)).handler(AuthHandler.require("cases.report")).handler(r.cases()::intake);
        // Work orders from a level above (派单, and its 回访/重办/驳回退单): peer platforms only (WorkOrders).
        router.post("/api/v1/cases/work-orders").handler(BodyTypes.only(JSON)).handler(AuthHandler.require("cases.report"))
                .handler(r.cases()::receiveWorkOrder);
        router.post("/api/v1/cases/work-orders/:origin/:number/actions").handler(BodyTypes.only(JSON))
                .handler(AuthHandler.require("cases.act")).handler(r.cases()::workOrderAction);
        router.get("/api/v1/cases/:id").handler(AuthHandler.require("cases.read")).handler(r.cases()::get);
        router.get("/api/v1/cases/:id/duplicates").handler(AuthHandler.require("cases.read")).handler(r.cases()::duplicatesOf);
        router.post("/api/v1/cases/:id/actions").handler(BodyTypes.only(JSON)).handler(AuthHandler.require("cases.act")).handler(r.cases()::act);

        // Open311 client keys: administrators issue (the key is shown once), list and revoke them.
        router.get("/api/v1/open311-clients").handler(AuthHandler.require("users.manage")).handler(r.open311Clients()::list);
        router.post("/api/v1/open311-clients").handler(BodyTypes.only(JSON)).handler(AuthHandler.require("users.manage")).handler(r.open311Clients()::create);
        router.delete("/api/v1/open311-clients/:name").handler(AuthHandler.require("users.manage"))
                .handler(r.open311Clients()::revoke);

        // The three-level exchange (docs/SYNC.md): peers call with their sync keys; the owner's officers decide conflicts.
        router.get("/api/v1/sync/hello").handler(AuthHandler.require(SyncPeers.PERMISSION)).handler(r.sync()::hello);
        router.get("/api/v1/sync/changes").handler(AuthHandler.require(SyncPeers.PERMISSION)).handler(r.sync()::changes);
        router.get("/api/v1/sync/snapshot").handler(AuthHandler.require(SyncPeers.PERMISSION)).handler(r.sync()::snapshot);
        router.post("/api/v1/sync/hint").handler(AuthHandler.require(SyncPeers.PERMISSION)).handler(r.sync()::hint);
        router.post("/api/v1/sync/register").handler(BodyTypes.only(JSON)).handler(AuthHandler.require(SyncPeers.PERMISSION))
                .handler(r.sync()::register);
        // the "1+18" network on the wall: the staff who watch it, never a peer
        router.get("/api/v1/sync/links").handler(AuthHandler.require(SyncLinks.PERMISSION)).handler(r.sync()::links);
        router.get("/api/v1/sync/digest").handler(AuthHandler.require(SyncPeers.PERMISSION)).handler(r.sync()::digest);
        router.get("/api/v1/sync/digest/:table").handler(AuthHandler.require(SyncPeers.PERMISSION)).handler(r.sync()::digestRecords);
        router.get("/api/v1/sync/conflicts").handler(AuthHandler.require(SyncConflicts.PERMISSION)).handler(r.sync()::conflicts);
        router.post("/api/v1/sync/conflicts/:id/decide").handler(BodyTypes.only(JSON)).handler(AuthHandler.require(SyncConflicts.PERMISSION))
                .handler(r.sync()::decide);

        // Map tiles (vector, PostGIS-built, in the caller's scope) and the feed of where they changed.
        router.get("/api/v1/map-config").handler(AuthHandler.require("areas.read")).handler(r.tiles()::mapConfig);
        router.get("/tiles/changes").handler(AuthHandler.require("areas.read")).handler(r.tiles()::changes);
        router.getWithRegex(TileResource.TILEJSON_PATH)
                .handler(AuthHandler.require("areas.read")).handler(r.tiles()::tileJson);
        router.getWithRegex(TileResource.XYZ_PATH)
                .handler(AuthHandler.require("areas.read")).handler(r.tiles()::xyz);
        router.getWithRegex(TileResource.OGC_PATH)
                .handler(AuthHandler.require("areas.read")).handler(r.tiles()::ogc);
        // OGC API – Tiles: the tilesets of a layer, their metadata, and the tile matrix set they use
        router.getWithRegex(TileResource.TILESETS_PATH)
                .handler(AuthHandler.require("areas.read")).handler(r.tiles()::tilesets);
        router.getWithRegex(TileResource.TILESET_PATH)
                .handler(AuthHandler.require("areas.read")).handler(r.tiles()::tileset);
        router.get("/tileMatrixSets").handler(AuthHandler.require("areas.read")).handler(r.tiles()::tileMatrixSets);
        router.get("/tileMatrixSets/WebMercatorQuad").handler(AuthHandler.require("areas.read")).handler(r.tiles()::webMercatorQuad);

        // OGC API – Features at the root (docs/ARCHITECTURE.md): the landing page for a client asking JSON (the wall
        // page below otherwise), the collections a role reads (each collection checks its own permission too).
        router.get("/").handler(r.features()::landing);
        router.get("/conformance").handler(r.features()::conformance);
        router.get("/collections").handler(AuthHandler.require("areas.read")).handler(r.features()::collections);
        router.get("/collections/:collectionId").handler(AuthHandler.require("areas.read")).handler(r.features()::collection);
        // items as a file (f=gpkg|shp|csv|xlsx|geojson) are an export of the same selection; a page otherwise
        router.get("/collections/:collectionId/items").handler(AuthHandler.require("areas.read"))
                .handler(ctx -> {
                    if (ExportResource.asksForFile(ctx)) {
                        r.exports().items(ctx);
                    } else {
                        r.features().items(ctx);
                    }
                });
        router.get("/collections/:collectionId/items/:featureId").handler(AuthHandler.require("areas.read"))
                .handler(r.features()::item);
        // What a CQL2 filter on a feature collection may name (OGC API Features Part 3).
        router.get(QueryablesResource.PATH).handler(AuthHandler.require("areas.read")).handler(QueryablesResource::queryables);

        // The permission check is its own route: Vert.x runs body handlers before user handlers on one route,
        // and no upload should be read for a caller who may not import.
        router.post("/api/v1/imports").handler(AuthHandler.require("imports.run"));
        router.post("/api/v1/imports")
                .handler(BodyHandler.create(r.uploadsDir()).setBodyLimit(ImportResource.MAX_UPLOAD)
                        .setDeleteUploadedFilesOnEnd(false).setMergeFormAttributes(true))
                .handler(r.imports()::start);
        router.get("/api/v1/imports").handler(AuthHandler.require("imports.run")).handler(r.imports()::list);
        router.get("/api/v1/imports/:id").handler(AuthHandler.require("imports.run")).handler(r.imports()::get);
        router.get("/api/v1/imports/:id/rejects.csv").handler(AuthHandler.require("imports.run")).handler(r.imports()::rejects);

        // Photos: checked for size, type and content; the body limit refuses oversize ones before they are stored.
        router.post("/api/v1/attachments").handler(AuthHandler.require("attachments.write"));
        router.post("/api/v1/attachments")
                .handler(BodyHandler.create(r.uploadsDir()).setBodyLimit(ImageCheck.MAX_BYTES + (64 << 10))
                        .setDeleteUploadedFilesOnEnd(false).setMergeFormAttributes(true))
                .handler(r.attachments()::upload);
        // Which photos a reader sees is row-level security's business (V23); reading them at all is case work,
        // and a peer platform's sync key fetches the photos of the work orders it is party to (V37, docs/SYNC.md).
        router.get("/api/v1/attachments/:id").handler(AuthHandler.requireAny("cases.read", SyncPeers.PERMISSION))
                .handler(r.attachments()::get);
        router.get("/api/v1/attachments/:id/thumbnail").handler(AuthHandler.require("cases.read")).handler(r.attachments()::thumbnail);
        router.get("/api/v1/attachments/:id/meta").handler(AuthHandler.require("cases.read")).handler(r.attachments()::meta);

        // The pages (wall, desk, tablet, imports, audit): signed-in users only. The wall, in wall/, is
        // also the home page.
        router.get("/").handler(web("web/wall"));
        router.get("/*").handler(web("web"));
        return router;
    }

    /**
     * Uploads wait (paused) while the caller is authenticated; their body handler resumes them. Whatever
     * happens after (refused, malformed, too large, cut off, failed), the files the body handler wrote for
     * this request are deleted when it ends, the connection's loss included: a handler keeps an upload by
     * moving it away first.
     */
    private static void pauseUntilAuthenticated(io.vertx.ext.web.RoutingContext ctx) {
        ctx.request().pause();
        ctx.addEndHandler(ended -> ctx.cancelAndCleanupFileUploads());
        ctx.next();
    }

    /** The OpenAPI 3.0 description of the API, public like any API's documentation. */
    private static void openApi(io.vertx.ext.web.RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-cache").sendFile("api/openapi.json");
    }

    /** The pages' icon (also linked from them as /assets/favicon.svg), the same for everyone. */
    private static void favicon(io.vertx.ext.web.RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "image/x-icon")
                .putHeader("Cache-Control", "public, max-age=86400").sendFile("web/assets/favicon.ico");
    }

    private static void loginPage(io.vertx.ext.web.RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").sendFile("web/login.html");
    }

    /** The browser apps, built by map-web into the jar under web/ (root: web or one app's folder in it). */
    private static StaticHandler web(String root) {
        return StaticHandler.create(root).setIndexPage("index.html").setCachingEnabled(false)
                .setDefaultContentEncoding("UTF-8");
    }
}
