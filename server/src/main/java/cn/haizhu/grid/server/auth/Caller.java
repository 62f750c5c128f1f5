package cn.haizhu.grid.server.auth;

import cn.haizhu.grid.data.users.DataScope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The signed-in user a request runs for: identity, role, permissions and data scope, and the grid
 * worker (网格员) the user is, if any: a worker also sees the cases assigned to them outside their
 * grids (a dispatcher may send a case to a neighbouring grid's worker).
 */
public record Caller(long userId, String username, String displayName, String role, Set<String> permissions,
                     DataScope scope, Long workerId, java.time.Instant expiresAt) {
    static final String KEY = "gridctl.caller";

    /**
     * The user account behind the caller, for columns that name one (who reported, who acted), or null
     * for a caller that is no account: a peer platform's sync key acts as the platform (user id 0,
     * server/.../sync/SyncPeers).
     */
    public Long accountId() {
        return userId > 0 ? userId : null;
    }

    public boolean can(String permission) {
        return permissions.contains(permission);
    }

    /** The caller the auth handler put on this request (every route behind it has one). */
    public static Caller of(RoutingContext ctx) {
        Caller c = ctx.get(KEY);
        if (c == null) {
            throw new IllegalStateException("route is not behind the auth handler: " + ctx.request().path());
        }
        return c;
    }

    /** The caller of a request the auth handler let through, or null (a public route, a refused request). */
    public static Caller ifSignedIn(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    public JsonObject toJson() {
        return new JsonObject().put("username", username).put("displayName", displayName).put("role", role)
                .put("permissions", new JsonArray(permissions.stream().sorted().toList()))
                .put("scope", new JsonObject().put("kind", scope.kind()).put("code", scope.code()))
                .put("workerId", workerId);
    }
}
