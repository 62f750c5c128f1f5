package cn.haizhu.grid.server.features.filter;

import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.RequestOrigin;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /collections/{collectionId}/queryables: what a CQL2 filter on the collection may name (OGC API
 * Features Part 3), as a JSON Schema. HTTP only; the document is {@link CollectionQueryables}'s.
 */
public final class QueryablesResource {
    public static final String PATH = "/collections/:collectionId/queryables";

    private QueryablesResource() {
    }

    public static void queryables(RoutingContext ctx) {
        String id = ctx.pathParam("collectionId");
        CollectionQueryables queryables = Queryables.of(id).orElseThrow(() -> ApiError.notFound("collection " + id));
        String self = RequestOrigin.of(ctx).origin() + "/collections/" + id + "/queryables";
        ctx.response()
                .putHeader("Content-Type", "application/schema+json; charset=utf-8")
                .putHeader("Cache-Control", "private, no-cache")
                .end(queryables.toJsonSchema(self).encode());
    }
}
