package cn.haizhu.grid.server.metrics;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * GET /metrics in the Prometheus text format. Two doors: a scraper on the server's own machine that
 * talks to it directly is answered without an account ({@link #fromThisMachine}, while
 * {@code metrics.loopback} is on); anyone else signs in and needs {@code metrics.read} (the roles ops
 * and admin). A request that came through a proxy is never "this machine", even when the proxy runs
 * on it: the proxy says so with its forwarding headers.
 */
public final class MetricsResource {
    /** The version Prometheus' text format names (what registry.scrape() writes). */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    public static final String PERMISSION = "metrics.read";

    private final ServerMetrics metrics;
    private final boolean openOnLoopback;

    public MetricsResource(ServerMetrics metrics, boolean openOnLoopback) {
        this.metrics = metrics;
        this.openOnLoopback = openOnLoopback;
    }

    /** Before sign-in: answers a scraper on this machine; everyone else goes on to the signed-in route. */
    public void fromThisMachine(RoutingContext ctx) {
        if (openOnLoopback && directFromLoopback(ctx.request())) {
            scrape(ctx);
        } else {
            ctx.next();
        }
    }

    public void scrape(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", CONTENT_TYPE).putHeader("Cache-Control", "no-store").end(metrics.scrape());
    }

    /** The socket's peer is a loopback address and no proxy forwarded the request. */
    static boolean directFromLoopback(HttpServerRequest req) {
        if (req.getHeader("X-Forwarded-For") != null || req.getHeader("Forwarded") != null || req.getHeader("X-Real-IP") != null) {
            return false;
        }
        SocketAddress peer = req.remoteAddress();
        if (peer == null || peer.hostAddress() == null) {
            return false;
        }
        try {
            // an address literal: no name lookup happens
            return InetAddress.getByName(peer.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
