package cn.haizhu.grid.server;

import static org.junit.jupiter.api.Assertions.fail;

import cn.haizhu.grid.server.AuthorizationMatrixIT.Entry;
import cn.haizhu.grid.server.AuthorizationMatrixIT.Req;
import cn.haizhu.grid.server.AuthorizationMatrixIT.Scope;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of the authorization matrix, its good request spoiled every way a careless or hostile
 * client spoils one: each path value, query parameter and JSON member replaced by the wrong type,
 * nothing, something huge, NUL, invalid UTF-8, markup or SQL; whole bodies empty, truncated, deeply
 * nested, with duplicate keys, in invalid UTF-8, or over the size limit. Each answer must be below
 * 500, and an answer that refuses (4xx) must leave the stored data as it was: the counts of the
 * tables a request can write are compared before and after each one.
 */
class RouteFuzzIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Every sign-in this test spoils counts against this address, not the other tests' (a trusted proxy says so). */
    private static final String FUZZ_ADDRESS = "203.0.113.250";
    private static final String BIG = "x".repeat(100_000);
    /** Raw (already percent-encoded or deliberately broken) values for paths and query strings. */
    private static final List<String> URL_VALUES = List.of("", "%20", "%00", "%FF%FE", "%C3%28", "-1", "0",
            "99999999999999999999999", "1e309", "NaN", "null", "..%2F..%2Fetc%2Fpasswd", "%27%20OR%20%271%27%3D%271",
            "%3Cscript%3E", enc("日本語🙂"), enc(BIG), enc("a,b,c"), "%25", "%");
    private static final List<Object> JSON_VALUES = List.of(1, -1, 1.5e308, true, "", "\u0000", "<img src=x>", BIG,
            new io.vertx.core.json.JsonArray().add(1), new JsonObject().put("a", 1), "99999999999999999999");
    private static final List<String> TABLES = List.of("civic_case", "case_event", "attachment", "import_job",
            "open311_client", "app_user", "person", "house", "grid", "security_alert");

    @BeforeAll
    static void callers() throws Exception {
        AuthorizationMatrixIT.callersAndObjects();
    }

    @Test
    void noSpoiledRequestGetsA5xxOrChangesAnythingWhenRefused() throws Exception {
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Map.Entry<String, Entry> e : AuthorizationMatrixIT.matrix().entrySet()) {
            Entry entry = e.getValue();
            String role = AuthorizationMatrixIT.roleThatMay(entry.permission());
            Req good = entry.request().apply(Scope.OWN, role);
            for (Req spoiled : spoil(good)) {
                String token = AuthorizationMatrixIT.tokenFor(e.getKey(), role);
                Map<String, Long> before = counts();
                int status;
                byte[] body;
                try {
                    HttpResponse<byte[]> r = send(spoiled, token);
                    status = r.statusCode();
                    body = r.body();
                } catch (IllegalArgumentException notAUri) {
                    // a path java.net.URI refuses (a lone %): sent as raw bytes on a socket instead
                    int[] code = new int[1];
                    body = raw(spoiled, token, code);
                    status = code[0];
                } catch (java.io.IOException io) {
                    // the server may close a connection on a request it cannot parse: that is no 5xx
                    continue;
                }
                sent++;
                String what = e.getKey() + " ← " + describe(spoiled);
                if (status >= 500 || status == 0) {
                    failures.add(what + ": " + status + " " + clip(new String(body, StandardCharsets.UTF_8)));
                } else if (status >= 400 && !before.equals(counts())) {
                    failures.add(what + ": refused with " + status + " yet changed " + diff(before, counts()));
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + sent + " spoiled requests went wrong:\n  "
                    + String.join("\n  ", failures.subList(0, Math.min(40, failures.size()))));
        }
        System.out.println("RouteFuzzIT: " + sent + " spoiled requests, none 5xx, none half-applied");
    }

    /** The spoiled versions of one good request. */
    static List<Req> spoil(Req good) {
        List<Req> out = new ArrayList<>();
        String path = good.path();
        String query = "";
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        // each path value (the segments after the resource name)
        String[] segments = path.split("/");
        for (int i = 3; i < segments.length; i++) {
            if (segments[i].matches("v\\d|api|tiles|collections|open311|WebMercatorQuad")) {
                continue;
            }
            for (String bad : URL_VALUES) {
                String[] copy = segments.clone();
                copy[i] = bad;
                out.add(new Req(good.method(), String.join("/", copy) + (query.isEmpty() ? "" : "?" + query),
                        good.contentType(), good.body()));
            }
        }
        // each query parameter, then duplicated, then an unknown one
        Map<String, String> params = params(query);
        for (String name : params.keySet()) {
            for (String bad : URL_VALUES) {
                Map<String, String> copy = new LinkedHashMap<>(params);
                copy.put(name, bad);
                out.add(new Req(good.method(), path + "?" + join(copy), good.contentType(), good.body()));
            }
            out.add(new Req(good.method(), path + "?" + query + "&" + name + "=" + params.get(name) + "x",
                    good.contentType(), good.body()));
        }
        out.add(new Req(good.method(), path + "?" + (query.isEmpty() ? "" : query + "&") + "zz%00=" + enc(BIG),
                good.contentType(), good.body()));
        if (good.body() != null) {
            out.addAll(spoilBody(good));
        } else if (!good.method().equals("GET")) {
            out.add(new Req(good.method(), good.path(), "application/json", "{\"a\":".getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static List<Req> spoilBody(Req good) {
        List<Req> out = new ArrayList<>();
        String type = good.contentType();
        String text = new String(good.body(), StandardCharsets.UTF_8);
        List<byte[]> bodies = new ArrayList<>();
        if (type.startsWith("application/json")) {
            JsonObject json = new JsonObject(text);
            for (String field : json.fieldNames()) {
                for (Object bad : JSON_VALUES) {
                    bodies.add(json.copy().put(field, bad).encode().getBytes(StandardCharsets.UTF_8));
                }
                JsonObject without = json.copy();
                without.remove(field);
                bodies.add(without.encode().getBytes(StandardCharsets.UTF_8));
            }
            String first = json.fieldNames().isEmpty() ? "a" : json.fieldNames().iterator().next();
            bodies.add(("{\"" + first + "\":1,\"" + first + "\":\"two\"}").getBytes(StandardCharsets.UTF_8));
            bodies.add(("[" + "[".repeat(20_000) + "]".repeat(20_000) + "]").getBytes(StandardCharsets.UTF_8));
            bodies.add(("{\"a\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_001)).getBytes(StandardCharsets.UTF_8));
            bodies.add(("{\"a\":\"" + "x".repeat(3 << 20) + "\"}").getBytes(StandardCharsets.UTF_8));   // over the 1 MB limit
        } else if (type.startsWith("application/x-www-form-urlencoded")) {
            Map<String, String> form = params(text);
            for (String name : form.keySet()) {
                for (String bad : URL_VALUES) {
                    Map<String, String> copy = new LinkedHashMap<>(form);
                    copy.put(name, bad);
                    bodies.add(join(copy).getBytes(StandardCharsets.UTF_8));
                }
            }
        } else if (type.startsWith("multipart/form-data")) {
            bodies.add(java.util.Arrays.copyOf(good.body(), good.body().length / 2));                 // cut short
            bodies.add(text.replace("name=\"file\"", "name=\"file\"; filename=\"a\u0000b\"")
                    .getBytes(StandardCharsets.UTF_8));
            bodies.add(text.replaceAll("name=\"(id|lon|lat|dataset)\"\r\n\r\n[^\r]*", "name=\"$1\"\r\n\r\n" + "9".repeat(5000))
                    .getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream huge = new ByteArrayOutputStream();
            huge.writeBytes(good.body());
            huge.writeBytes(new byte[11 << 20]);
            bodies.add(huge.toByteArray());
        }
        // for every kind: nothing, a stray brace, bytes that are not UTF-8
        bodies.add(new byte[0]);
        bodies.add("{".getBytes(StandardCharsets.UTF_8));
        bodies.add(new byte[] {'{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}'});
        for (byte[] b : bodies) {
            out.add(new Req(good.method(), good.path(), type, b));
        }
        // and the wrong declared type
        out.add(new Req(good.method(), good.path(), "text/plain", good.body()));
        out.add(new Req(good.method(), good.path(), null, good.body()));
        return out;
    }

    private static HttpResponse<byte[]> send(Req req, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + req.path().replace(" ", "%20")))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").header("X-Forwarded-For", FUZZ_ADDRESS);
        String path = req.path();
        if (path.contains(AuthorizationMatrixIT.KEY)) {
            b.uri(URI.create(TestServer.get().baseUrl() + path.replace(AuthorizationMatrixIT.KEY, token)));
        } else if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        byte[] body = req.body();
        if (body != null && AuthorizationMatrixIT.KEY.length() > 0) {
            String s = new String(body, StandardCharsets.ISO_8859_1);
            if (s.contains(AuthorizationMatrixIT.KEY)) {
                body = s.replace(AuthorizationMatrixIT.KEY, token).getBytes(StandardCharsets.ISO_8859_1);
            }
        }
        if (req.contentType() != null) {
            b.header("Content-Type", req.contentType());
        }
        b.method(req.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (req.path().startsWith("/api/v1/events")) {
            HttpResponse<java.io.InputStream> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] head = r.statusCode() == 200 ? new byte[0] : r.body().readAllBytes();
            r.body().close();
            return new AuthorizationMatrixIT.Fixed(r, head);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The request as bytes on a socket (what a client that does not check its URLs sends); the status in {@code status[0]}. */
    private static byte[] raw(Req req, String token, int[] status) throws Exception {
        URI base = URI.create(TestServer.get().baseUrl());
        String path = token == null ? req.path() : req.path().replace(AuthorizationMatrixIT.KEY, token);
        byte[] body = req.body() == null ? new byte[0] : req.body();
        StringBuilder head = new StringBuilder(req.method() + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                + base.getPort() + "\r\nConnection: close\r\nAccept: application/json\r\nX-Forwarded-For: " + FUZZ_ADDRESS + "\r\n");
        if (token != null && !req.path().contains(AuthorizationMatrixIT.KEY)) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (req.contentType() != null) {
            head.append("Content-Type: ").append(req.contentType()).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            byte[] answer = socket.getInputStream().readAllBytes();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            status[0] = text.startsWith("HTTP/1.") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
            return answer;
        }
    }

    private static Map<String, Long> counts() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement()) {
            StringBuilder sql = new StringBuilder("SELECT ");
            for (int i = 0; i < TABLES.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(SELECT count(*) FROM ").append(TABLES.get(i)).append(")");
            }
            try (ResultSet rs = s.executeQuery(sql.toString())) {
                rs.next();
                for (int i = 0; i < TABLES.size(); i++) {
                    out.put(TABLES.get(i), rs.getLong(i + 1));
                }
            }
        }
        return out;
    }

    private static String diff(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder sb = new StringBuilder();
        before.forEach((k, v) -> {
            if (!v.equals(after.get(k))) {
                sb.append(k).append(' ').append(v).append("→").append(after.get(k)).append(' ');
            }
        });
        return sb.toString().trim();
    }

    private static Map<String, String> params(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            out.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return out;
    }

    private static String join(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(k).append('=').append(v));
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String describe(Req r) {
        String body = r.body() == null ? "" : " body " + clip(new String(r.body(), StandardCharsets.UTF_8));
        return r.method() + " " + clip(r.path()) + " [" + r.contentType() + "]" + body;
    }

    private static String clip(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
