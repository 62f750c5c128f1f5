package cn.haizhu.grid.server.auth;

import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.FormFields;
import cn.haizhu.grid.server.http.RequestOrigin;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Sign in and out: the browser's session cookie and the API's bearer tokens. */
public final class AuthResource {
    private final AuthService auth;
    private final JsonObject node;

    /** @param node this platform ({@code ThisNode.toJson()}): /api/v1/me tells the pages which one they are on */
    public AuthResource(AuthService auth, JsonObject node) {
        this.auth = auth;
        this.node = node;
    }

    /** POST /api/v1/auth/login: JSON from the login page's script, or a plain form post; sets the session cookie. */
    public void login(RoutingContext ctx) {
        if (AuthHandler.foreignOrigin(ctx)) {
            // login CSRF: another site signing the browser in to an account of its choosing
            throw ApiError.forbidden("cross-site sign-in refused");
        }
        boolean form = isForm(ctx);
        String username;
        String password;
        String next;
        if (form) {
            username = FormFields.get(ctx, "username");
            password = FormFields.get(ctx, "password");
            next = FormFields.get(ctx, "next");
        } else {
            JsonObject body = jsonBody(ctx);
            username = str(body, "username");
            password = str(body, "password");
            next = null;
        }
        RequestOrigin origin = RequestOrigin.of(ctx);
        auth.signIn(username, password, "session", origin.clientAddress()).onSuccess(issued -> {
            // Secure whenever the browser came over https, directly or through a trusted TLS proxy
            Cookie cookie = Cookie.cookie(AuthHandler.COOKIE, issued.token())
                    .setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/")
                    .setMaxAge(AuthService.SESSION_TTL.toSeconds())
                    .setSecure(origin.secure());
            ctx.response().addCookie(cookie);
            if (form) {
                ctx.redirect(safeNext(next));
            } else {
                auth.caller(issued.token()).onSuccess(caller -> ctx.json(new JsonObject()
                        .put("user", caller.toJson()).put("expiresAt", issued.expiresAt().toString())))
                        .onFailure(ctx::fail);
            }
        }).onFailure(err -> {
            if (form && err instanceof ApiError api && (api.status() == 401 || api.status() == 429)) {
                ctx.redirect("/login?error=" + (api.status() == 401 ? "1" : "wait&seconds=" + api.retryAfterSeconds())
                        + "&next=" + java.net.URLEncoder.encode(safeNext(next), java.nio.charset.StandardCharsets.UTF_8));
            } else {
                ctx.fail(err);
            }
        });
    }

    /** POST /api/v1/auth/logout: revokes the session and clears the cookie. */
    public void logout(RoutingContext ctx) {
        if (AuthHandler.foreignOrigin(ctx)) {
            throw ApiError.forbidden("cross-site sign-out refused");
        }
        String token = AuthHandler.token(ctx);
        ctx.response().addCookie(Cookie.cookie(AuthHandler.COOKIE, "").setPath("/").setMaxAge(0)
                .setHttpOnly(true).setSameSite(CookieSameSite.STRICT));
        if (token == null) {
            ctx.response().setStatusCode(204).end();
            return;
        }
        auth.revoke(token).onSuccess(r -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    /** POST /api/v1/auth/token: {"username","password"} → {"token","expiresAt"} for scripts and peers. */
    public void issueToken(RoutingContext ctx) {
        JsonObject body = jsonBody(ctx);
        auth.signIn(str(body, "username"), str(body, "password"), "api", RequestOrigin.of(ctx).clientAddress())
                .onSuccess(t -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("token", t.token()).put("expiresAt", t.expiresAt().toString()).encode()))
                .onFailure(ctx::fail);
    }

    /** DELETE /api/v1/auth/token: revokes the bearer token this request carries. */
    public void revokeToken(RoutingContext ctx) {
        String token = AuthHandler.token(ctx);
        auth.revoke(token).onSuccess(r -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    /** GET /api/v1/me: who am I, with role, permissions and scope (the pages use it). */
    public void me(RoutingContext ctx) {
        ctx.json(Caller.of(ctx).toJson().put("node", node.copy()));
    }

    /** A string member, or null; a number or object where a string belongs is a bad request, not a 500. */
    private static String str(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw ApiError.badRequest("invalid_value", key + " must be a string");
    }

    private static boolean isForm(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.startsWith("application/x-www-form-urlencoded");
    }

    private static JsonObject jsonBody(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            throw new ApiError(415, "unsupported_media_type", "send application/json", null);
        }
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw ApiError.badRequest("malformed_json", "the request body must be a JSON object");
            }
            return body;
        } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
            throw ApiError.badRequest("malformed_json", "the request body must be a JSON object");
        }
    }

    /**
     * Only local paths: an open redirect to another site would help phishing. Browsers drop tabs
     * and line breaks inside URLs ({@code /\t/evil.example} becomes {@code //evil.example}), so any
     * control character, backslash or a second leading slash disqualifies the value.
     */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.contains("\\")) {
            return "/";
        }
        for (int i = 0; i < next.length(); i++) {
            char ch = next.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                return "/";
            }
        }
        if (next.startsWith("//")) {
            return "/";
        }
        try {
            java.net.URI uri = new java.net.URI(next);
            if (uri.getScheme() != null || uri.getRawAuthority() != null) {
                return "/";
            }
        } catch (java.net.URISyntaxException e) {
            return "/";
        }
        return next;
    }
}
