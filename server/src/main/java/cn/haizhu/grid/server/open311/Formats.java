package cn.haizhu.grid.server.open311;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * GeoReport's two formats from one JSON value: the JSON as is, or XML with the spec's element names
 * (a list is a root element of its items, each item an element of its fields).
 */
final class Formats {
    private Formats() {
    }

    /** Sends {@code value} as {@code format} (json|xml); in XML the list is {@code <root><item>…</item></root>}. */
    static void send(RoutingContext ctx, int status, String format, Object value, String root, String item) {
        if ("xml".equals(format)) {
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            if (value instanceof JsonArray a) {
                xml.append('<').append(root).append('>');
                for (Object o : a) {
                    element(xml, item, o);
                }
                xml.append("</").append(root).append('>');
            } else {
                element(xml, root, value);
            }
            ctx.response().setStatusCode(status).putHeader("Content-Type", "text/xml; charset=utf-8").end(xml.toString());
        } else {
            String body = value instanceof JsonArray a ? a.encode() : ((JsonObject) value).encode();
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body);
        }
    }

    /** The spec's error list: {@code [{"code": 400, "description": "…"}]}. */
    static void error(RoutingContext ctx, String format, int status, String description) {
        send(ctx, status, format, new JsonArray().add(new JsonObject().put("code", status).put("description", description)),
                "errors", "error");
    }

    private static void element(StringBuilder xml, String name, Object value) {
        if (value == null) {
            xml.append('<').append(name).append("/>");
            return;
        }
        xml.append('<').append(name).append('>');
        if (value instanceof JsonObject o) {
            for (Map.Entry<String, Object> e : o) {
                element(xml, e.getKey(), e.getValue());
            }
        } else if (value instanceof JsonArray a) {
            String child = name.endsWith("s") ? name.substring(0, name.length() - 1) : "item";
            for (Object v : a) {
                element(xml, child, v);
            }
        } else {
            escape(xml, value.toString());
        }
        xml.append("</").append(name).append('>');
    }

    private static void escape(StringBuilder xml, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '&' -> xml.append("&amp;");
                case '"' -> xml.append("&quot;");
                case '\'' -> xml.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        xml.append(c);
                    }
                }
            }
        }
    }
}
