package cn.haizhu.grid.server.open311;

import cn.haizhu.grid.data.cases.CaseCategory;
import cn.haizhu.grid.data.cases.CategoryCatalogue;
import cn.haizhu.grid.data.sync.NodeLevel;
import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.cases.CaseIntake;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.FormFields;
import cn.haizhu.grid.server.http.Params;
import cn.haizhu.grid.server.search.AddressGeocoder;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;

/**
 * The GeoReport v2 endpoints, and mySociety's {@code servicerequestupdates}; see the package
 * documentation for the mapping. HTTP only: the requests, updates, geocoder and jurisdiction do the work.
 */
public final class Open311Resource {
    /** A 401's challenge: the key goes in {@code api_key}, {@code X-Api-Key} or as a bearer token. */
    static final String CHALLENGE = "Bearer realm=\"open311\"";

    private final Open311Clients clients;
    private final Open311Requests requests;
    private final Open311Updates updates;
    private final CaseIntake intake;
    private final CategoryCatalogue catalogue;
    private final AddressGeocoder geocoder;
    private final Jurisdiction jurisdiction;
    /** Who a read without a key runs as (the whole jurisdiction, reads only), or null: reads need a key. */
    private final Caller publicReader;

    /**
     * @param publicReads whether reads without a key get the public view ({@code open311.public.reads})
     * @param nodeCode    this node's admin code: its jurisdiction
     * @param nodeLevel   its level: a street node's public view is its street, any other its whole area
     */
    public Open311Resource(Open311Clients clients, ScopedPool db, CaseIntake intake, CategoryCatalogue catalogue,
                           boolean publicReads, String nodeCode, NodeLevel nodeLevel) {
        this.clients = clients;
        this.requests = new Open311Requests(db, catalogue);
        this.updates = new Open311Updates(db);
        this.intake = intake;
        this.catalogue = catalogue;
        this.geocoder = new AddressGeocoder(db);
        this.jurisdiction = new Jurisdiction(nodeCode, db);
        this.publicReader = publicReads ? new Caller(0, "open311-public", "Open311 公众", "public", Set.of("cases.read"),
                nodeLevel == NodeLevel.STREET ? DataScope.street(nodeCode) : DataScope.district(nodeCode), null, Instant.MAX)
                : null;
    }

    private static String format(RoutingContext ctx) {
        return ctx.pathParam("format");
    }

    /**
     * Whether the request's jurisdiction_id (query, or form for a POST) is this server's; if not, the
     * 400 is sent and false returned.
     */
    private boolean inJurisdiction(RoutingContext ctx) {
        String given = Params.text(ctx, "jurisdiction_id");
        if (given == null) {
            given = FormFields.get(ctx, "jurisdiction_id");
        }
        var authority = ctx.request().authority();
        var problem = Jurisdiction.idProblem(given, jurisdiction.code(), authority == null ? null : authority.host());
        problem.ifPresent(p -> Formats.error(ctx, format(ctx), 400, p));
        return problem.isEmpty();
    }

    /** GET /open311/v2/discovery.{format} */
    public void discovery(RoutingContext ctx) {
        if (!inJurisdiction(ctx)) {
            return;
        }
        String base = ctx.request().scheme() + "://" + ctx.request().authority() + "/open311/v2";
        JsonObject d = new JsonObject().put("changeset", "2026-11-28T00:00:00+08:00")
                .put("contact", "海珠区城市管理指挥中心 / Haizhu district command center")
                .put("key_service", "an api_key per client application, issued by an administrator of the command center"
                        + (publicReader != null ? "; reads without a key get the public view" : "; reads need a key too"))
                .put("endpoints", new JsonArray().add(new JsonObject()
                        .put("specification", "http://wiki.open311.org/GeoReport_v2").put("url", base)
                        .put("changeset", "2026-11-28T00:00:00+08:00").put("type", "production")
                        .put("formats", new JsonArray().add("application/json").add("text/xml"))));
        Formats.send(ctx, 200, format(ctx), d, "discovery", null);
    }

    /** GET /open311/v2/services.{format}: every 小类 of the catalogue. */
    public void services(RoutingContext ctx) {
        if (!inJurisdiction(ctx)) {
            return;
        }
        JsonArray list = new JsonArray();
        for (CaseCategory c : catalogue.all()) {
            list.add(new JsonObject().put("service_code", c.code()).put("service_name", c.nameZh())
                    .put("description", c.nameEn() + " (" + c.majorZh() + " / " + c.majorEn() + ")")
                    .put("metadata", false).put("type", "realtime")
                    .put("keywords", c.majorZh() + "," + c.nameZh()).put("group", c.kind().zh() + "·" + c.majorZh()));
        }
        Formats.send(ctx, 200, format(ctx), list, "services", "service");
    }

    /** GET /open311/v2/services/{code}.{format}: no extra attributes (metadata is false for all). */
    public void service(RoutingContext ctx) {
        if (!inJurisdiction(ctx)) {
            return;
        }
        String code = ctx.pathParam("code");
        if (catalogue.byCode(code).isEmpty()) {
            Formats.error(ctx, format(ctx), 404, "service_code " + code + " not found");
            return;
        }
        Formats.send(ctx, 200, format(ctx), new JsonObject().put("service_code", code).put("attributes", new JsonArray()),
                "service_definition", null);
    }

    /**
     * POST /open311/v2/requests.{format} (form-encoded, the key in {@code api_key}): a new case from an
     * outside system. The place is {@code lat}/{@code long}, or else {@code address_string} geocoded
     * against the district's standard addresses; it must lie in the jurisdiction. {@code media_url} is
     * kept as the case's photo reference. The reporter's personal fields (first_name, last_name, email,
     * phone) are not kept: the client application is the reporter.
     */
    public void postRequest(RoutingContext ctx) {
        String fmt = format(ctx);
        if (!inJurisdiction(ctx)) {
            return;
        }
        caller(ctx, "cases.report", false).compose(caller -> {
            var form = FormFields.of(ctx);
            String code = form.get("service_code");
            if (code == null || code.isBlank()) {
                return Future.failedFuture(new Refusal(400, "service_code is required"));
            }
            CaseCategory category = catalogue.byCode(code.strip()).orElse(null);
            if (category == null) {
                return Future.failedFuture(new Refusal(404, "service_code " + code + " not found (GET services)"));
            }
            Double lat = number(form.get("lat"), "lat");
            Double lon = number(form.get("long"), "long");
            if ((lat == null) != (lon == null)) {
                return Future.failedFuture(new Refusal(400, (lat == null ? "lat" : "long") + " is missing: send lat and long together"));
            }
            String address = blankToNull(form.get("address_string"));
            String media = blankToNull(form.get("media_url"));
            var mediaProblem = media == null ? java.util.Optional.<String>empty() : CaseIntake.mediaUrlProblem(media);
            if (mediaProblem.isPresent()) {
                return Future.failedFuture(new Refusal(400, "media_url " + mediaProblem.get()));
            }
            String clientId = blankToNull(form.get("client_request_id"));   // an extension: makes a retried POST safe
            UUID id = null;
            if (clientId != null) {
                try {
                    id = UUID.fromString(clientId);
                } catch (IllegalArgumentException e) {
                    return Future.failedFuture(new Refusal(400, "client_request_id must be a UUID"));
                }
            }
            UUID requestId = id;
            Future<Place> place = lat != null ? Future.succeededFuture(new Place(lon, lat, null)) : geocode(caller, address);
            return place.compose(p -> jurisdiction.contains(caller, p.lon(), p.lat()).map(p))
                    .compose(p -> intake.report(caller, intakeBody(category, form.get("description"), address, media, p, requestId))
                            .map(r -> new Posted(r, p)));
        }).onSuccess(posted -> {
            JsonObject view = posted.reported().view();
            String notice = "已受理，转" + view.getJsonObject("department").getString("zh") + "办理 / received";
            if (posted.place().located() != null) {
                AddressGeocoder.Located l = posted.place().located();
                notice += "; 位置按地址定位 / located by address_string: " + l.matched() + " → " + l.place()
                        + " (" + l.precision().name().toLowerCase(java.util.Locale.ROOT) + ")";
            }
            JsonArray answer = new JsonArray().add(new JsonObject().put("service_request_id", view.getString("number"))
                    .put("service_notice", notice).putNull("account_id"));
            Formats.send(ctx, posted.reported().created() ? 201 : 200, fmt, answer, "service_requests", "request");
        }).onFailure(e -> fail(ctx, fmt, e));
    }

    /** Where a report is: its point, and how the address found it (null when lat/long were sent). */
    private record Place(double lon, double lat, AddressGeocoder.Located located) {
    }

    private record Posted(CaseIntake.Reported reported, Place place) {
    }

    private Future<Place> geocode(Caller caller, String address) {
        if (address == null) {
            return Future.failedFuture(new Refusal(400, "lat and long, or address_string, are required"));
        }
        return geocoder.locate(caller, address).compose(found -> found
                .map(l -> Future.succeededFuture(new Place(l.lon(), l.lat(), l)))
                .orElseGet(() -> Future.failedFuture(new Refusal(400, "address_string '" + address + "' matches no standard "
                        + "address, road, street or community of this jurisdiction (" + jurisdiction.code() + "): "
                        + "地址无法定位, send lat and long"))));
    }

    /** The intake's body (POST /api/v1/cases' shape): the title from the category and the description's start. */
    private static JsonObject intakeBody(CaseCategory category, String description, String address, String media, Place p,
                                         UUID id) {
        String summary = description == null || description.isBlank() ? "" : "：" + description.strip();
        String title = category.nameZh() + (summary.length() > 60 ? summary.substring(0, 60) + "…" : summary);
        JsonObject body = new JsonObject().put("source", "external").put("category", category.code())
                .put("title", title).put("description", description).put("address", address).put("mediaUrl", media)
                .put("location", new JsonObject().put("lon", p.lon()).put("lat", p.lat()));
        if (id != null) {
            body.put("id", id.toString());
        }
        return body;
    }

    /** GET /open311/v2/requests.{format}?service_request_id=&service_code=&start_date=&end_date=&status= */
    public void requests(RoutingContext ctx) {
        String fmt = format(ctx);
        if (!inJurisdiction(ctx)) {
            return;
        }
        caller(ctx, "cases.read", true).compose(caller -> {
            String[] ids = list(Params.text(ctx, "service_request_id"));
            String[] codes = list(Params.text(ctx, "service_code"));
            OffsetDateTime end = W3cDates.parse(Params.text(ctx, "end_date"), "end_date");
            OffsetDateTime start = W3cDates.parse(Params.text(ctx, "start_date"), "start_date");
            if (end == null) {
                end = OffsetDateTime.now(Open311Requests.ZONE);
            }
            if (start == null) {
                start = end.minusDays(90);   // the spec's default window
            }
            String status = Params.text(ctx, "status");
            if (status != null && !status.equals("open") && !status.equals("closed")) {
                return Future.failedFuture(new Refusal(400, "status must be open or closed"));
            }
            return requests.list(caller, new Open311Requests.Query(ids, codes, start, end, status), caller == publicReader);
        }).onSuccess(list -> Formats.send(ctx, 200, fmt, list, "service_requests", "request"))
                .onFailure(e -> fail(ctx, fmt, e));
    }

    /** GET /open311/v2/requests/{id}.{format}: one request with its notes history. */
    public void request(RoutingContext ctx) {
        String fmt = format(ctx);
        if (!inJurisdiction(ctx)) {
            return;
        }
        String number = ctx.pathParam("id");
        caller(ctx, "cases.read", true).compose(caller -> requests.one(caller, number, caller == publicReader))
                .onSuccess(one -> Formats.send(ctx, 200, fmt, new JsonArray().add(one), "service_requests", "request"))
                .onFailure(e -> fail(ctx, fmt, e));
    }

    /** GET /open311/v2/tokens/{token}.{format}: POST answers with the id at once, so a token is the id. */
    public void token(RoutingContext ctx) {
        String fmt = format(ctx);
        if (!inJurisdiction(ctx)) {
            return;
        }
        String token = ctx.pathParam("token");
        caller(ctx, "cases.read", true).compose(caller -> requests.exists(caller, token))
                .onSuccess(exists -> {
                    if (!exists) {
                        Formats.error(ctx, fmt, 404, "token " + token + " not found");
                    } else {
                        Formats.send(ctx, 200, fmt, new JsonArray().add(new JsonObject().put("service_request_id", token)
                                .put("token", token)), "service_requests", "request");
                    }
                }).onFailure(e -> fail(ctx, fmt, e));
    }

    /**
     * GET /open311/v2/servicerequestupdates.{format}?start_date=&end_date=&api_key= (mySociety's
     * extension, as FixMyStreet polls it): the public milestones of the requests between the two dates,
     * oldest first, at most {@link Open311Updates#MAX}. Without dates, the last 24 hours; a client that
     * names one names both.
     */
    public void serviceRequestUpdates(RoutingContext ctx) {
        String fmt = format(ctx);
        if (!inJurisdiction(ctx)) {
            return;
        }
        caller(ctx, "cases.read", true).compose(caller -> {
            OffsetDateTime start = W3cDates.parse(Params.text(ctx, "start_date"), "start_date");
            OffsetDateTime end = W3cDates.parse(Params.text(ctx, "end_date"), "end_date");
            if ((start == null) != (end == null)) {
                return Future.failedFuture(new Refusal(400, "start_date and end_date go together"));
            }
            if (end == null) {
                end = OffsetDateTime.now(W3cDates.ZONE);
                start = end.minusDays(1);
            }
            if (start.isAfter(end)) {
                return Future.failedFuture(new Refusal(400, "start_date is after end_date"));
            }
            return updates.between(caller, start, end, caller == publicReader);
        }).onSuccess(list -> Formats.send(ctx, 200, fmt, list, "service_request_updates", "request_update"))
                .onFailure(e -> fail(ctx, fmt, e));
    }

    /**
     * The client behind the request's Open311 key: the {@code api_key} parameter (query or form, as
     * the spec has it), else {@code X-Api-Key} or {@code Authorization: Bearer} (which keep the key out
     * of URLs and proxy logs). Only keys from {@link Open311Clients}: a user's session or bearer token
     * is refused here, as a key is refused under /api/v1. No key at all is the public reader where
     * {@code publicRead} and the public view is on; a key that is sent must be good (401 otherwise:
     * a client whose key was revoked learns it, rather than silently seeing less).
     */
    private Future<Caller> caller(RoutingContext ctx, String permission, boolean publicRead) {
        String key = Params.text(ctx, "api_key");
        if (key == null) {
            key = FormFields.get(ctx, "api_key");
        }
        if (key == null || key.isBlank()) {
            key = ctx.request().getHeader("X-Api-Key");
        }
        String header = ctx.request().getHeader("Authorization");
        if ((key == null || key.isBlank()) && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = header.substring(7).trim();
        }
        if (key == null || key.isBlank()) {
            if (publicRead && publicReader != null) {
                return Future.succeededFuture(publicReader);
            }
            return Future.failedFuture(new Refusal(401, "api_key is required (ask the command center for a client key)"));
        }
        return clients.caller(key.strip()).recover(e -> Future.failedFuture(e instanceof ApiError
                        ? new Refusal(401, "api_key is not valid (unknown or revoked)") : e))
                .compose(c -> c.can(permission) ? Future.succeededFuture(c)
                        : Future.failedFuture(new Refusal(403, "this api_key may not do this (needs " + permission + ")")));
    }

    private static void fail(RoutingContext ctx, String fmt, Throwable e) {
        if (e instanceof Refusal r) {
            if (r.status == 401) {
                ctx.response().putHeader("WWW-Authenticate", CHALLENGE);   // RFC 9110: a 401 names the scheme that would work
            }
            Formats.error(ctx, fmt, r.status, r.getMessage());
        } else if (e instanceof ApiError api) {
            String why = api.toJson().getJsonObject("error").getJsonObject("details").getString("en");
            JsonObject fields = api.toJson().getJsonObject("error").getJsonObject("details").getJsonObject("fields");
            Formats.error(ctx, fmt, api.status(), api.getMessage() + (fields != null ? " " + fields.encode() : "")
                    + (why != null && !api.getMessage().contains(why) ? " (" + why + ")" : ""));
        } else {
            ctx.fail(e);
        }
    }

    private static Double number(String v, String name) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Refusal(400, name + " must be a number");
    }

    private static String[] list(String v) {
        return v == null || v.isBlank() ? null : Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toArray(String[]::new);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
