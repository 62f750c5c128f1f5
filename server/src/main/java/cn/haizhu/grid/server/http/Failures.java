package cn.haizhu.grid.server.http;

import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failed request becomes a response. An {@link ApiError} answers as itself;
 * a bare status (Vert.x's own 404/405/413…) gets a matching code; anything else is logged with
 * its stack and answered 500 without internals.
 */
public final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    public static void handle(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        ApiError error = toApiError(ctx);
        if (error.status() == 500) {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
        }
        if (error.status() == 401 && acceptsHtml(ctx) && ctx.request().method().name().equals("GET")) {
            // A person opening a page without a session goes to the login page, then back.
            ctx.redirect("/login?next=" + java.net.URLEncoder.encode(ctx.request().uri(), java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        if (error.status() == 401) {
            // RFC 9110: a 401 names the scheme that would work
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"gridctl\"");
        }
        if (error.retryAfterSeconds() > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
        }
        ctx.response().setStatusCode(error.status())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(error.toJson().encode());
    }

    static ApiError toApiError(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiError api) {
            return api;
        }
        // only a body that does not parse: an IllegalArgumentException elsewhere is a bug, and must show as one
        if (failure instanceof DecodeException) {
            return ApiError.badRequest("malformed_json", "the request body is not valid JSON");
        }
        if (failure instanceof io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.TooLongFormFieldException
                || failure instanceof io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.TooManyFormFieldsException) {
            return new ApiError(413, "too_large", "the upload is too large", null);
        }
        if (failure instanceof PgException pg && "22P02".equals(pg.getSqlState())) {
            return ApiError.badRequest("invalid_value", "a parameter has an invalid value");
        }
        int status = failure == null ? ctx.statusCode() : 500;
        return switch (status) {
            case 400 -> ApiError.badRequest("bad_request", "the request is malformed");
            case 401 -> ApiError.unauthorized("sign in first");
            case 403 -> ApiError.forbidden("not allowed");
            case 404 -> ApiError.notFound("resource " + ctx.request().path());
            case 405 -> new ApiError(405, "method_not_allowed", ctx.request().method() + " is not allowed on " + ctx.request().path(), null);
            case 413 -> new ApiError(413, "too_large", "the request body is too large", null);
            case 415 -> new ApiError(415, "unsupported_media_type", "this route does not take a body of type '"
                    + ctx.request().getHeader("Content-Type") + "'", null);
            default -> new ApiError(500, "internal", "internal error; the server log has the details", null);
        };
    }

    private static boolean acceptsHtml(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.contains("text/html") && !ctx.request().path().startsWith("/api/");
    }
}
