package cn.haizhu.grid.server.open311;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.cases.CasesIT;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Open311 GeoReport v2 as an external hotline system uses it. Every answer is checked against the
 * GeoReport v2 response shapes: the fields the spec requires, their JSON types, W3C dates, and the
 * XML element structure.
 */
class Open311IT {
    static String key;
    static String admin;

    @BeforeAll
    static void setUp() throws Exception {
        CasesIT.setUp();
        admin = Http.token("admin");
        key = newClient("hotline", "peer");
    }

    /** A new Open311 client acting as {@code actAs}, named uniquely; its key. */
    static String newClient(String name, String actAs) {
        HttpResponse<String> r = Http.post("/api/v1/open311-clients", "application/json", new JsonObject()
                .put("name", name + "-" + UUID.randomUUID().toString().substring(0, 8)).put("actAs", actAs).encode(), admin);
        assertEquals(201, r.statusCode(), r.body());
        return Http.json(r).getString("key");
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static HttpResponse<String> post(Map<String, String> fields) {
        return Http.post("/open311/v2/requests.json", "application/x-www-form-urlencoded", form(fields), null);
    }

    static Map<String, String> report(String description) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("api_key", key);
        f.put("service_code", CasesIT.CATEGORY);
        f.put("lat", Double.toString(CasesIT.inside[1]));
        f.put("long", Double.toString(CasesIT.inside[0]));
        f.put("address_string", "海珠区测试路2号");
        f.put("description", description);
        return f;
    }

    static Document xml(HttpResponse<String> r) throws Exception {
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/xml"), r.headers().toString());
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
    }

    /** The GeoReport v2 service_request shape. */
    static void assertRequestShape(JsonObject r) {
        for (String f : Set.of("service_request_id", "status", "service_name", "service_code", "requested_datetime",
                "updated_datetime", "lat", "long")) {
            assertNotNull(r.getValue(f), f + " in " + r.encode());
        }
        for (String f : Set.of("status_notes", "description", "agency_responsible", "service_notice", "expected_datetime",
                "address", "address_id", "zipcode", "media_url")) {
            assertTrue(r.containsKey(f), f + " present (may be null) in " + r.encode());
        }
        assertTrue(Set.of("open", "closed").contains(r.getString("status")));
        assertTrue(r.getValue("lat") instanceof Number && r.getValue("long") instanceof Number);
        OffsetDateTime.parse(r.getString("requested_datetime"));   // W3C with offset
        OffsetDateTime.parse(r.getString("updated_datetime"));
    }

    @Test
    void discoveryAndServicesInBothFormats() throws Exception {
        JsonObject d = Http.json(Http.get("/open311/v2/discovery.json", null));
        JsonObject endpoint = d.getJsonArray("endpoints").getJsonObject(0);
        assertEquals("http://wiki.open311.org/GeoReport_v2", endpoint.getString("specification"));
        assertTrue(endpoint.getString("url").endsWith("/open311/v2"));
        JsonArray services = new JsonArray(Http.get("/open311/v2/services.json", null).body());
        assertTrue(services.size() > 40);
        for (Object o : services) {
            JsonObject s = (JsonObject) o;
            for (String f : Set.of("service_code", "service_name", "description", "type", "keywords", "group")) {
                assertTrue(s.getValue(f) instanceof String, f + " in " + s.encode());
            }
            assertTrue(s.getValue("metadata") instanceof Boolean);
            assertTrue(Set.of("realtime", "batch", "blackbox").contains(s.getString("type")));
        }
        Document x = xml(Http.get("/open311/v2/services.xml", null));
        assertEquals("services", x.getDocumentElement().getTagName());
        assertEquals(services.size(), x.getElementsByTagName("service").getLength());
        JsonObject def = Http.json(Http.get("/open311/v2/services/" + CasesIT.CATEGORY + ".json", null));
        assertEquals(CasesIT.CATEGORY, def.getString("service_code"));
        assertEquals(0, def.getJsonArray("attributes").size());
        HttpResponse<String> missing = Http.get("/open311/v2/services/SJ9999.json", null);
        assertEquals(404, missing.statusCode());
        assertEquals(404, new JsonArray(missing.body()).getJsonObject(0).getInteger("code"));
    }

    @Test
    void anExternalSystemReportsAndTracksACase() throws Exception {
        HttpResponse<String> created = post(report("井盖缺失，有安全隐患"));
        assertEquals(201, created.statusCode(), created.body());
        JsonObject answer = new JsonArray(created.body()).getJsonObject(0);
        String id = answer.getString("service_request_id");
        assertTrue(id.matches("440105-\\d{8}-\\d{6,}"), id);
        assertTrue(answer.containsKey("account_id"));

        JsonArray one = new JsonArray(Http.get("/open311/v2/requests/" + id + ".json?api_key=" + key, null).body());
        assertEquals(1, one.size());
        JsonObject r = one.getJsonObject(0);
        assertRequestShape(r);
        assertEquals("open", r.getString("status"));
        assertEquals(CasesIT.CATEGORY, r.getString("service_code"));
        assertEquals("井盖缺失，有安全隐患", r.getString("description"));
        assertEquals(CasesIT.inside[1], r.getDouble("lat"), 1e-9);
        JsonObject ext = r.getJsonObject("extended_attributes");
        assertEquals("reported", ext.getString("state"));
        assertEquals("report", ext.getJsonArray("notes").getJsonObject(0).getString("action"));

        // the desk files it: still open outside, the notes grow (the dispatcher's comment is not for the public)
        String gid = caseId(id);
        CasesIT.ok(CasesIT.dispatcher, gid, new JsonObject().put("action", "file").put("comment", "立案"));
        JsonObject after = new JsonArray(Http.get("/open311/v2/requests/" + id + ".json?api_key=" + key, null).body())
                .getJsonObject(0);
        assertEquals("open", after.getString("status"));
        assertEquals("filed", after.getJsonObject("extended_attributes").getString("state"));
        assertEquals(List.of("report", "file"), after.getJsonObject("extended_attributes").getJsonArray("notes").stream()
                .map(n -> ((JsonObject) n).getString("action")).toList());

        // the list with the spec's filters
        JsonArray open = new JsonArray(Http.get("/open311/v2/requests.json?status=open&service_code=" + CasesIT.CATEGORY
                + "&api_key=" + key, null).body());
        assertTrue(open.stream().map(JsonObject.class::cast).anyMatch(x -> id.equals(x.getString("service_request_id"))));
        open.forEach(o -> assertRequestShape((JsonObject) o));
        JsonArray closed = new JsonArray(Http.get("/open311/v2/requests.json?status=closed&api_key=" + key, null).body());
        assertFalse(closed.stream().map(JsonObject.class::cast).anyMatch(x -> id.equals(x.getString("service_request_id"))));
        JsonArray byId = new JsonArray(Http.get("/open311/v2/requests.json?service_request_id=" + id + "&api_key=" + key,
                null).body());
        assertEquals(1, byId.size());
        Document x = xml(Http.get("/open311/v2/requests/" + id + ".xml?api_key=" + key, null));
        assertEquals("service_requests", x.getDocumentElement().getTagName());
        assertEquals(id, x.getElementsByTagName("service_request_id").item(0).getTextContent());
        assertEquals(1, new JsonArray(Http.get("/open311/v2/tokens/" + id + ".json?api_key=" + key, null).body()).size());
    }

    @Test
    void aRetriedPostWithItsClientIdMakesOneCase() {
        Map<String, String> f = report("路灯不亮");
        f.put("client_request_id", UUID.randomUUID().toString());
        HttpResponse<String> first = post(f);
        HttpResponse<String> again = post(f);
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(new JsonArray(first.body()).getJsonObject(0).getString("service_request_id"),
                new JsonArray(again.body()).getJsonObject(0).getString("service_request_id"));
    }

    @Test
    void errorsComeInTheSpecsShape() throws Exception {
        Map<String, String> noKey = report("x");
        noKey.remove("api_key");
        HttpResponse<String> r = post(noKey);
        assertEquals(401, r.statusCode());
        assertEquals("Bearer realm=\"open311\"", r.headers().firstValue("WWW-Authenticate").orElse(null), "a 401 names its scheme");
        JsonObject e = new JsonArray(r.body()).getJsonObject(0);
        assertEquals(401, e.getInteger("code"));
        assertTrue(e.getString("description").contains("api_key"));
        Map<String, String> badKey = report("x");
        badKey.put("api_key", "not-a-key");
        HttpResponse<String> bad = post(badKey);
        assertEquals(401, bad.statusCode());
        assertTrue(bad.headers().firstValue("WWW-Authenticate").isPresent());
        Map<String, String> noPlace = report("x");
        noPlace.remove("lat");
        HttpResponse<String> r2 = post(noPlace);
        assertEquals(400, r2.statusCode());
        assertTrue(new JsonArray(r2.body()).getJsonObject(0).getString("description").contains("lat and long"));
        Map<String, String> nowhere = report("x");
        nowhere.remove("lat");
        nowhere.remove("long");
        nowhere.remove("address_string");
        HttpResponse<String> r3 = post(nowhere);
        assertEquals(400, r3.statusCode());
        assertTrue(new JsonArray(r3.body()).getJsonObject(0).getString("description").contains("address_string"), r3.body());
        Map<String, String> badCode = report("x");
        badCode.put("service_code", "XX01");
        assertEquals(404, post(badCode).statusCode());
        Map<String, String> badLat = report("x");
        badLat.put("lat", "north");
        assertEquals(400, post(badLat).statusCode());
        assertEquals(400, Http.get("/open311/v2/requests.json?status=maybe&api_key=" + key, null).statusCode());
        assertEquals(400, Http.get("/open311/v2/requests.json?start_date=yesterday&api_key=" + key, null).statusCode());
        assertEquals(200, Http.get("/open311/v2/requests.json", null).statusCode(), "reads without a key: the public view");
        assertEquals(401, Http.get("/open311/v2/requests.json?api_key=not-a-key", null).statusCode(), "a key sent must be good");
        HttpResponse<String> xmlError = Http.get("/open311/v2/requests/HZ000.xml?api_key=" + key, null);
        assertEquals(404, xmlError.statusCode());
        Document x = xml(xmlError);
        assertEquals("errors", x.getDocumentElement().getTagName());
        assertEquals("404", x.getElementsByTagName("code").item(0).getTextContent());
        // a key acting as a data officer may not report: the officer's role cannot
        Map<String, String> officer = report("x");
        officer.put("api_key", newClient("officer-app", "officer"));
        assertEquals(403, post(officer).statusCode());
    }

    /** The case id (for /api/v1) of a service_request_id. */
    static String caseId(String number) {
        return Http.json(Http.get("/api/v1/cases?limit=200", CasesIT.command)).getJsonArray("items").stream()
                .map(JsonObject.class::cast).filter(c -> number.equals(c.getString("number"))).findFirst().orElseThrow()
                .getString("id");
    }

    @Test
    void aUsersSessionIsNoKeyAndAKeyIsNoSession() {
        for (String user : new String[] {"peer", "admin"}) {
            String token = Http.token(user);
            Map<String, String> f = report("x");
            f.put("api_key", token);
            HttpResponse<String> r = post(f);
            assertEquals(401, r.statusCode(), user + "'s bearer token as api_key: " + r.body());
            assertEquals(401, Http.get("/open311/v2/requests.json?api_key=" + token, null).statusCode());
            assertEquals(401, Http.get("/open311/v2/requests.json", token).statusCode(), "nor as a bearer header");
        }
        // the key in a header (out of the URL and the proxies' logs) works as in the query
        HttpResponse<String> viaHeader = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                cn.haizhu.grid.server.TestServer.get().baseUrl() + "/open311/v2/requests.json")).header("X-Api-Key", key).GET().build());
        assertEquals(200, viaHeader.statusCode(), viaHeader.body());
        // a key opens nothing under /api/v1, whatever its user may do there
        for (String path : new String[] {"/api/v1/me", "/api/v1/cases", "/api/v1/stats/district", "/api/v1/open311-clients"}) {
            assertEquals(401, Http.get(path, key).statusCode(), path);
        }
        HttpResponse<String> intake = Http.post("/api/v1/cases", "application/json",
                new JsonObject().put("source", "external").encode(), key);
        assertEquals(401, intake.statusCode(), intake.body());
    }

    @Test
    void administratorsIssueListAndRevokeKeysWhichAreStoredHashed() throws Exception {
        String name = "gateway-" + UUID.randomUUID().toString().substring(0, 8);
        JsonObject body = new JsonObject().put("name", name).put("actAs", "peer");
        assertEquals(403, Http.post("/api/v1/open311-clients", "application/json", body.encode(), Http.token("dispatcher"))
                .statusCode(), "users.manage only");
        assertEquals(403, Http.get("/api/v1/open311-clients", Http.token("officer")).statusCode());
        HttpResponse<String> created = Http.post("/api/v1/open311-clients", "application/json", body.encode(), admin);
        assertEquals(201, created.statusCode(), created.body());
        String issued = Http.json(created).getString("key");
        assertTrue(issued.startsWith("o311_") && issued.length() >= 48, "32 random bytes: " + issued.length());
        assertEquals("peer", Http.json(created).getJsonObject("client").getString("actAs"));
        assertEquals(409, Http.post("/api/v1/open311-clients", "application/json", body.encode(), admin).statusCode(),
                "one live client per name");
        assertEquals(422, Http.post("/api/v1/open311-clients", "application/json",
                new JsonObject().put("name", name + "x").put("actAs", "nobody").encode(), admin).statusCode());
        assertEquals(422, Http.post("/api/v1/open311-clients", "application/json",
                new JsonObject().put("name", "Bad Name").put("actAs", "peer").encode(), admin).statusCode());

        // only the key's SHA-256 is stored, nowhere the key itself
        String[] stored = cn.haizhu.grid.server.TestServer.get().firstRow("SELECT encode(key_hash, 'hex'), "
                + "(SELECT count(*) FROM open311_client c WHERE c::text LIKE '%" + issued.substring(5, 20) + "%')::text "
                + "FROM open311_client WHERE name = '" + name + "' AND revoked_at IS NULL");
        assertEquals(java.util.HexFormat.of().formatHex(cn.haizhu.grid.server.auth.AuthService.sha256(issued)), stored[0]);
        assertEquals("0", stored[1]);

        Map<String, String> f = report("路面坑洼");
        f.put("api_key", issued);
        HttpResponse<String> r = post(f);
        assertEquals(201, r.statusCode(), r.body());
        JsonObject listed = Http.json(Http.get("/api/v1/open311-clients", admin)).getJsonArray("items").stream()
                .map(JsonObject.class::cast).filter(c -> name.equals(c.getString("name"))).findFirst().orElseThrow();
        assertNotNull(listed.getString("lastUsedAt"), listed.encode());
        assertFalse(listed.encode().contains(issued.substring(5)), "a listing never shows the key");
        assertEquals("Open311：" + name, Http.json(Http.get("/api/v1/cases/" + caseId(new JsonArray(r.body()).getJsonObject(0)
                .getString("service_request_id")), CasesIT.command)).getString("reporter"), "the case names its client");

        assertEquals(204, Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cn.haizhu.grid.server.TestServer.get()
                .baseUrl() + "/api/v1/open311-clients/" + name)).header("Authorization", "Bearer " + admin).DELETE().build())
                .statusCode());
        assertEquals(401, post(f).statusCode(), "a revoked key stops at once");
        assertEquals(401, Http.get("/open311/v2/requests.json?api_key=" + issued, null).statusCode());
        assertEquals(201, Http.post("/api/v1/open311-clients", "application/json", body.encode(), admin).statusCode(),
                "the name is free again for a new key");
    }

    @Test
    void onlyPublicRepliesReachTheNotes() {
        HttpResponse<String> created = post(report("占道经营"));
        assertEquals(201, created.statusCode(), created.body());
        String number = new JsonArray(created.body()).getJsonObject(0).getString("service_request_id");
        String gid = caseId(number);
        CasesIT.ok(CasesIT.dispatcher, gid, new JsonObject().put("action", "verify").put("comment", "内部：请网格员张三核实，注意该商户有前科"));
        CasesIT.ok(CasesIT.dispatcher, gid, new JsonObject().put("action", "reject").put("comment", "经核实已于昨日处理完毕，不予立案"));
        HttpResponse<String> r = Http.get("/open311/v2/requests/" + number + ".json?api_key=" + key, null);
        JsonObject one = new JsonArray(r.body()).getJsonObject(0);
        assertEquals("closed", one.getString("status"));
        assertEquals("经核实已于昨日处理完毕，不予立案", one.getString("status_notes"), "the rejection reason is the public reply");
        assertFalse(r.body().contains("内部") || r.body().contains("张三"), "no internal comment: " + r.body());
        JsonArray notes = one.getJsonObject("extended_attributes").getJsonArray("notes");
        assertEquals(List.of("report", "reject"), notes.stream().map(n -> ((JsonObject) n).getString("action")).toList(),
                "milestones only: " + notes.encode());
        assertEquals("经核实已于昨日处理完毕，不予立案", notes.getJsonObject(1).getString("note"));
        String list = Http.get("/open311/v2/requests.json?service_request_id=" + number + "&api_key=" + key, null).body();
        assertFalse(list.contains("内部"), list);
        String xmlBody = Http.get("/open311/v2/requests/" + number + ".xml?api_key=" + key, null).body();
        assertFalse(xmlBody.contains("内部"), xmlBody);
    }
}
