package cn.haizhu.grid.server.metrics;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.logs.AccessLog;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * First handler of the route table: times every request from its arrival to the end of its answer
 * (or its connection's loss) and counts it under its route template, method and status; with JSON
 * logs it also writes the request's one access line ({@link AccessLog}). The path as asked, the query
 * string and the body are never recorded: they may hold an ID number (/api/v1/persons/lookup).
 */
public final class RequestMetrics implements Handler<RoutingContext> {
    private final ServerMetrics metrics;
    private final boolean accessLog;
    private volatile RouteTemplates templates;

    public RequestMetrics(ServerMetrics metrics, boolean accessLog) {
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    /** Labels the routes of the finished table; requests before this count as unmatched. */
    public void label(Router router) {
        templates = RouteTemplates.label(router, metrics.registry());
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addEndHandler(ended -> ended(ctx, start));
        ctx.next();
    }

    private void ended(RoutingContext ctx, long start) {
        long nanos = System.nanoTime() - start;
        RouteTemplates t = templates;
        if (t == null) {
            return;
        }
        RouteMeters meters = t.of(ctx.currentRoute(), ctx.request().method(), ctx.request().path());
        int status = ctx.response().getStatusCode();
        meters.record(ctx.request().method(), status, nanos);
        if (accessLog) {
            AccessLog.write(meters.template(), ctx.request().method().name(), status, nanos, Caller.ifSignedIn(ctx));
        }
    }
}
