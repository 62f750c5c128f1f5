package cn.haizhu.grid.server.auth;

import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * Deny by default: every route behind this handler needs a session cookie or a bearer token.
 * Puts the {@link Caller} on the request; {@link #require(String)} guards a permission.
 */
public final class AuthHandler {
    public static final String COOKIE = "gridctl_session";
    private final AuthService auth;

    public AuthHandler(AuthService auth) {
        this.auth = auth;
    }

    public void authenticate(RoutingContext ctx) {
        String token = token(ctx);
        if (token == null) {
            ctx.fail(ApiError.unauthorized("sign in first: send a session cookie or 'Authorization: Bearer <token>'"));
            return;
        }
        auth.caller(token).onSuccess(caller -> {
            ctx.put(Caller.KEY, caller);
            ctx.next();
        }).onFailure(ctx::fail);
    }

    /** A handler that lets the request through only when the caller holds {@code permission}. */
    public static io.vertx.core.Handler<RoutingContext> require(String permission) {
        return ctx -> {
            if (Caller.of(ctx).can(permission)) {
                ctx.next();
            } else {
                ctx.fail(ApiError.forbidden("your role may not do this (needs " + permission + ")"));
            }
        };
    }

    /** The bearer token, else the session cookie, else null. */
    static String token(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String t = header.substring(7).trim();
            return t.isEmpty() ? null : t;
        }
        Cookie cookie = ctx.request().getCookie(COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }
}
