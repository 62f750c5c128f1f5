package cn.haizhu.grid.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * The request body types a route takes, declared in the route table; anything else is 415 before
 * the body is read. A JSON route must not parse a {@code text/plain} body: that is the one type a
 * cross-site form may send without asking (CORS "simple" requests), so accepting it would let
 * another site's page act with a signed-in user's cookie.
 */
public final class BodyTypes {
    private BodyTypes() {
    }

    public static Handler<RoutingContext> only(String... types) {
        List<String> accepted = List.of(types);
        return ctx -> {
            String header = ctx.request().getHeader("Content-Type");
            String type = header == null ? "" : header.split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (accepted.contains(type)) {
                ctx.next();
            } else {
                ctx.fail(new ApiError(415, "unsupported_media_type", "send " + String.join(" or ", accepted)
                        + (type.isEmpty() ? "" : ", not " + type), null));
            }
        };
    }
}
