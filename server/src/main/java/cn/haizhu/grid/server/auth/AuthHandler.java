package cn.haizhu.grid.server.auth;

import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.RequestOrigin;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * Deny by default: every route behind this handler needs a session cookie or a bearer token.
 * Puts the {@link Caller} on the request; {@link #require(String)} guards a permission.
 *
 * <p>A bearer credential that is a peer platform's sync key ({@code sync_…}) is looked up as one
 * (server/.../sync/SyncPeers): the caller is the role {@code peer} with the peer's scope and the sync
 * routes' permission only. Every other bearer credential or cookie is a session or API token.
 */
public final class AuthHandler {
    public static final String COOKIE = "gridctl_session";
    private final AuthService auth;
    private final java.util.function.Predicate<String> isPeerKey;
    private final java.util.function.Function<String, io.vertx.core.Future<Caller>> peers;

    public AuthHandler(AuthService auth) {
        this(auth, key -> false, key -> io.vertx.core.Future.failedFuture(ApiError.unauthorized("no peer keys here")));
    }

    /** With the door for peer keys: {@code isPeerKey} tells one from a token, {@code peers} finds the caller it acts as. */
    public AuthHandler(AuthService auth, java.util.function.Predicate<String> isPeerKey,
                       java.util.function.Function<String, io.vertx.core.Future<Caller>> peers) {
        this.auth = auth;
        this.isPeerKey = isPeerKey;
        this.peers = peers;
    }

    public void authenticate(RoutingContext ctx) {
        String token = token(ctx);
        if (token == null) {
            ctx.fail(ApiError.unauthorized("sign in first: send a session cookie or 'Authorization: Bearer <token>'"));
            return;
        }
        if (bearer(ctx) == null && changesState(ctx) && !fromOwnPages(ctx)) {
            // A browser sends the session cookie along with any site's request; only our own pages may use it to act.
            ctx.fail(ApiError.forbidden("cross-site request refused: a cookie-signed change must come from this server's own pages (Origin)"));
            return;
        }
        String bearer = bearer(ctx);
        (bearer != null && isPeerKey.test(bearer) ? peers.apply(bearer) : auth.caller(token)).onSuccess(caller -> {
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

    /**
     * A handler that lets the request through when the caller holds any of {@code permissions}: a route
     * two kinds of caller share (a photo: the readers of its cases, and a peer platform's sync key).
     */
    public static io.vertx.core.Handler<RoutingContext> requireAny(String... permissions) {
        return ctx -> {
            Caller caller = Caller.of(ctx);
            if (java.util.Arrays.stream(permissions).anyMatch(caller::can)) {
                ctx.next();
            } else {
                ctx.fail(ApiError.forbidden("your role may not do this (needs " + String.join(" or ", permissions) + ")"));
            }
        };
    }

    /** The token this (authenticated) request carries, for connections that must check it again later. */
    public static String tokenOf(RoutingContext ctx) {
        return token(ctx);
    }

    /** The bearer token, else the session cookie, else null. */
    static String token(RoutingContext ctx) {
        String bearer = bearer(ctx);
        if (bearer != null) {
            return bearer;
        }
        Cookie cookie = ctx.request().getCookie(COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    private static String bearer(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String t = header.substring(7).trim();
            return t.isEmpty() ? null : t;
        }
        return null;
    }

    static boolean changesState(RoutingContext ctx) {
        return switch (ctx.request().method().name()) {
            case "GET", "HEAD", "OPTIONS" -> false;
            default -> true;
        };
    }

    /**
     * Whether the request says it comes from a page of this server: its {@code Origin} (every
     * browser sends one on a cross-site POST), else the origin of its {@code Referer}. A request
     * with neither is refused: a cookie-signed change with no provenance is not one of ours.
     */
    static boolean fromOwnPages(RoutingContext ctx) {
        RequestOrigin self = RequestOrigin.of(ctx);
        String origin = ctx.request().getHeader("Origin");
        if (origin != null) {
            return self.isSameOrigin(origin);
        }
        String referer = ctx.request().getHeader("Referer");
        return referer != null && self.isSameOrigin(referer);
    }

    /** For sign-in and sign-out, which come before any session: a foreign Origin is refused (login CSRF). */
    static boolean foreignOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        return origin != null && !RequestOrigin.of(ctx).isSameOrigin(origin);
    }
}
