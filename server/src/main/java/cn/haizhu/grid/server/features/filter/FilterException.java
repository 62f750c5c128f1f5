package cn.haizhu.grid.server.features.filter;

import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.json.JsonObject;

/**
 * A filter that cannot run: bad CQL2 syntax, an unknown property, a type mismatch, an unsupported
 * {@code filter-crs} or {@code filter-lang}. The message says where (a 1-based character position in
 * the filter text, 0 when the error is not in the text) and what was expected; the features resource
 * answers it as a 400 {@code invalid_filter} through {@link #toApiError()}. It is the only exception
 * the parser and translator throw for anything a client sent.
 */
public final class FilterException extends RuntimeException {
    public static final String CODE = "invalid_filter";

    private final int position;
    private final String expected;

    public FilterException(int position, String expected, String message) {
        super(message, null, false, false);
        this.position = position;
        this.expected = expected;
    }

    /** A syntax error: {@code expected} at {@code position}, where {@code found} stands. */
    static FilterException syntax(int position, String expected, String found) {
        return new FilterException(position, expected,
                "filter: at position " + position + " expected " + expected + " but found " + found);
    }

    /** A well-formed filter that cannot run here (unknown property, type mismatch) at {@code position}. */
    static FilterException semantic(int position, String message) {
        return new FilterException(position, null, "filter: at position " + position + ": " + message);
    }

    /** 1-based character position in the filter text, 0 when the error is about another parameter. */
    public int position() {
        return position;
    }

    /** What the parser expected at {@link #position()}, or null when the text parsed. */
    public String expected() {
        return expected;
    }

    public ApiError toApiError() {
        JsonObject details = new JsonObject().put("position", position);
        if (expected != null) {
            details.put("expected", expected);
        }
        return ApiError.badRequest(CODE, getMessage(), details);
    }
}
