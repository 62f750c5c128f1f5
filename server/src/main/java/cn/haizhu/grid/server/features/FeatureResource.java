package cn.haizhu.grid.server.features;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.features.filter.Cql2Filters;
import cn.haizhu.grid.server.features.filter.FilterCrs;
import cn.haizhu.grid.server.features.filter.FilterException;
import cn.haizhu.grid.server.features.filter.FilterTranslator;
import cn.haizhu.grid.server.features.filter.Queryables;
import cn.haizhu.grid.server.features.filter.SqlFilter;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Validators;
import cn.haizhu.grid.server.http.Params;
import cn.haizhu.grid.server.http.RequestOrigin;
import cn.haizhu.grid.server.tiles.TileSets;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * OGC API – Features over HTTP: parse the request, call {@link FeatureQueries}, answer JSON
 * (GeoJSON for features) or HTML by {@code f} or {@code Accept}. Every answer carries a strong ETag of
 * its bytes and is revalidated ({@code If-None-Match} → 304; {@code Cache-Control: private, no-cache}):
 * what a caller sees depends on their scope, so no shared cache may keep it. URLs in documents are
 * this server as the client addresses it ({@link RequestOrigin}: forwarded headers of trusted proxies only).
 */
public final class FeatureResource {
    public static final String GEOJSON = "application/geo+json";
    public static final String OPENAPI = "application/vnd.oai.openapi+json;version=3.0";
    /** The classes of OGC API – Features the tests of FeaturesIT prove, class by class. */
    static final List<String> FEATURES_CONFORMANCE = List.of(
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
            "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs");
    /** Everything /conformance declares: features, their filters (Part 3, CQL2) and the tiles beside them. */
    static final List<String> CONFORMANCE = java.util.stream.Stream.of(FEATURES_CONFORMANCE, Cql2Filters.CONFORMANCE,
            TileSets.CONFORMANCE).flatMap(List::stream).toList();
    /** What {@code f} may ask for; exports add their formats here (items only). */
    static final Set<String> FORMATS = Set.of("json", "html");
    /** The parameters a next or previous page repeats. */
    static final List<String> CARRIED = List.of("bbox", "bbox-crs", "datetime", "crs", "filter", "filter-lang", "filter-crs");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final String TRS = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian";

    private final FeatureQueries features;
    private final TileSets tileSets;

    /** @param tileSets the tiles of the same layers, which the landing page and the collections link to */
    public FeatureResource(FeatureQueries features, TileSets tileSets) {
        this.features = features;
        this.tileSets = tileSets;
    }

    /**
     * GET / : the landing page for a client that asks for JSON ({@code Accept: application/json} or
     * {@code f=json}) or for {@code f=html}; a browser's plain request goes on to the wall page.
     */
    public void landing(RoutingContext ctx) {
        String f = Params.oneOf(ctx, "f", FORMATS, null);
        String accept = ctx.request().getHeader("Accept");
        boolean wantsJson = accept != null && (accept.contains("application/json") || accept.contains(GEOJSON))
                && !accept.contains("text/html");
        if (f == null && !wantsJson) {
            ctx.next();
            return;
        }
        Params.onlyDeclared(ctx);
        String base = origin(ctx);
        JsonObject doc = new JsonObject().put("title", "海珠区网格化管理指挥中心 OGC API")
                .put("description", "街道、社区、单元网格、房屋、法人单位和案件的要素服务（OGC API – Features），在调用者的数据范围内。")
                .put("links", new JsonArray()
                        .add(link(base + "/?f=json", "json".equals(f) || f == null ? "self" : "alternate", "application/json", "this document"))
                        .add(link(base + "/?f=html", "html".equals(f) ? "self" : "alternate", "text/html", "this document as HTML"))
                        .add(link(base + "/api", "service-desc", OPENAPI, "the API definition"))
                        .add(link(base + "/api/docs/", "service-doc", "text/html", "the API documentation"))
                        .add(link(base + "/conformance", "conformance", "application/json", "conformance classes"))
                        .add(link(base + "/conformance", "http://www.opengis.net/def/rel/ogc/1.0/conformance", "application/json",
                                "conformance classes"))
                        .add(link(base + "/collections", "data", "application/json", "collections"))
                        .add(link(base + "/collections", "http://www.opengis.net/def/rel/ogc/1.0/data", "application/json", "collections"))
                        .addAll(tileSets.landingLinks(base)));
        answer(ctx, "html".equals(f) ? "html" : "json", doc, "OGC API");
    }

    /** GET /conformance */
    public void conformance(RoutingContext ctx) {
        Params.onlyDeclared(ctx);
        String f = format(ctx);
        String base = origin(ctx);
        JsonObject doc = new JsonObject().put("title", "Conformance").put("conformsTo", new JsonArray(CONFORMANCE))
                .put("links", selfAndAlternate(base + "/conformance", f, "application/json"));
        answer(ctx, f, doc, "Conformance");
    }

    /** GET /api: the OpenAPI 3.0 definition of this server (the same document as /api/v1/openapi.json). */
    public void api(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", OPENAPI).putHeader("Cache-Control", "no-cache").sendFile("api/openapi.json");
    }

    /** GET /collections: the collections the caller's role reads. */
    public void collections(RoutingContext ctx) {
        Params.onlyDeclared(ctx);
        String f = format(ctx);
        Caller caller = Caller.of(ctx);
        String base = origin(ctx);
        features.extent(caller).onSuccess(extent -> {
            JsonArray list = new JsonArray();
            for (FeatureCollection c : FeatureCollection.ALL) {
                if (FeatureQueries.readable(caller, c)) {
                    list.add(collection(base, c, extent));
                }
            }
            JsonObject doc = new JsonObject().put("title", "集合 Collections")
                    .put("links", selfAndAlternate(base + "/collections", f, "application/json"))
                    .put("collections", list).put("crs", crsList());
            answer(ctx, f, doc, "Collections");
        }).onFailure(ctx::fail);
    }

    /** GET /collections/{collectionId} */
    public void collection(RoutingContext ctx) {
        Params.onlyDeclared(ctx);
        String f = format(ctx);
        Caller caller = Caller.of(ctx);
        FeatureCollection c = readableCollection(ctx, caller);
        String base = origin(ctx);
        features.extent(caller).onSuccess(extent -> answer(ctx, f, collection(base, c, extent), c.title())).onFailure(ctx::fail);
    }

    /** GET /collections/{collectionId}/items */
    public void items(RoutingContext ctx) {
        ItemsQuery q = itemsQuery(ctx);
        items(ctx, q);
    }

    /**
     * A page of {@code q} as the answer: the seam where another condition joins the request's own
     * (CQL2's {@code filter}: {@code items(ctx, itemsQuery(ctx).where(condition))}).
     */
    public void items(RoutingContext ctx, ItemsQuery q) {
        String f = format(ctx);
        Caller caller = Caller.of(ctx);
        String base = origin(ctx);
        String itemsUrl = base + "/collections/" + q.collection().id() + "/items";
        features.page(caller, q).onSuccess(page -> {
            boolean backwards = q.before() != null;
            boolean hasNext = backwards ? page.last() != null : page.more();
            boolean hasPrev = backwards ? page.more() : q.after() != null && page.first() != null;
            JsonArray links = new JsonArray()
                    .add(link(itemsUrl + query(ctx, q, f, null, null), "self", mediaType(f), "this page"))
                    .add(link(itemsUrl + query(ctx, q, "html".equals(f) ? "json" : "html", null, null), "alternate",
                            "html".equals(f) ? GEOJSON : "text/html", "this page as " + ("html".equals(f) ? "GeoJSON" : "HTML")))
                    .add(link(base + "/collections/" + q.collection().id(), "collection", "application/json", q.collection().title()));
            if (hasNext) {
                links.add(link(itemsUrl + query(ctx, q, f, page.last(), null), "next", mediaType(f), "next page"));
            }
            if (hasPrev) {
                links.add(link(itemsUrl + query(ctx, q, f, null, page.first()), "prev", mediaType(f), "previous page"));
            }
            String timeStamp = OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString();
            // The envelope around the features PostgreSQL built: links and counts are ours, the features its.
            Buffer head = Buffer.buffer("{\"type\":\"FeatureCollection\",\"numberReturned\":" + page.features().size()
                    + ",\"links\":" + links.encode() + ",\"features\":[");
            Buffer body = head.appendBuffer(page.joined()).appendString("]}");
            ctx.response().putHeader("Content-Crs", "<" + q.crs().uri() + ">");
            if ("html".equals(f)) {
                JsonObject doc = new JsonObject(body);
                send(ctx, "text/html; charset=utf-8", Buffer.buffer(FeatureHtml.features(q.collection().title(), doc)));
            } else {
                // timeStamp is left out of the bytes the ETag covers: the same features are the same answer
                send(ctx, GEOJSON, body, timeStamp);
            }
        }).onFailure(ctx::fail);
    }

    /** GET /collections/{collectionId}/items/{featureId} */
    public void item(RoutingContext ctx) {
        Params.onlyDeclared(ctx);
        String f = format(ctx);
        Caller caller = Caller.of(ctx);
        FeatureCollection c = readableCollection(ctx, caller);
        String id = Params.path(ctx, "featureId", c.key(), "an id of a feature of " + c.id());
        Crs crs = crs(ctx, "crs");
        String base = origin(ctx);
        String url = base + "/collections/" + c.id() + "/items/" + encode(id);
        features.one(caller, c, id, crs).onSuccess(text -> {
            JsonObject feature = new JsonObject(text);
            feature.put("links", new JsonArray()
                    .add(link(url + (f.equals("html") ? "?f=html" : "?f=json"), "self", mediaType(f), "this feature"))
                    .add(link(url + (f.equals("html") ? "?f=json" : "?f=html"), "alternate", f.equals("html") ? GEOJSON : "text/html",
                            "this feature as " + (f.equals("html") ? "GeoJSON" : "HTML")))
                    .add(link(base + "/collections/" + c.id(), "collection", "application/json", c.title())));
            ctx.response().putHeader("Content-Crs", "<" + crs.uri() + ">");
            if (f.equals("html")) {
                send(ctx, "text/html; charset=utf-8", Buffer.buffer(FeatureHtml.feature(c.id() + " " + id, feature)));
            } else {
                send(ctx, GEOJSON, feature.toBuffer());
            }
        }).onFailure(ctx::fail);
    }

    /** The items request's parameters, checked (a bad one is a 400 naming it). */
    public ItemsQuery itemsQuery(RoutingContext ctx) {
        Params.onlyDeclared(ctx);
        Caller caller = Caller.of(ctx);
        FeatureCollection c = readableCollection(ctx, caller);
        int limit = Params.intInRange(ctx, "limit", 1, ItemsQuery.MAX_LIMIT, ItemsQuery.DEFAULT_LIMIT);
        String after = Params.optional(ctx, "after", c.key(), "an id of a feature of " + c.id());
        String before = Params.optional(ctx, "before", c.key(), "an id of a feature of " + c.id());
        if (after != null && before != null) {
            throw ApiError.badRequest("invalid_parameter", "after and before cannot both be given", new JsonObject().put("parameter", "before"));
        }
        Crs crs = crs(ctx, "crs");
        Crs bboxCrs = crs(ctx, "bbox-crs");
        double[] bbox = bbox(Params.text(ctx, "bbox"));
        if (bbox == null && Params.text(ctx, "bbox-crs") != null) {
            throw ApiError.badRequest("invalid_parameter", "bbox-crs needs a bbox", new JsonObject().put("parameter", "bbox-crs"));
        }
        OffsetDateTime[] span = datetime(Params.text(ctx, "datetime"));
        return new ItemsQuery(c, limit, after, before, bbox, bboxCrs, span[0], span[1], crs, filter(ctx, c));
    }

    /**
     * {@code filter} (CQL2 text, OGC API – Features Part 3) over the collection's queryables, as a
     * condition on its table with its literals as parameters; null without one. A filter that does not
     * parse or names what is no queryable is a 400 {@code invalid_filter} saying where.
     */
    private static SqlCondition filter(RoutingContext ctx, FeatureCollection c) {
        String text = Params.text(ctx, "filter");
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Cql2Filters.requireCql2Text(Params.text(ctx, "filter-lang"));
            FilterCrs crs = FilterCrs.of(Params.text(ctx, "filter-crs"));
            SqlFilter f = FilterTranslator.translate(text, Queryables.of(c.id()).orElseThrow(), crs, c.alias(), 1);
            return new SqlCondition(f.sql(), f.params());
        } catch (FilterException e) {
            throw e.toApiError();
        }
    }

    private JsonObject collection(String base, FeatureCollection c, FeatureQueries.Extent extent) {
        String url = base + "/collections/" + c.id();
        JsonObject ext = new JsonObject();
        if (extent.bbox() != null) {
            double[] b = extent.bbox();
            ext.put("spatial", new JsonObject().put("bbox", new JsonArray().add(new JsonArray().add(round(b[0])).add(round(b[1]))
                    .add(round(b[2])).add(round(b[3])))).put("crs", Crs.CRS84.uri()));
        }
        if (c.temporal()) {
            ext.put("temporal", new JsonObject().put("interval", new JsonArray().add(new JsonArray()
                    .add(extent.firstCase() == null ? null : extent.firstCase().withOffsetSameInstant(ZoneOffset.UTC).toString())
                    .add(extent.lastCase() == null ? null : extent.lastCase().withOffsetSameInstant(ZoneOffset.UTC).toString())))
                    .put("trs", TRS));
        }
        return new JsonObject().put("id", c.id()).put("title", c.title()).put("description", c.description())
                .put("links", new JsonArray()
                        .add(link(url, "self", "application/json", c.title()))
                        .add(link(url + "?f=html", "alternate", "text/html", c.title()))
                        .add(link(url + "/items", "items", GEOJSON, c.title() + " items"))
                        .add(link(url + "/items?f=html", "items", "text/html", c.title() + " items"))
                        .add(link(url + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json",
                                c.title() + " queryables"))
                        .addAll(tileSets.collectionLinks(base, c.id())))
                .put("extent", ext).put("itemType", "feature").put("crs", crsList()).put("storageCrs", Crs.CRS84.uri());
    }

    private static JsonArray crsList() {
        JsonArray list = new JsonArray();
        Crs.ALL.forEach(c -> list.add(c.uri()));
        return list;
    }

    private static FeatureCollection readableCollection(RoutingContext ctx, Caller caller) {
        String id = ctx.pathParam("collectionId");
        FeatureCollection c = FeatureCollection.find(id).orElseThrow(() -> ApiError.notFound("collection " + id));
        if (!FeatureQueries.readable(caller, c)) {
            throw ApiError.forbidden("collection " + c.id() + " needs " + c.permission());
        }
        return c;
    }

    /** "json" or "html": {@code f} first, then whether the Accept header prefers HTML (a browser) to JSON. */
    static String format(RoutingContext ctx) {
        String f = Params.oneOf(ctx, "f", FORMATS, null);
        if (f != null) {
            return f;
        }
        String accept = ctx.request().getHeader("Accept");
        if (accept == null) {
            return "json";
        }
        int html = accept.indexOf("text/html");
        int json = Math.max(accept.indexOf("json"), -1);
        return html >= 0 && (json < 0 || html < json) ? "html" : "json";
    }

    /** The CRS parameter {@code name} names (CRS84 when absent); another is a 400 naming the ones served. */
    public static Crs crs(RoutingContext ctx, String name) {
        String v = Params.text(ctx, name);
        if (v == null || v.isEmpty()) {
            return Crs.CRS84;
        }
        return Crs.byUri(v).orElseThrow(() -> ApiError.badRequest("invalid_parameter", name + " must be one of "
                + crsList().encode() + ", got '" + clip(v) + "'", new JsonObject().put("parameter", name)));
    }

    /** bbox: 4 numbers (or 6, with heights, which are ignored) in the bbox CRS's axis order. */
    public static double[] bbox(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        String[] parts = v.split(",", -1);
        if (parts.length != 4 && parts.length != 6) {
            throw badBbox(v);
        }
        double[] n = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            if (!NUMBER.matcher(p).matches()) {
                throw badBbox(v);
            }
            n[i] = Double.parseDouble(p);
            if (!Double.isFinite(n[i])) {
                throw badBbox(v);
            }
        }
        double[] b = parts.length == 4 ? n : new double[] {n[0], n[1], n[3], n[4]};
        if (b[0] > b[2] || b[1] > b[3]) {
            throw ApiError.badRequest("invalid_parameter", "bbox must be lower corner, then upper corner (a box across the"
                    + " antimeridian is not served)", new JsonObject().put("parameter", "bbox"));
        }
        return b;
    }

    private static ApiError badBbox(String v) {
        return ApiError.badRequest("invalid_parameter", "bbox must be 4 (or 6) comma-separated numbers, got '" + clip(v) + "'",
                new JsonObject().put("parameter", "bbox"));
    }

    /** datetime: an instant, or a span {@code start/end} with {@code ..} (or nothing) for an open end; [from, to]. */
    public static OffsetDateTime[] datetime(String v) {
        if (v == null || v.isEmpty()) {
            return new OffsetDateTime[2];
        }
        String[] parts = v.split("/", -1);
        if (parts.length > 2) {
            throw badDatetime(v);
        }
        if (parts.length == 1) {
            // an instant: a date is the whole day (in UTC), a time the instant itself
            if (v.length() == 10) {
                OffsetDateTime day = instant(v, false);
                return new OffsetDateTime[] {day, instant(v, true)};
            }
            OffsetDateTime t = instant(v, false);
            return new OffsetDateTime[] {t, t};
        }
        OffsetDateTime from = open(parts[0]) ? null : instant(parts[0], false);
        OffsetDateTime to = open(parts[1]) ? null : instant(parts[1], true);
        if (from == null && to == null && !(parts[0].equals("..") || parts[1].equals(".."))) {
            throw badDatetime(v);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw ApiError.badRequest("invalid_parameter", "datetime's start is after its end", new JsonObject().put("parameter", "datetime"));
        }
        return new OffsetDateTime[] {from, to};
    }

    private static boolean open(String end) {
        return end.isEmpty() || end.equals("..");
    }

    private static OffsetDateTime instant(String s, boolean endOfDay) {
        try {
            if (s.length() == 10) {
                LocalDate d = LocalDate.parse(s);
                return endOfDay ? d.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC).minusNanos(1000)
                        : d.atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(s.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            throw badDatetime(s);
        }
    }

    private static ApiError badDatetime(String v) {
        return ApiError.badRequest("invalid_parameter", "datetime must be an RFC 3339 date-time or date, or a span start/end with"
                + " '..' for an open end, got '" + clip(v) + "'", new JsonObject().put("parameter", "datetime"));
    }

    /** The query string of a page of {@code q}: its own parameters again, with this page's key. */
    private static String query(RoutingContext ctx, ItemsQuery q, String f, String after, String before) {
        StringBuilder s = new StringBuilder("?f=").append(f).append("&limit=").append(q.limit());
        for (String name : CARRIED) {
            String v = Params.text(ctx, name);
            if (v != null && !v.isEmpty()) {
                s.append('&').append(name).append('=').append(encode(v));
            }
        }
        if (after != null) {
            s.append("&after=").append(encode(after));
        } else if (before != null) {
            s.append("&before=").append(encode(before));
        } else if (q.after() != null) {
            s.append("&after=").append(encode(q.after()));
        } else if (q.before() != null) {
            s.append("&before=").append(encode(q.before()));
        }
        return s.toString();
    }

    private static JsonArray selfAndAlternate(String url, String f, String jsonType) {
        boolean html = f.equals("html");
        return new JsonArray()
                .add(link(url + (html ? "?f=html" : "?f=json"), "self", html ? "text/html" : jsonType, "this document"))
                .add(link(url + (html ? "?f=json" : "?f=html"), "alternate", html ? jsonType : "text/html",
                        "this document as " + (html ? "JSON" : "HTML")));
    }

    private static JsonObject link(String href, String rel, String type, String title) {
        return new JsonObject().put("href", href).put("rel", rel).put("type", type).put("title", title);
    }

    private static String mediaType(String f) {
        return f.equals("html") ? "text/html" : GEOJSON;
    }

    private static void answer(RoutingContext ctx, String f, JsonObject doc, String title) {
        if (f.equals("html")) {
            send(ctx, "text/html; charset=utf-8", Buffer.buffer(FeatureHtml.document(doc, title)));
        } else {
            send(ctx, "application/json", doc.toBuffer());
        }
    }

    private static void send(RoutingContext ctx, String type, Buffer body) {
        send(ctx, type, body, null);
    }

    /**
     * The answer with its ETag; a 304 when the client has it. {@code timeStamp}, when given, goes into
     * the document after the tag is taken, so it does not change the tag.
     */
    private static void send(RoutingContext ctx, String type, Buffer body, String timeStamp) {
        String etag = etag(body);
        var response = ctx.response().putHeader("ETag", etag).putHeader("Cache-Control", "private, no-cache")
                .putHeader("Vary", "Accept, Authorization, Cookie");
        if (Validators.matches(ctx.request().getHeader("If-None-Match"), etag)) {
            response.setStatusCode(304).end();
            return;
        }
        Buffer out = body;
        if (timeStamp != null) {
            // {"type":"FeatureCollection", … → {"type":"FeatureCollection","timeStamp":"…", …
            String prefix = "{\"type\":\"FeatureCollection\",";
            out = Buffer.buffer(prefix + "\"timeStamp\":\"" + timeStamp + "\",").appendBuffer(body.slice(prefix.length(), body.length()));
        }
        response.putHeader("Content-Type", type).end(out);
    }

    private static String etag(Buffer body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes());
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String origin(RoutingContext ctx) {
        String o = RequestOrigin.of(ctx).origin();
        return o == null ? "" : o;
    }

    private static String encode(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    private static String clip(String v) {
        return v.length() > 60 ? v.substring(0, 60) + "…" : v;
    }
}
