package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A JSON request body read field by field. Every problem is collected (wrong type, missing, too
 * long, out of range) and {@link #check()} answers them all at once as one 400 whose details name
 * each field, so a client fixes its request in one round trip and nothing malformed reaches SQL.
 */
public final class Body {
    /** A point as the API sends it: {@code {"lon": 113.3, "lat": 23.1}} in WGS84. */
    record Point(double lon, double lat) {
        JsonObject toJson() {
            return new JsonObject().put("lon", lon).put("lat", lat);
        }
    }

    private final JsonObject json;
    private final Map<String, String> problems = new LinkedHashMap<>();

    private Body(JsonObject json) {
        this.json = json;
    }

    /** The request's body as a JSON object, or a 400 if it is missing or not an object. */
    static Body of(JsonObject json) {
        return new Body(json);
    }

    public static Body of(RoutingContext ctx) {
        Object value;
        try {
            value = ctx.body() == null || ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            // Not JSON, or JSON that is not an object (an array, a number): both are malformed here.
            throw ApiError.badRequest("malformed_json", "the request body must be a JSON object");
        }
        if (value == null) {
            throw ApiError.badRequest("malformed_json", "the request body must be a JSON object");
        }
        return new Body((JsonObject) value);
    }

    /** The body as sent. */
    JsonObject json() {
        return json;
    }

    public String string(String name, boolean required, int maxLength) {
        Object v = json.getValue(name);
        if (v == null) {
            if (required) {
                problems.put(name, "is required");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            problems.put(name, "must be a string");
            return null;
        }
        String t = s.strip();
        if (t.isEmpty()) {
            if (required) {
                problems.put(name, "must not be empty");
            }
            return null;
        }
        if (t.length() > maxLength) {
            problems.put(name, "must be at most " + maxLength + " characters");
            return null;
        }
        return t;
    }

    UUID uuid(String name) {
        String s = string(name, false, 36);
        if (s == null) {
            return null;
        }
        try {
            UUID u = UUID.fromString(s);
            if (!u.toString().equalsIgnoreCase(s)) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException e) {
            problems.put(name, "must be a UUID such as 3f2c0b9e-7d1a-4c55-9a43-2f0d6f1b8c21");
            return null;
        }
    }

    /** An instant in ISO 8601 with its offset ({@code 2026-12-20T18:00:00+08:00} or {@code …Z}). */
    Instant instant(String name, boolean required) {
        String s = string(name, required, 40);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            problems.put(name, "must be a time in ISO 8601 with its offset, such as 2026-12-20T18:00:00+08:00");
            return null;
        }
    }

    Long wholeNumber(String name, long min, long max) {
        Object v = json.getValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.doubleValue() < min || n.doubleValue() > max) {
            problems.put(name, "must be a whole number from " + min + " to " + max);
            return null;
        }
        return n.longValue();
    }

    Double number(String name, double min, double max) {
        Object v = json.getValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < min || n.doubleValue() > max) {
            problems.put(name, "must be a number from " + min + " to " + max);
            return null;
        }
        return n.doubleValue();
    }

    /** A WGS84 point {@code {"lon","lat"}}; lon and lat in their world ranges (whether it is in Haizhu is routing's business). */
    Point point(String name, boolean required) {
        Object v = json.getValue(name);
        if (v == null) {
            if (required) {
                problems.put(name, "is required: {\"lon\": …, \"lat\": …} in WGS84 degrees");
            }
            return null;
        }
        if (!(v instanceof JsonObject o)) {
            problems.put(name, "must be an object {\"lon\": …, \"lat\": …}");
            return null;
        }
        Object lon = o.getValue("lon");
        Object lat = o.getValue("lat");
        if (!(lon instanceof Number x) || !(lat instanceof Number y) || !Double.isFinite(x.doubleValue())
                || !Double.isFinite(y.doubleValue())) {
            problems.put(name, "needs numbers lon and lat");
            return null;
        }
        if (Math.abs(x.doubleValue()) > 180 || Math.abs(y.doubleValue()) > 90) {
            problems.put(name, "lon must be within ±180 and lat within ±90 (swapped?)");
            return null;
        }
        return new Point(x.doubleValue(), y.doubleValue());
    }

    List<UUID> uuids(String name, int max) {
        Object v = json.getValue(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonArray a) || a.size() > max) {
            problems.put(name, "must be an array of at most " + max + " UUIDs");
            return List.of();
        }
        List<UUID> out = new ArrayList<>();
        for (Object item : a) {
            try {
                out.add(UUID.fromString((String) item));
            } catch (RuntimeException e) {
                problems.put(name, "must be an array of UUIDs");
                return List.of();
            }
        }
        return out;
    }

    /** Records a problem found by the caller's own check. */
    public void problem(String name, String problem) {
        problems.putIfAbsent(name, problem);
    }

    /** Throws the 400 listing every problem, if there is any. */
    public void check() {
        if (problems.isEmpty()) {
            return;
        }
        JsonObject fields = new JsonObject();
        problems.forEach(fields::put);
        String first = problems.entrySet().iterator().next().getKey();
        throw ApiError.badRequest("invalid_body", first + " " + problems.get(first)
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""),
                new JsonObject().put("fields", fields));
    }
}
