package cn.haizhu.grid.server.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * The fields of a form a request sent (multipart or url-encoded), as the client meant them. Every
 * handler reads its form fields here, not from the request.
 *
 * <p>Netty's multipart decoder keeps the CR of the line break before the next part's boundary when a
 * network read ends between that CR and its LF (netty/netty#12729, still open): {@code dryRun=true}
 * arrives as {@code "true\r"}, {@code encoding=UTF-8} as {@code "UTF-8\r"}. Which reads a body is cut
 * into is the network's choice, so any client meets it now and then. A field value never ends in a lone
 * CR (browsers send every line break as CRLF, and the CRLF before a boundary belongs to the
 * boundary), so one trailing CR is dropped here.
 *
 * <p>A file part can keep that CR the same way, as an extra last byte. It is not dropped: a file may
 * end in a CR of its own (a CSV with old Mac line ends), and an extra CR after a file's end leaves a
 * CSV, a spreadsheet, a zipped shapefile or a photo readable as before.
 */
public final class FormFields {
    private FormFields() {
    }

    /** All fields of the request's form. */
    public static MultiMap of(RoutingContext ctx) {
        MultiMap sent = ctx.request().formAttributes();
        MultiMap fields = MultiMap.caseInsensitiveMultiMap();
        for (var field : sent) {
            fields.add(field.getKey(), withoutSplitCr(field.getValue()));
        }
        return fields;
    }

    /** One field (its first value), or null. */
    public static String get(RoutingContext ctx, String name) {
        return withoutSplitCr(ctx.request().getFormAttribute(name));
    }

    static String withoutSplitCr(String value) {
        return value != null && value.endsWith("\r") ? value.substring(0, value.length() - 1) : value;
    }
}
