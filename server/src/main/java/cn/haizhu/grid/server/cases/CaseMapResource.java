package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.server.auth.Caller;
import io.vertx.ext.web.RoutingContext;

/**
 * Cases as the map wall draws them, over HTTP ({@link CaseMap} reads them). The wall loads them once
 * from here, then follows the case events (SSE) and asks again only after a gap in the stream.
 *
 * <ul>
 *   <li>{@code GET /api/v1/cases/map}: the open cases as compact points, the newest first, capped;</li>
 *   <li>{@code GET /api/v1/cases/by-grid}: open and overdue cases per grid, which colour the grids
 *       when the wall's metric is 在办案件 or 超期案件.</li>
 * </ul>
 */
public final class CaseMapResource {
    private final CaseMap map;

    public CaseMapResource(CaseMap map) {
        this.map = map;
    }

    /** GET /api/v1/cases/map */
    public void points(RoutingContext ctx) {
        map.points(Caller.of(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** GET /api/v1/cases/by-grid */
    public void byGrid(RoutingContext ctx) {
        map.byGrid(Caller.of(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
    }
}
