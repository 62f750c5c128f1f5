package cn.haizhu.grid.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * ETags and conditional GETs (RFC 9110 §8.8.3, §13.1.2) for answers that are cheap to build but
 * worth revalidating: the client keeps the body and asks again with If-None-Match, and an unchanged
 * document costs a 304 without a body.
 */
public final class Validators {
    private Validators() {
    }

    /** If-None-Match: "*", one tag or a list; weak tags compare by their value (RFC 9110 weak comparison). */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String value = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String candidate : ifNoneMatch.split(",")) {
            String t = candidate.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** A strong validator from bytes: 96 bits of their SHA-256, quoted. */
    public static String strong(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a JSON document with a weak ETag of its text, or 304 when the client has it. Weak, because
     * the server's compressor may send it gzip-encoded or not: the two bodies differ in bytes but not in
     * meaning, which is what a weak validator says (a strong one must differ between them).
     * {@code Cache-Control: private, no-cache}: the client keeps it but asks before each use.
     */
    public static void sendJson(RoutingContext ctx, JsonObject json) {
        Buffer body = json.toBuffer();
        String etag = "W/" + strong(body.getBytes());
        var response = ctx.response().putHeader("ETag", etag).putHeader("Cache-Control", "private, no-cache")
                .putHeader("Vary", "Accept-Encoding");
        if (matches(ctx.request().getHeader("If-None-Match"), etag)) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("Content-Type", "application/json; charset=utf-8").end(body);
    }
}
