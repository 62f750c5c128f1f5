package cn.haizhu.grid.server.http;

import io.vertx.core.json.JsonObject;

/**
 * The one error type of the API: it carries its HTTP status and renders as
 * {@code {"error": {"code", "message", "details"}}}. Handlers fail their context or future with
 * it; {@link Failures} turns it (and anything unexpected) into a response.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final JsonObject details;

    public ApiError(int status, String code, String message, JsonObject details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details == null ? new JsonObject() : details;
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message, null);
    }

    public static ApiError badRequest(String code, String message, JsonObject details) {
        return new ApiError(400, code, message, details);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthenticated", message, null);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message, null);
    }

    /** 429: the caller must wait {@code retryAfterSeconds} (sent as {@code Retry-After}) before trying again. */
    public static ApiError tooManyRequests(String code, String message, long retryAfterSeconds) {
        return new ApiError(429, code, message, new JsonObject().put("retryAfterSeconds", Math.max(1, retryAfterSeconds)));
    }

    public static ApiError notFound(String what) {
        return new ApiError(404, "not_found", what + " not found", null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds for a {@code Retry-After} header, or 0 when the error names none. */
    public long retryAfterSeconds() {
        return details.getLong("retryAfterSeconds", 0L);
    }

    public JsonObject toJson() {
        return new JsonObject().put("error", new JsonObject()
                .put("code", code).put("message", getMessage()).put("details", details));
    }
}
