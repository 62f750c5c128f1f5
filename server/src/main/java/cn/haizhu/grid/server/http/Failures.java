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

    /**
     * Whether the failure is an upload whose stream ended before its file was written: the client
     * stopped sending, or the connection reset the stream while the body handler was still writing
     * the part to disk (Vert.x then closes the file under the writer). The request did not arrive
     * whole: the client's fault, not the server's.
     */
    static boolean uploadCutShort(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.core.http.StreamResetException || t instanceof io.vertx.core.http.HttpClosedException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.equals("Streaming aborted") || m.equals("File handle is closed"))) {
                return true;
            }
        }
        return false;
    }

    static ApiError toApiError(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiError api) {
            return api;
        }
        // the router gives up with a bare 500 on a path whose %-escapes do not decode ("/api/v1/%"): the client's fault
        if (!decodes(ctx.request().path())) {
            return ApiError.badRequest("malformed_path", "the path has a broken %-escape or is not UTF-8");
        }
        // and a handler reading a parameter of such a query string fails the same way
        if (!decodes(ctx.request().query())) {
            return ApiError.badRequest("malformed_query", "the query string has a broken %-escape or is not UTF-8");
        }
        // only a body that does not parse: an IllegalArgumentException elsewhere is a bug, and must show as one
        if (failure instanceof DecodeException) {
            return ApiError.badRequest("malformed_json", "the request body is not valid JSON");
        }
        if (failure instanceof io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.TooLongFormFieldException
                || failure instanceof io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.TooManyFormFieldsException) {
            return new ApiError(413, "too_large", "the upload is too large", null);
        }
        // Vert.x's own refusals (a path with a broken %-escape, a malformed header) carry their status
        if (failure instanceof io.vertx.ext.web.handler.HttpException http && http.getStatusCode() < 500) {
            return http.getStatusCode() == 413 ? new ApiError(413, "too_large", "the request body is too large", null)
                    : ApiError.badRequest("bad_request", "the request is malformed: " + http.getMessage());
        }
        // a form or multipart body that does not decode, or one over the limit while it is decoded
        if (failure instanceof io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.ErrorDataDecoderException) {
            return ApiError.badRequest("malformed_body", "the form body does not decode (a broken %-escape or part)");
        }
        if (failure instanceof java.io.IOException io && io.getMessage() != null && io.getMessage().startsWith("Size exceed allowed maximum")) {
            return new ApiError(413, "too_large", "the upload is too large", null);
        }
        if (uploadCutShort(failure)) {
            return ApiError.badRequest("upload_incomplete", "the upload did not arrive whole (the request body was cut off)");
        }
        // class 22 is PostgreSQL's "data exception": a value the column or function cannot take
        // (text with NUL, a number out of range, invalid UTF-8); the statement, and its transaction, did nothing
        if (failure instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
            return ApiError.badRequest("invalid_value", "a parameter has a value the database cannot take ("
                    + pg.getSqlState() + ")");
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

    /** Whether every %-escape of a path is two hex digits and the bytes are UTF-8. */
    static boolean decodes(String path) {
        if (path == null || path.indexOf('%') < 0) {
            return true;
        }
        try {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(path.length() * 3);
            for (int i = 0; i < path.length(); i++) {
                char ch = path.charAt(i);
                if (ch == '%') {
                    if (i + 2 >= path.length()) {
                        return false;
                    }
                    int hi = Character.digit(path.charAt(i + 1), 16);
                    int lo = Character.digit(path.charAt(i + 2), 16);
                    if (hi < 0 || lo < 0) {
                        return false;
                    }
                    bytes.put((byte) (hi * 16 + lo));
                    i += 2;
                } else {
                    bytes.put(String.valueOf(ch).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            bytes.flip();
            java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(bytes);
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static boolean acceptsHtml(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.contains("text/html") && !ctx.request().path().startsWith("/api/");
    }
}
