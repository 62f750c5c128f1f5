package cn.haizhu.grid.server.features;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The HTML view of the OGC documents (conformance class HTML): plain pages a person can read and
 * follow, made from the same JSON the clients get. Every value is text, escaped: names, addresses
 * and case titles come from imports and the public, never markup. No script, no inline style (the
 * pages' Content-Security-Policy), only the shared sheet.
 */
final class FeatureHtml {
    private FeatureHtml() {
    }

    /** A document with a title, its description and its links (landing page, conformance, a collection). */
    static String document(JsonObject doc, String fallbackTitle) {
        StringBuilder body = new StringBuilder();
        String title = doc.getString("title", fallbackTitle);
        if (doc.getString("description") != null) {
            body.append("<p>").append(text(doc.getString("description"))).append("</p>\n");
        }
        JsonArray conformsTo = doc.getJsonArray("conformsTo");
        if (conformsTo != null) {
            body.append("<h2>Conformance classes</h2>\n<ul>\n");
            conformsTo.forEach(c -> body.append("<li>").append(text(String.valueOf(c))).append("</li>\n"));
            body.append("</ul>\n");
        }
        JsonArray collections = doc.getJsonArray("collections");
        if (collections != null) {
            body.append("<h2>集合 Collections</h2>\n<table>\n<tr><th>id</th><th>名称 title</th><th>说明 description</th></tr>\n");
            for (Object o : collections) {
                JsonObject c = (JsonObject) o;
                body.append("<tr><td><a href=\"").append(attr(href(c, "items", "text/html"))).append("\">")
                        .append(text(c.getString("id"))).append("</a></td><td>").append(text(c.getString("title")))
                        .append("</td><td>").append(text(c.getString("description", ""))).append("</td></tr>\n");
            }
            body.append("</table>\n");
        }
        JsonObject extent = doc.getJsonObject("extent");
        if (extent != null) {
            body.append("<h2>范围 Extent</h2>\n<pre>").append(text(extent.encodePrettily())).append("</pre>\n");
        }
        JsonArray crs = doc.getJsonArray("crs");
        if (crs != null) {
            body.append("<h2>坐标系 CRS</h2>\n<ul>\n");
            crs.forEach(c -> body.append("<li>").append(text(String.valueOf(c))).append("</li>\n"));
            body.append("</ul>\n");
        }
        links(body, doc.getJsonArray("links"));
        return page(title, body);
    }

    /** A page of features: one row per feature, its id linking to the feature, then its properties. */
    static String features(String title, JsonObject collection) {
        StringBuilder body = new StringBuilder();
        JsonArray features = collection.getJsonArray("features");
        body.append("<p>numberReturned: ").append(collection.getInteger("numberReturned")).append("</p>\n");
        body.append("<table>\n");
        boolean header = false;
        for (Object o : features) {
            JsonObject f = (JsonObject) o;
            JsonObject props = f.getJsonObject("properties", new JsonObject());
            if (!header) {
                body.append("<tr><th>id</th>");
                props.fieldNames().forEach(n -> body.append("<th>").append(text(n)).append("</th>"));
                body.append("</tr>\n");
                header = true;
            }
            body.append("<tr><td><a href=\"items/").append(attr(urlSegment(String.valueOf(f.getValue("id"))))).append("?f=html\">")
                    .append(text(String.valueOf(f.getValue("id")))).append("</a></td>");
            props.forEach(e -> body.append("<td>").append(text(e.getValue() == null ? "" : String.valueOf(e.getValue()))).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        links(body, collection.getJsonArray("links"));
        return page(title, body);
    }

    /** One feature: its properties as a two-column table, its geometry as GeoJSON text. */
    static String feature(String title, JsonObject feature) {
        StringBuilder body = new StringBuilder("<table>\n");
        body.append("<tr><th>id</th><td>").append(text(String.valueOf(feature.getValue("id")))).append("</td></tr>\n");
        feature.getJsonObject("properties", new JsonObject()).forEach(e -> body.append("<tr><th>").append(text(e.getKey()))
                .append("</th><td>").append(text(e.getValue() == null ? "" : String.valueOf(e.getValue()))).append("</td></tr>\n"));
        body.append("</table>\n<h2>几何 Geometry</h2>\n<pre>")
                .append(text(String.valueOf(feature.getValue("geometry")))).append("</pre>\n");
        links(body, feature.getJsonArray("links"));
        return page(title, body);
    }

    private static void links(StringBuilder body, JsonArray links) {
        if (links == null) {
            return;
        }
        body.append("<h2>链接 Links</h2>\n<ul>\n");
        for (Object o : links) {
            JsonObject l = (JsonObject) o;
            body.append("<li><a href=\"").append(attr(l.getString("href"))).append("\">")
                    .append(text(l.getString("title", l.getString("rel")))).append("</a> (")
                    .append(text(l.getString("rel"))).append(", ").append(text(l.getString("type", ""))).append(")</li>\n");
        }
        body.append("</ul>\n");
    }

    private static String href(JsonObject doc, String rel, String type) {
        for (Object o : doc.getJsonArray("links", new JsonArray())) {
            JsonObject l = (JsonObject) o;
            if (rel.equals(l.getString("rel")) && type.equals(l.getString("type"))) {
                return l.getString("href");
            }
        }
        return "";
    }

    private static String page(String title, StringBuilder body) {
        return "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + text(title)
                + "</title>\n<link rel=\"stylesheet\" href=\"/assets/base.css\">\n</head>\n<body>\n<h1>" + text(title) + "</h1>\n"
                + body + "</body>\n</html>\n";
    }

    /** Text as HTML text: the five characters that could start markup or end an attribute, escaped. */
    static String text(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A URL in an attribute: only http(s) and relative ones, escaped; anything else (javascript:) is dropped. */
    private static String attr(String url) {
        String u = url == null ? "" : url.strip();
        int colon = u.indexOf(':');
        int slash = u.indexOf('/');
        if (colon >= 0 && (slash < 0 || colon < slash) && !(u.startsWith("http://") || u.startsWith("https://"))) {
            return "#";
        }
        return text(u);
    }

    private static String urlSegment(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
