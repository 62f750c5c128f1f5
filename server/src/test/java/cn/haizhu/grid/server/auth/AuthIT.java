package cn.haizhu.grid.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class AuthIT {
    @Test
    void healthIsOpenAndReportsTheSchema() {
        HttpResponse<String> r = Http.get("/health", null);
        assertEquals(200, r.statusCode());
        assertEquals("up", Http.json(r).getString("database"));
        assertTrue(Http.json(r).getString("schemaVersion").matches("\\d+"), r.body());
    }

    @Test
    void everythingElseIsDeniedByDefault() {
        for (String path : new String[] {"/api/v1/areas", "/api/v1/grids", "/api/v1/stats/district", "/api/v1/me",
                "/api/v1/persons?grid=44010500110101", "/api/v1/nothing-here"}) {
            HttpResponse<String> r = Http.get(path, null);
            assertEquals(401, r.statusCode(), path);
            assertEquals("unauthenticated", Http.json(r).getJsonObject("error").getString("code"), path);
        }
        HttpResponse<String> page = Http.send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/"))
                .header("Accept", "text/html").GET().build());
        assertEquals(302, page.statusCode(), "a browser without a session is sent to the login page");
        assertTrue(page.headers().firstValue("Location").orElse("").startsWith("/login"));
        assertEquals(200, Http.get("/login", null).statusCode(), "the login page itself is public");
    }

    @Test
    void unknownRoutesAndMethodsAnswerInTheErrorFormat() {
        String token = Http.token("command");
        HttpResponse<String> missing = Http.get("/api/v1/no-such-thing", token);
        assertEquals(404, missing.statusCode());
        assertEquals("not_found", Http.json(missing).getJsonObject("error").getString("code"));
        HttpResponse<String> tooBig = Http.post("/api/v1/auth/token", "application/json", "x".repeat(2 << 20), null);
        assertEquals(413, tooBig.statusCode());
        assertEquals("too_large", Http.json(tooBig).getJsonObject("error").getString("code"));
    }

    @Test
    void tokenLifecycle() {
        String token = Http.token("dispatcher");
        HttpResponse<String> me = Http.get("/api/v1/me", token);
        assertEquals(200, me.statusCode());
        assertEquals("dispatcher", Http.json(me).getString("role"));
        HttpResponse<String> revoked = Http.send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/api/v1/auth/token"))
                .header("Authorization", "Bearer " + token).DELETE().build());
        assertEquals(204, revoked.statusCode());
        assertEquals(401, Http.get("/api/v1/me", token).statusCode(), "a revoked token no longer works");
        assertEquals(401, Http.get("/api/v1/me", "not-a-token").statusCode());
    }

    @Test
    void tokenAnswerCarriesAnExpiry() {
        HttpResponse<String> r = Http.post("/api/v1/auth/token", "application/json",
                new JsonObject().put("username", "admin").put("password", TestServer.PASSWORD).encode(), null);
        assertEquals(201, r.statusCode());
        assertNotNull(Http.json(r).getString("expiresAt"));
    }

    @Test
    void badCredentialsAndMalformedBodiesAreClear4xx() {
        HttpResponse<String> wrong = Http.post("/api/v1/auth/token", "application/json",
                "{\"username\":\"admin\",\"password\":\"nope\"}", null);
        assertEquals(401, wrong.statusCode());
        HttpResponse<String> unknown = Http.post("/api/v1/auth/token", "application/json",
                "{\"username\":\"nobody\",\"password\":\"nope\"}", null);
        assertEquals(401, unknown.statusCode());
        HttpResponse<String> malformed = Http.post("/api/v1/auth/token", "application/json", "{not json", null);
        assertEquals(400, malformed.statusCode());
        assertEquals("malformed_json", Http.json(malformed).getJsonObject("error").getString("code"));
        HttpResponse<String> missing = Http.post("/api/v1/auth/token", "application/json", "{}", null);
        assertEquals(400, missing.statusCode());
        HttpResponse<String> wrongType = Http.post("/api/v1/auth/token", "text/plain", "x", null);
        assertEquals(415, wrongType.statusCode());
        HttpResponse<String> array = Http.post("/api/v1/auth/token", "application/json", "[1,2]", null);
        assertEquals(400, array.statusCode());
    }

    @Test
    void browserLoginSetsAStrictHttpOnlyCookie() {
        HttpResponse<String> r = Http.post("/api/v1/auth/login", "application/json",
                new JsonObject().put("username", "command").put("password", TestServer.PASSWORD).encode(), null);
        assertEquals(200, r.statusCode());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith(AuthHandler.COOKIE + "="), cookie);
        assertTrue(cookie.toLowerCase(java.util.Locale.ROOT).contains("httponly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        String value = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        HttpResponse<String> me = Http.send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/api/v1/me"))
                .header("Cookie", AuthHandler.COOKIE + "=" + value).GET().build());
        assertEquals(200, me.statusCode());
        assertEquals("command", Http.json(me).getString("username"));
    }

    @Test
    void formLoginRedirectsOnlyToLocalPaths() {
        HttpResponse<String> r = Http.post("/api/v1/auth/login", "application/x-www-form-urlencoded",
                "username=command&password=" + TestServer.PASSWORD + "&next=https%3A%2F%2Fevil.example%2F", null);
        assertEquals(302, r.statusCode());
        assertEquals("/", r.headers().firstValue("Location").orElse(""));
        assertEquals("/", AuthResource.safeNext("//evil.example"));
        assertEquals("/", AuthResource.safeNext("/\t/evil.example"));
        assertEquals("/", AuthResource.safeNext("/\\evil.example"));
        assertEquals("/", AuthResource.safeNext("https://evil.example/"));
        assertEquals("/index.html?x=1", AuthResource.safeNext("/index.html?x=1"));
    }

    private static HttpResponse<String> tokenFrom(String address, String username, String password) {
        return Http.send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/api/v1/auth/token"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", username)
                        .put("password", password).encode())).build());
    }

    @Test
    void wrongPasswordsFromOneAddressMakeItWaitWithRetryAfterAndNoLockout() {
        String attacker = "203.0.113.77";
        int refused = 0;
        HttpResponse<String> r = null;
        for (int i = 0; i < SignInThrottle.ADDRESS_FREE + 2; i++) {
            r = tokenFrom(attacker, "user" + i, "wrong-password-" + i);
            if (r.statusCode() == 429) {
                refused++;
            } else {
                assertEquals(401, r.statusCode(), r.body());
            }
        }
        assertTrue(refused >= 1, "past the allowance the address waits");
        assertEquals(429, r.statusCode());
        assertTrue(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        assertEquals("too_many_sign_ins", Http.json(r).getJsonObject("error").getString("code"));
        // even the right password waits from that address: the wait is the point, not the password
        assertEquals(429, tokenFrom(attacker, "command", TestServer.PASSWORD).statusCode());
        // staff elsewhere are not affected
        assertEquals(201, tokenFrom("198.51.100.20", "command", TestServer.PASSWORD).statusCode());
    }

    @Test
    void aFloodAgainstAnAccountDoesNotLockOutItsOwnerAtTheirUsualAddress() {
        String desk = "198.51.100.30";
        assertEquals(201, tokenFrom(desk, "dispatcher", TestServer.PASSWORD).statusCode(), "the dispatcher's usual desk");
        for (int i = 0; i < SignInThrottle.ACCOUNT_FREE + 3; i++) {
            tokenFrom("203.0.113." + (100 + i), "dispatcher", "guess-" + i);
        }
        assertEquals(429, tokenFrom("203.0.113.200", "dispatcher", TestServer.PASSWORD).statusCode(),
                "a new address must wait for this account");
        assertEquals(201, tokenFrom(desk, "dispatcher", TestServer.PASSWORD).statusCode(),
                "its owner at the usual desk gets in at once");
    }

    @Test
    void aCookieSignedChangeFromAnotherSiteIsRefused() {
        HttpResponse<String> login = Http.post("/api/v1/auth/login", "application/json",
                new JsonObject().put("username", "dispatcher").put("password", TestServer.PASSWORD).encode(), null);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String[] house;
        try {
            house = TestServer.get().firstRow("SELECT ST_X(geom), ST_Y(geom) FROM house ORDER BY code LIMIT 1");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        String intake = cn.haizhu.grid.server.cases.CasesIT.intakeBody(
                new double[] {Double.parseDouble(house[0]), Double.parseDouble(house[1])}).put("title", "csrf probe").encode();
        java.util.function.BiFunction<String, String, HttpResponse<String>> post = (type, origin) -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/api/v1/cases"))
                    .header("Cookie", cookie).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(intake));
            if (origin != null) {
                b.header("Origin", origin);
            }
            return Http.send(b.build());
        };
        assertEquals(403, post.apply("application/json", "https://evil.example").statusCode(), "foreign origin");
        assertEquals(403, post.apply("text/plain", "https://evil.example").statusCode(), "the form-able type from elsewhere");
        assertEquals(403, post.apply("application/json", null).statusCode(), "no provenance at all");
        assertEquals(415, post.apply("text/plain", TestServer.get().baseUrl()).statusCode(), "JSON routes take JSON only");
        assertEquals(201, post.apply("application/json", TestServer.get().baseUrl()).statusCode(), "our own page");
        // a bearer token is not sent by browsers on their own: no Origin needed
        HttpResponse<String> bearer = Http.post("/api/v1/cases", "application/json", intake, Http.token("dispatcher"));
        assertEquals(201, bearer.statusCode(), bearer.body());
    }

    @Test
    void anotherSiteCannotSignTheBrowserIn() {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/api/v1/auth/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("username=command&password=" + TestServer.PASSWORD)).build());
        assertEquals(403, r.statusCode());
        assertTrue(r.headers().firstValue("Set-Cookie").isEmpty());
    }

    @Test
    void behindATrustedTlsProxyTheCookieIsSecure() {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "grid.example").header("X-Forwarded-For", "198.51.100.40")
                .header("Origin", "https://grid.example")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", "command")
                        .put("password", TestServer.PASSWORD).encode())).build());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Set-Cookie").orElseThrow().contains("Secure"));
    }

    @Test
    void a401NamesTheSchemeThatWouldWork() {
        HttpResponse<String> r = Http.get("/api/v1/me", null);
        assertEquals(401, r.statusCode());
        assertEquals("Bearer realm=\"gridctl\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
    }
}
