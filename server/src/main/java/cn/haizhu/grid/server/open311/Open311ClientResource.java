package cn.haizhu.grid.server.open311;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.cases.Body;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The administrators' side of Open311 keys, under {@code /api/v1/open311-clients} (users.manage):
 * list the clients, create one (the answer carries its key, the only time it is shown), revoke one.
 */
public final class Open311ClientResource {
    private final Open311Clients clients;

    public Open311ClientResource(Open311Clients clients) {
        this.clients = clients;
    }

    /** GET /api/v1/open311-clients */
    public void list(RoutingContext ctx) {
        clients.list().onSuccess(items -> ctx.json(new JsonObject().put("items", items))).onFailure(ctx::fail);
    }

    /** POST /api/v1/open311-clients {"name", "actAs"} → 201 {"key", "client"}; the key is not stored and not shown again. */
    public void create(RoutingContext ctx) {
        Body body = Body.of(ctx);
        String name = body.string("name", true, 64);
        String actAs = body.string("actAs", true, 64);
        body.check();
        clients.create(name, actAs, Caller.of(ctx).username()).onSuccess(issued -> ctx.response().setStatusCode(201)
                        .putHeader("Content-Type", "application/json; charset=utf-8").putHeader("Cache-Control", "no-store")
                        .end(new JsonObject().put("key", issued.key()).put("client", issued.client()).encode()))
                .onFailure(ctx::fail);
    }

    /** DELETE /api/v1/open311-clients/{name}: revokes the live client of that name; 404 if there is none. */
    public void revoke(RoutingContext ctx) {
        String name = Params.path(ctx, "name", Open311Clients.NAME, "a client name");
        clients.revoke(name).onSuccess(revoked -> {
            if (revoked) {
                ctx.response().setStatusCode(204).end();
            } else {
                ctx.fail(ApiError.notFound("live Open311 client " + name));
            }
        }).onFailure(ctx::fail);
    }
}
