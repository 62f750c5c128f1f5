package cn.haizhu.grid.server.http;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Keyset paging: a page ends with a cursor naming its last key, and the next page starts after it
 * ({@code WHERE key > last ORDER BY key}), an index range however deep the page. An offset instead
 * makes the database read and drop every row before the page, so a client asking for page 100,000
 * costs what reading the whole table costs. The cursor is opaque to clients (base64url of
 * {@code kind:key}) and checked against the key's shape when it comes back.
 */
public final class Cursor {
    /** The deepest offset a list still takes where it has no cursor yet: a few hundred pages. */
    public static final int MAX_OFFSET = 10_000;

    private Cursor() {
    }

    /** The cursor after {@code key} in a list of {@code kind}. */
    public static String of(String kind, String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** {kind, key} of a cursor this server gave out, its kind one of {@code kinds}' and its key of that kind's shape; else a 400. */
    public static String[] parse(String cursor, java.util.Map<String, Pattern> kinds) {
        try {
            String[] c = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
            if (c.length == 2 && kinds.containsKey(c[0]) && kinds.get(c[0]).matcher(c[1]).matches()) {
                return c;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiError.badRequest("invalid_parameter", "cursor must be one from an earlier answer's next",
                new JsonObject().put("parameter", "cursor"));
    }
}
