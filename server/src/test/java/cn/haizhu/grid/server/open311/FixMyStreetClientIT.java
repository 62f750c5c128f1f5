package cn.haizhu.grid.server.open311;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.server.CommandCenter;
import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import cn.haizhu.grid.server.cases.CasesIT;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Open311 as FixMyStreet's own client ({@code perllib/Open311.pm}) calls it: each request is built the
 * way that client builds it with LWP — GET parameters in the query string (no {@code api_key} on
 * GETs, except {@code servicerequestupdates}), POSTs form-encoded with {@code jurisdiction_id} and
 * {@code api_key} in the body, no Accept header, XML endpoints — and each answer is parsed by an XML
 * parser and checked against GeoReport v2: its root and item elements, the fields the spec names, and
 * W3C date-times as DateTime::Format::W3CDTF reads them.
 */
class FixMyStreetClientIT {
    /** What the client's body names itself as: this district's code (its endpoint's jurisdiction). */
    private static final String JURISDICTION = "440105";
    /** A W3C date-time with its zone, as DateTime::Format::W3CDTF parses it. */
    private static final Pattern W3C = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})");
    /** What LWP::UserAgent sends of itself. */
    private static final String LWP = "libwww-perl/6.72";
    /** LWP speaks HTTP/1.1. */
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static String key;

    @BeforeAll
    static void setUp() throws Exception {
        CasesIT.setUp();
        key = Http.open311Key("peer");
    }

    // ── the client's two ways of calling (Open311::_request) ──

    /** GET endpoint/path?params, the parameters in the client's order, jurisdiction_id last. */
    static HttpResponse<String> fmsGet(String base, String path, Map<String, String> params) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put("jurisdiction_id", JURISDICTION);
        return send(HttpRequest.newBuilder(URI.create(base + "/open311/v2/" + path + "?" + form(p)))
                .header("User-Agent", LWP).header("TE", "deflate,gzip;q=0.3").GET().build());
    }

    static HttpResponse<String> fmsGet(String path, Map<String, String> params) {
        return fmsGet(TestServer.get().baseUrl(), path, params);
    }

    /** POST endpoint/path with the parameters form-encoded (HTTP::Request::Common), jurisdiction_id and api_key added. */
    static HttpResponse<String> fmsPost(String path, Map<String, String> params) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put("jurisdiction_id", JURISDICTION);
        p.put("api_key", key);
        return send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/open311/v2/" + path))
                .header("User-Agent", LWP).header("TE", "deflate,gzip;q=0.3")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(p), StandardCharsets.UTF_8)).build());
    }

    /** URI::query_form: UTF-8, spaces as '+'. */
    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static HttpResponse<String> send(HttpRequest r) {
        try {
            return CLIENT.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A report as Open311::_populate_service_request_params makes it (extended description, the reporter's fields). */
    static Map<String, String> problem(String detail) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("description", "路边井盖\n\n" + detail + "\n\nhttps://fms.example.org/report/1234\n");
        p.put("service_code", CasesIT.CATEGORY);
        p.put("first_name", "Li");
        p.put("last_name", "Lei");
        p.put("email", "lilei@example.org");
        return p;
    }

    static Map<String, String> at(Map<String, String> p, double[] lonLat) {
        p.put("lat", Double.toString(lonLat[1]));
        p.put("long", Double.toString(lonLat[0]));
        return p;
    }

    // ── the answers, read as XML::Simple would be given them ──

    static Document xml(HttpResponse<String> r) throws Exception {
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/xml"), r.headers().toString());
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
    }

    /** The items of a GeoReport list: the root's children, each a map of its child elements' text. */
    static List<Map<String, String>> items(Document d, String root, String item) {
        assertEquals(root, d.getDocumentElement().getTagName());
        List<Map<String, String>> out = new ArrayList<>();
        for (Node n = d.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                assertEquals(item, e.getTagName());
                Map<String, String> fields = new LinkedHashMap<>();
                for (Node f = e.getFirstChild(); f != null; f = f.getNextSibling()) {
                    if (f instanceof Element fe) {
                        fields.put(fe.getTagName(), fe.getFirstChild() == null ? null : fe.getTextContent());
                    }
                }
                out.add(fields);
            }
        }
        return out;
    }

    /** One request of GET requests as GeoReport v2 shapes it. */
    static void assertRequest(Map<String, String> r) {
        for (String f : List.of("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
                "address", "address_id", "zipcode", "lat", "long", "media_url")) {
            assertTrue(r.containsKey(f), f + " in " + r);
        }
        assertTrue(Set.of("open", "closed").contains(r.get("status")), r.toString());
        assertTrue(W3C.matcher(r.get("requested_datetime")).matches(), r.get("requested_datetime"));
        assertTrue(W3C.matcher(r.get("updated_datetime")).matches(), r.get("updated_datetime"));
        Double.parseDouble(r.get("lat"));
        Double.parseDouble(r.get("long"));
    }

    static String error(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        List<Map<String, String>> errors = items(xml(r), "errors", "error");
        assertEquals(1, errors.size());
        assertEquals(Integer.toString(status), errors.get(0).get("code"));
        return errors.get(0).get("description");
    }

    static String sent(HttpResponse<String> r) throws Exception {
        assertEquals(201, r.statusCode(), r.body());
        List<Map<String, String>> answer = items(xml(r), "service_requests", "request");
        assertEquals(1, answer.size());
        String id = answer.get(0).get("service_request_id");
        assertNotNull(id);
        return id;
    }

    static Map<String, String> one(String id) throws Exception {
        List<Map<String, String>> found = items(xml(fmsGet("requests.xml", Map.of("service_request_id", id))),
                "service_requests", "request");
        assertEquals(1, found.size(), "requests.xml?service_request_id=" + id);
        return found.get(0);
    }

    // ── the calls ──

    @Test
    void getServiceListAndMetaInfo() throws Exception {
        List<Map<String, String>> services = items(xml(fmsGet("services.xml", Map.of())), "services", "service");
        assertTrue(services.size() > 40);
        for (Map<String, String> s : services) {
            for (String f : List.of("service_code", "service_name", "description", "metadata", "type", "keywords", "group")) {
                assertNotNull(s.get(f), f + " in " + s);
            }
            assertTrue(Set.of("true", "false").contains(s.get("metadata")));
        }
        Document meta = xml(fmsGet("services/" + CasesIT.CATEGORY + ".xml", Map.of()));
        assertEquals("service_definition", meta.getDocumentElement().getTagName());
        assertEquals(CasesIT.CATEGORY, meta.getElementsByTagName("service_code").item(0).getTextContent());
        assertEquals(1, meta.getElementsByTagName("attributes").getLength());
    }

    @Test
    void sendServiceRequestKeepsTheMediaUrlAndReadsBackPubliclyWithoutPersonalData() throws Exception {
        Map<String, String> p = at(problem("请联系 13812345678 处理"), CasesIT.inside);
        p.put("media_url", "https://fms.example.org/photo/1234.full.jpeg");
        p.put("attribute[easting]", "529025");
        String id = sent(fmsPost("requests.xml", p));

        Map<String, String> r = one(id);   // no api_key: FixMyStreet polls requests.xml without one
        assertRequest(r);
        assertEquals("open", r.get("status"));
        assertEquals("https://fms.example.org/photo/1234.full.jpeg", r.get("media_url"), "the case's photo reference");
        assertFalse(r.get("description").contains("media_url"), "no longer glued onto the description");
        assertTrue(r.get("description").contains("138****5678"), "the public view masks the phone: " + r.get("description"));
        assertEquals(null, r.get("status_notes"), "no public reply yet: not the description repeated");
        assertEquals(CasesIT.inside[1], Double.parseDouble(r.get("lat")), 1e-9, "the location as reported");
        String body = fmsGet("requests.xml", Map.of("service_request_id", id)).body();
        assertFalse(body.contains("13812345678") || body.contains("lilei") || body.contains("Lei"), body);

        // with the key: the client's own view, the text as written
        HttpResponse<String> keyed = Http.get("/open311/v2/requests/" + id + ".xml?api_key=" + key, null);
        assertTrue(items(xml(keyed), "service_requests", "request").get(0).get("description").contains("13812345678"));
        // and the desk sees the photo reference on the case
        assertEquals("https://fms.example.org/photo/1234.full.jpeg",
                Http.json(Http.get("/api/v1/cases/" + Open311IT.caseId(id), CasesIT.command)).getString("mediaUrl"));

        // a closing reply is the status_notes, and the update
        String gid = Open311IT.caseId(id);
        CasesIT.ok(CasesIT.dispatcher, gid, new JsonObject().put("action", "verify").put("comment", "内部：先核实"));
        CasesIT.ok(CasesIT.dispatcher, gid, new JsonObject().put("action", "reject").put("comment", "已由物业修复，不予立案"));
        Map<String, String> after = one(id);
        assertEquals("closed", after.get("status"));
        assertEquals("已由物业修复，不予立案", after.get("status_notes"));
    }

    @Test
    void getServiceRequestUpdatesSyncsStatus() throws Exception {
        String id = sent(fmsPost("requests.xml", at(problem("路灯不亮"), CasesIT.inside)));
        String gid = Open311IT.caseId(id);
        CasesIT.ok(CasesIT.dispatcher, gid, new JsonObject().put("action", "verify").put("comment", "内部：请网格员核实"));
        CasesIT.ok(CasesIT.dispatcher, gid, new JsonObject().put("action", "reject").put("comment", "已修复，不予立案"));

        // Open311::GetServiceRequestUpdates: the last two hours, in UTC as DateTime->now formats it
        DateTimeFormatter w3cdtf = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("api_key", key);
        params.put("start_date", now.minusHours(2).format(w3cdtf));
        params.put("end_date", now.plusMinutes(1).format(w3cdtf));
        HttpResponse<String> r = fmsGet("servicerequestupdates.xml", params);
        assertEquals(200, r.statusCode(), r.body());
        List<Map<String, String>> updates = items(xml(r), "service_request_updates", "request_update").stream()
                .filter(u -> id.equals(u.get("service_request_id"))).toList();
        assertEquals(List.of("OPEN", "NO_FURTHER_ACTION"), updates.stream().map(u -> u.get("status")).toList(),
                "the intake and the rejection; verification is no public milestone: " + updates);
        for (Map<String, String> u : updates) {
            for (String f : List.of("update_id", "service_request_id", "status", "updated_datetime", "description", "media_url")) {
                assertTrue(u.containsKey(f), f + " in " + u);
            }
            assertTrue(W3C.matcher(u.get("updated_datetime")).matches(), u.get("updated_datetime"));
        }
        assertEquals("已修复，不予立案", updates.get(1).get("description"), "the public reply");
        assertFalse(r.body().contains("内部"), "no internal comment");
        assertEquals(2, updates.stream().map(u -> u.get("update_id")).distinct().count(), "update ids are unique");
        // asked again, the same ids (the client skips what it saw)
        assertEquals(updates.stream().map(u -> u.get("update_id")).toList(),
                items(xml(fmsGet("servicerequestupdates.xml", params)), "service_request_updates", "request_update").stream()
                        .filter(u -> id.equals(u.get("service_request_id"))).map(u -> u.get("update_id")).toList());
        // a window before it all holds none of them
        params.put("start_date", now.minusDays(3).format(w3cdtf));
        params.put("end_date", now.minusDays(2).format(w3cdtf));
        assertTrue(fmsGet("servicerequestupdates.xml", params).body().indexOf(id) < 0);
        params.remove("end_date");
        assertTrue(error(fmsGet("servicerequestupdates.xml", params), 400).contains("end_date"));
    }

    @Test
    void addressStringIsGeocodedAgainstTheStandardAddresses() throws Exception {
        String[] house = TestServer.get().firstRow("""
                SELECT address, ST_X(geom)::text, ST_Y(geom)::text FROM house
                WHERE address LIKE '%栋%单元%' ORDER BY code LIMIT 1""");
        // as a reporter writes it: in another width, with spaces, the province, and a room not on file
        String written = "广东省 " + house[0].replaceAll("\\d+房$", "9999房").replace("栋", "栋 ")
                .replace('1', '１').replace('2', '２');
        Map<String, String> p = problem("地址报来的");
        p.put("address_string", written);
        HttpResponse<String> r = fmsPost("requests.xml", p);
        String id = sent(r);
        String notice = items(xml(r), "service_requests", "request").get(0).get("service_notice");
        assertTrue(notice.contains("address"), notice);
        Map<String, String> found = one(id);
        assertEquals(written, found.get("address"), "the address as reported");
        double dLon = Double.parseDouble(found.get("long")) - Double.parseDouble(house[1]);
        double dLat = Double.parseDouble(found.get("lat")) - Double.parseDouble(house[2]);
        assertTrue(Math.hypot(dLon, dLat) < 0.002, "placed at the building (within ~200 m): " + found);

        // a road alone is placed on the road
        String road = house[0].replaceFirst("^广州市海珠区", "").replaceFirst("\\d.*$", "");
        Map<String, String> byRoad = problem("只写了路名");
        byRoad.put("address_string", road);
        String roadId = sent(fmsPost("requests.xml", byRoad));
        long onRoad = TestServer.get().count("SELECT count(*) FROM house h JOIN civic_case c ON c.case_number = ? "
                + "WHERE h.address LIKE ? AND ST_DWithin(h.geom, c.geom, 0.00001)", roadId, "%" + road + "%");
        assertTrue(onRoad >= 1, "placed at a house of " + road);

        // nothing matches: 400, saying so
        Map<String, String> nowhere = problem("不存在的地址");
        nowhere.put("address_string", "北京市东城区王府井大街999号");
        String why = error(fmsPost("requests.xml", nowhere), 400);
        assertTrue(why.contains("matches no standard address") && why.contains("王府井大街999号"), why);
    }

    @Test
    void aLocationOutsideTheJurisdictionOrAnotherJurisdictionIsRefused() throws Exception {
        String why = error(fmsPost("requests.xml", at(problem("天安门"), new double[] {116.397, 39.909})), 400);
        assertTrue(why.contains("outside this jurisdiction") && why.contains("440105") && why.contains("km"), why);
        long before = TestServer.get().count("SELECT count(*) FROM civic_case WHERE ST_Y(geom) > 39");
        assertEquals(0, before, "nothing filed");

        HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl()
                + "/open311/v2/services.xml?jurisdiction_id=fixmystreet.com")).header("User-Agent", LWP).GET().build());
        String says = error(wrong, 400);
        assertTrue(says.contains("fixmystreet.com") && says.contains("440105"), says);
        HttpResponse<String> posted = send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/open311/v2/requests.xml"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("service_code", CasesIT.CATEGORY, "lat",
                        Double.toString(CasesIT.inside[1]), "long", Double.toString(CasesIT.inside[0]), "jurisdiction_id", "sfgov.org",
                        "api_key", key)))).build());
        assertTrue(error(posted, 400).contains("sfgov.org"));
    }

    @Test
    void headWorksWhereGetDoesAndA401NamesItsScheme() throws Exception {
        String base = TestServer.get().baseUrl();
        for (String path : new String[] {"/open311/v2/services.xml?jurisdiction_id=440105", "/open311/v2/requests.xml",
                "/open311/v2/discovery.json", "/api/v1/openapi.json"}) {
            HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
            HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(base + path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(get.statusCode(), head.statusCode(), path);
            assertEquals("", head.body(), path + ": no body");
            assertEquals(get.headers().firstValue("content-type"), head.headers().firstValue("content-type"), path);
        }
        HttpResponse<String> headMe = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/me"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(401, headMe.statusCode());
        assertTrue(headMe.headers().firstValue("WWW-Authenticate").isPresent());
        Map<String, String> p = at(problem("x"), CasesIT.inside);
        p.put("api_key", "o311_revoked-or-never-issued");
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/open311/v2/requests.xml"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(p))).build());
        assertEquals(401, r.statusCode());
        assertEquals("Bearer realm=\"open311\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals("401", xml(r).getElementsByTagName("code").item(0).getTextContent());
    }

    @Test
    void theSettingTurnsThePublicViewOff() throws Exception {
        GridConfig closed = GridConfig.load(TestDatabases.projectDir(), Map.of(
                "GRIDCTL_CONFIG", "/nonexistent",
                "GRIDCTL_DATA_DIR", TestServer.get().config.dataDir().toString(),
                "GRIDCTL_DEMO_SCALE", Double.toString(TestServer.SCALE),
                "GRIDCTL_OPEN311_PUBLIC_READS", "false")).withHttpPort(0);
        try (CommandCenter keyed = CommandCenter.start(closed, TestServer.get().db, TestServer.get().cipher)) {
            String base = "http://127.0.0.1:" + keyed.port();
            for (String path : new String[] {"requests.xml", "servicerequestupdates.xml"}) {
                HttpResponse<String> r = fmsGet(base, path, Map.of());
                assertEquals(401, r.statusCode(), path + ": " + r.body());
                assertTrue(r.headers().firstValue("WWW-Authenticate").isPresent());
            }
            assertEquals(200, fmsGet(base, "requests.xml", Map.of("api_key", key)).statusCode(), "a key still reads");
            assertEquals(200, fmsGet(base, "services.xml", Map.of()).statusCode(), "the catalogue stays public");
        }
    }
}
