package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import cn.haizhu.grid.server.http.ResponseOutputStream;
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

/**
 * {@code GET /api/v1/exports/{collection}?format=&street=&encoding=&crs=}: a collection in the caller's
 * scope as a file to download. HTTP only: the parameters, then {@link #send}, which OGC API Features'
 * {@code items?f=gpkg|shp|csv|xlsx|geojson} calls too with a request of its own (its CQL2 filter as the
 * request's {@link ExportRequest.Condition}).
 */
public final class ExportResource {
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
        send(ctx, new ExportRequest(collection, format, reader(caller), street, null, declared, dbf));
    }

    /** The reader row-level security will see: the caller's scope and grid worker. */
    public static ExportRequest.Reader reader(Caller caller) {
        return new ExportRequest.Reader(caller.username(), caller.scope(), caller.workerId());
    }

    /**
     * Streams the export as the answer: the collection's permission checked, a street outside a street
     * caller's scope refused (403), then the file as an attachment, written on an export worker. A failure
     * before the first byte is the usual error answer; after it, the connection is cut (the client sees a
     * broken download, never a file that looks whole).
     */
    public void send(RoutingContext ctx, ExportRequest r) {
        Caller caller = Caller.of(ctx);
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
        workers.executeBlocking(() -> {
            try (ResponseOutputStream out = new ResponseOutputStream(response)) {
                return exporter.toStream(r, out);
            }
        }, false).onSuccess(rows -> response.end()).onFailure(e -> {
            if (response.headWritten()) {
                response.reset();
            } else {
                ctx.fail(e instanceof ShapefileWriter.ShapefileTooLarge
                        ? ApiError.badRequest("export_too_large", e.getMessage(), new JsonObject().put("format", r.format().code()))
                        : e);
            }
        });
    }
}
