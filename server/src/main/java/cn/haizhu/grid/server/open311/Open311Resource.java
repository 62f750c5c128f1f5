package cn.haizhu.grid.server.open311;

import cn.haizhu.grid.data.cases.CaseCategory;
import cn.haizhu.grid.data.cases.CategoryCatalogue;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.cases.CaseIntake;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.UUID;

/** The GeoReport v2 endpoints; see the package documentation for the mapping. */
public final class Open311Resource {
    private final Open311Clients clients;
    private final Open311Requests requests;
    private final CaseIntake intake;
    private final CategoryCatalogue catalogue;

    public Open311Resource(Open311Clients clients, Open311Requests requests, CaseIntake intake, CategoryCatalogue catalogue) {
        this.clients = clients;
        this.requests = requests;
        this.intake = intake;
        this.catalogue = catalogue;
    }

    private static String format(RoutingContext ctx) {
        return ctx.pathParam("format");
    }

    /** GET /open311/v2/discovery.{format} */
    public void discovery(RoutingContext ctx) {
        String base = ctx.request().scheme() + "://" + ctx.request().authority() + "/open311/v2";
        JsonObject d = new JsonObject().put("changeset", "2026-11-28T00:00:00+08:00")
                .put("contact", "海珠区城市管理指挥中心 / Haizhu district command center")
                .put("key_service", "an api_key per client application, issued by an administrator of the command center")
                .put("endpoints", new JsonArray().add(new JsonObject()
                        .put("specification", "http://wiki.open311.org/GeoReport_v2").put("url", base)
                        .put("changeset", "2026-11-28T00:00:00+08:00").put("type", "production")
                        .put("formats", new JsonArray().add("application/json").add("text/xml"))));
        Formats.send(ctx, 200, format(ctx), d, "discovery", null);
    }

    /** GET /open311/v2/services.{format}: every 小类 of the catalogue. */
    public void services(RoutingContext ctx) {
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
        String code = ctx.pathParam("code");
        if (catalogue.byCode(code).isEmpty()) {
            Formats.error(ctx, format(ctx), 404, "service_code " + code + " not found");
            return;
        }
        Formats.send(ctx, 200, format(ctx), new JsonObject().put("service_code", code).put("attributes", new JsonArray()),
                "service_definition", null);
    }

    /** POST /open311/v2/requests.{format} (form-encoded): a new case from an external system. */
    public void postRequest(RoutingContext ctx) {
        String fmt = format(ctx);
        caller(ctx, "cases.report").compose(caller -> {
            var form = ctx.request().formAttributes();
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
            if (lat == null || lon == null) {
                return Future.failedFuture(new Refusal(400,
                        "lat and long are required (this server does not geocode address_string)"));
            }
            String description = form.get("description");
            String media = form.get("media_url");
            if (media != null && !media.isBlank()) {
                description = (description == null ? "" : description + "\n") + "附件 media_url: " + media.strip();
            }
            String summary = description == null || description.isBlank() ? "" : "：" + description.strip();
            String title = category.nameZh() + (summary.length() > 60 ? summary.substring(0, 60) + "…" : summary);
            JsonObject body = new JsonObject().put("source", "external").put("category", category.code())
                    .put("title", title).put("description", description)
                    .put("address", form.get("address_string"))
                    .put("location", new JsonObject().put("lon", lon).put("lat", lat));
            String clientId = form.get("client_request_id");   // an extension: makes a retried POST safe
            if (clientId != null && !clientId.isBlank()) {
                try {
                    body.put("id", UUID.fromString(clientId.strip()).toString());
                } catch (IllegalArgumentException e) {
                    return Future.failedFuture(new Refusal(400, "client_request_id must be a UUID"));
                }
            }
            return intake.report(caller, body);
        }).onSuccess(r -> {
            JsonObject view = r.view();
            JsonArray answer = new JsonArray().add(new JsonObject().put("service_request_id", view.getString("number"))
                    .put("service_notice", "已受理，转" + view.getJsonObject("department").getString("zh") + "办理 / received")
                    .putNull("account_id"));
            Formats.send(ctx, r.created() ? 201 : 200, fmt, answer, "service_requests", "request");
        }).onFailure(e -> fail(ctx, fmt, e));
    }

    /** GET /open311/v2/requests.{format}?service_request_id=&service_code=&start_date=&end_date=&status= */
    public void requests(RoutingContext ctx) {
        String fmt = format(ctx);
        caller(ctx, "cases.read").compose(caller -> {
            String[] ids = list(Params.text(ctx, "service_request_id"));
            String[] codes = list(Params.text(ctx, "service_code"));
            OffsetDateTime end = date(Params.text(ctx, "end_date"), "end_date");
            OffsetDateTime start = date(Params.text(ctx, "start_date"), "start_date");
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
            return requests.list(caller, new Open311Requests.Query(ids, codes, start, end, status));
        }).onSuccess(list -> Formats.send(ctx, 200, fmt, list, "service_requests", "request"))
                .onFailure(e -> fail(ctx, fmt, e));
    }

    /** GET /open311/v2/requests/{id}.{format}: one request with its notes history. */
    public void request(RoutingContext ctx) {
        String fmt = format(ctx);
        String number = ctx.pathParam("id");
        caller(ctx, "cases.read").compose(caller -> requests.one(caller, number))
                .onSuccess(one -> Formats.send(ctx, 200, fmt, new JsonArray().add(one), "service_requests", "request"))
                .onFailure(e -> fail(ctx, fmt, e));
    }

    /** GET /open311/v2/tokens/{token}.{format}: POST answers with the id at once, so a token is the id. */
    public void token(RoutingContext ctx) {
        String fmt = format(ctx);
        String token = ctx.pathParam("token");
        caller(ctx, "cases.read").compose(caller -> requests.exists(caller, token))
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
     * The client behind the request's Open311 key: the {@code api_key} parameter (query or form, as
     * the spec has it), else {@code X-Api-Key} or {@code Authorization: Bearer} (which keep the key out
     * of URLs and proxy logs). Only keys from {@link Open311Clients}: a user's session or bearer token
     * is refused here, as a key is refused under /api/v1.
     */
    private Future<Caller> caller(RoutingContext ctx, String permission) {
        String key = Params.text(ctx, "api_key");
        if (key == null) {
            key = ctx.request().getFormAttribute("api_key");
        }
        if (key == null || key.isBlank()) {
            key = ctx.request().getHeader("X-Api-Key");
        }
        String header = ctx.request().getHeader("Authorization");
        if ((key == null || key.isBlank()) && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = header.substring(7).trim();
        }
        if (key == null || key.isBlank()) {
            return Future.failedFuture(new Refusal(403, "api_key is required (ask the command center for a client key)"));
        }
        return clients.caller(key.strip()).recover(e -> Future.failedFuture(e instanceof ApiError
                        ? new Refusal(403, "api_key is not valid") : e))
                .compose(c -> c.can(permission) ? Future.succeededFuture(c)
                        : Future.failedFuture(new Refusal(403, "this api_key may not do this (needs " + permission + ")")));
    }

    private static void fail(RoutingContext ctx, String fmt, Throwable e) {
        if (e instanceof Refusal r) {
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

    private static OffsetDateTime date(String v, String name) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw new Refusal(400, name + " must be a W3C date-time, e.g. 2026-11-28T09:00:00+08:00");
        }
    }
}
