package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.features.filter.FilterException;
import cn.haizhu.grid.server.features.Crs;
import cn.haizhu.grid.server.features.FeatureCollection;
import cn.haizhu.grid.server.features.FeatureResource;
import cn.haizhu.grid.server.features.filter.Cql2Filters;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import cn.haizhu.grid.server.http.RequestOrigin;
import cn.haizhu.grid.server.http.ResponseOutputStream;
import cn.haizhu.grid.server.people.Disclosure;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/exports/{collection}?format=&street=&encoding=&crs=&filter=&filter-crs=&unmask=&purpose=}:
 * a collection in the caller's scope as a file to download. HTTP only: the parameters (a filter that
 * cannot run, or an unmasked view the caller may not have, is refused here, before anything is read),
 * then {@link #send}, which OGC API Features' {@code items?f=gpkg|shp|csv|xlsx|geojson} calls too with a
 * request of its own (its CQL2 filter as the request's {@link ExportRequest.Condition}).
 */
public final class ExportResource {
    private static final Logger LOG = LoggerFactory.getLogger(ExportResource.class);
    private static final Pattern STREET = Pattern.compile("\\d{9}");
    /** Exports run on their own workers, two at a time, so a district-wide export never blocks the request pool. */
    static final int CONCURRENT = 2;

    private final Exporter exporter;
    private final WorkerExecutor workers;

    public ExportResource(Vertx vertx, Exporter exporter) {
        this.exporter = exporter;
        this.workers = vertx.createSharedWorkerExecutor("gridctl-exports", CONCURRENT, 6, TimeUnit.HOURS);
    }

    /** GET /api/v1/exports/{collection} */
    public void export(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        ExportCollection collection = ExportCollection.byCode(ctx.pathParam("collection"))
                .orElseThrow(() -> ApiError.notFound("collection " + ctx.pathParam("collection")));
        Set<String> formats = new LinkedHashSet<>(ExportFormat.codes());
        ExportFormat format = ExportFormat.byCode(Params.oneOf(ctx, "format", formats, "gpkg")).orElseThrow();
        String street = Params.optional(ctx, "street", STREET, "a street code of 9 digits");
        String encoding = Params.oneOf(ctx, "encoding", Set.of("GBK", "UTF-8"), null);
        String crs = Params.oneOf(ctx, "crs", Set.of("EPSG:4326", "EPSG:4490"), null);
        Charset dbf = encoding == null ? null : ExportCrs.dbfCharset(encoding).orElseThrow();
        ExportCrs declared = crs == null ? null : ExportCrs.byName(crs).orElseThrow();
        Disclosure disclosure = Disclosure.asked(caller, Params.flag(ctx, "unmask"), Params.text(ctx, "purpose"), false);
        if (disclosure.unmasked() && !collection.personal()) {
            throw ApiError.badRequest("invalid_parameter", "unmask applies to persons only: " + collection.code()
                    + " hold no masked personal data", new JsonObject().put("parameter", "unmask"));
        }
        ExportRequest.Condition condition;
        try {
            condition = ExportFilter.of(collection, Params.text(ctx, "filter"), Params.text(ctx, "filter-crs"));
        } catch (FilterException e) {
            throw e.toApiError();
        }
        send(ctx, new ExportRequest(collection, format, reader(caller), street, condition, declared, dbf, disclosure));
    }

    /** Whether an OGC items request asks for a file ({@code f=gpkg|shp|csv|xlsx|geojson}) rather than a page. */
    public static boolean asksForFile(RoutingContext ctx) {
        String f = Params.text(ctx, "f");
        return f != null && !f.equals("json") && !f.equals("html") && ExportFormat.byCode(f).isPresent();
    }

    /**
     * GET /collections/{collectionId}/items?f=gpkg|shp|csv|xlsx|geojson: everything the request selects
     * (its {@code filter}, {@code bbox} and {@code datetime}; not one page: {@code limit} and the page keys
     * do not apply to a file) as the file an export of the collection writes. {@code crs} may be CRS84,
     * EPSG:4326 or EPSG:4490, the ones a file is written in; a shapefile's text is GBK.
     */
    public void items(RoutingContext ctx) {
        Params.onlyDeclared(ctx);
        String id = ctx.pathParam("collectionId");
        FeatureCollection features = FeatureCollection.find(id).orElseThrow(() -> ApiError.notFound("collection " + id));
        ExportCollection collection = ExportCollection.byCode(features.id()).orElseThrow(() -> ApiError.notFound("collection " + id));
        ExportFormat format = ExportFormat.byCode(Params.text(ctx, "f")).orElseThrow();
        Crs crs = FeatureResource.crs(ctx, "crs");
        ExportCrs declared = crs.srid() == 4490 ? ExportCrs.CGCS2000 : crs.srid() == 4326 ? ExportCrs.WGS84 : null;
        if (declared == null) {
            throw ApiError.badRequest("invalid_parameter", "a file is written in CRS84, EPSG:4326 or EPSG:4490, not " + crs.uri(),
                    new JsonObject().put("parameter", "crs"));
        }
        ExportRequest.Condition condition;
        try {
            condition = ExportFilter.all(collection, selection(ctx, features));
        } catch (FilterException e) {
            throw e.toApiError();
        }
        send(ctx, new ExportRequest(collection, format, reader(Caller.of(ctx)), null, condition, declared, null));
    }

    /**
     * The items request's selection as CQL2 text, each with the CRS its geometry is in: the filter, the
     * bbox as {@code S_INTERSECTS} with a {@code BBOX} in bbox-crs (numbers parsed first, so only numbers
     * go into the text), the datetime as comparisons of the collection's time with {@code TIMESTAMP}s.
     */
    private static java.util.List<ExportFilter.Part> selection(RoutingContext ctx, FeatureCollection c) {
        java.util.List<ExportFilter.Part> parts = new java.util.ArrayList<>();
        String filter = Params.text(ctx, "filter");
        if (filter != null && !filter.isBlank()) {
            Cql2Filters.requireCql2Text(Params.text(ctx, "filter-lang"));
            parts.add(new ExportFilter.Part(filter, Params.text(ctx, "filter-crs")));
        }
        double[] b = FeatureResource.bbox(Params.text(ctx, "bbox"));
        if (b != null) {
            parts.add(new ExportFilter.Part("S_INTERSECTS(geometry, BBOX(" + b[0] + ", " + b[1] + ", " + b[2] + ", " + b[3] + "))",
                    FeatureResource.crs(ctx, "bbox-crs").uri()));
        }
        java.time.OffsetDateTime[] span = FeatureResource.datetime(Params.text(ctx, "datetime"));
        String at = c.temporal() ? "created_at" : "updated_at";
        if (span[0] != null) {
            parts.add(new ExportFilter.Part(at + " >= TIMESTAMP('" + span[0].toInstant() + "')", null));
        }
        if (span[1] != null) {
            parts.add(new ExportFilter.Part(at + " <= TIMESTAMP('" + span[1].toInstant() + "')", null));
        }
        return parts;
    }

    /** The reader row-level security will see: the caller's scope and grid worker; {@link #send} adds where the request came from. */
    public static ExportRequest.Reader reader(Caller caller) {
        return new ExportRequest.Reader(caller.username(), caller.scope(), caller.workerId(), caller.accountId(), caller.role(),
                null, null);
    }

    /** The caller as the audit names them: account, role, client address and the path asked. */
    private static ExportRequest.Reader reader(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        return new ExportRequest.Reader(caller.username(), caller.scope(), caller.workerId(), caller.accountId(), caller.role(),
                RequestOrigin.of(ctx).clientAddress(), ctx.request().path());
    }

    /**
     * Streams the export as the answer: the collection's permission checked, a street outside a street
     * caller's scope refused (403), then, on an export worker, the audit entry, the query, and the file as
     * an attachment: a format written front to back (CSV, GeoJSON) sends its headers and first bytes as
     * soon as the query has sent its first rows; the others when their file is built. The reader is
     * always the request's caller, from where they asked. A failure before the first byte is the usual
     * error answer; after it, the connection is cut (the client sees a broken download, never a file
     * that looks whole).
     */
    public void send(RoutingContext ctx, ExportRequest asked) {
        Caller caller = Caller.of(ctx);
        ExportRequest r = asked.by(reader(ctx));
        if (!caller.can(r.collection().permission())) {
            throw ApiError.forbidden("exporting " + r.collection().code() + " needs " + r.collection().permission());
        }
        if (!r.street().isEmpty() && caller.scope().kind().equals("street") && !r.street().equals(caller.scope().code())) {
            throw ApiError.forbidden("street " + r.street() + " lies outside your scope " + caller.scope().code());
        }
        String name = Exporter.fileName(r);
        var response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", r.format().mediaType())
                .putHeader("Content-Disposition", "attachment; filename=\"" + r.collection().code() + "." + r.format().extension()
                        + "\"; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))
                .putHeader("Cache-Control", "no-store");
        long t0 = System.nanoTime();
        workers.executeBlocking(() -> {
            try (ResponseOutputStream out = new ResponseOutputStream(response)) {
                return exporter.toStream(r, out);
            }
        }, false).onSuccess(rows -> {
            response.end();
            // the audit entry was written before the first row and is append-only: the count goes to the log
            LOG.info("export {} ({}) for user {}: {} rows in {} ms", r.collection().code(), r.format().code(),
                    caller.userId(), rows, (System.nanoTime() - t0) / 1_000_000);
        }).onFailure(e -> {
            if (response.headWritten()) {
                response.reset();
            } else {
                ctx.fail(e instanceof ShapefileWriter.ShapefileTooLarge
                        ? ApiError.badRequest("export_too_large", e.getMessage(), new JsonObject().put("format", r.format().code()))
                        : e instanceof FilterException refused ? refused.toApiError() : e);
            }
        });
    }
}
