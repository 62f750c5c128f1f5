package cn.haizhu.grid.server.stats;

import cn.haizhu.grid.server.auth.Caller;
import io.vertx.ext.web.RoutingContext;

/** District totals and the same per street over HTTP ({@link DistrictStats} counts them in the caller's scope). */
public final class StatsResource {
    private final DistrictStats stats;

    public StatsResource(DistrictStats stats) {
        this.stats = stats;
    }

    /** GET /api/v1/stats/district */
    public void district(RoutingContext ctx) {
        stats.of(Caller.of(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
    }
}
