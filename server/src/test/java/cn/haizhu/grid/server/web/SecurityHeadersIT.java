package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The security headers (SecurityHeaders) on every kind of answer the server gives — pages, their
 * scripts and styles, webjars, the API, Open311, errors, redirects, the event stream — and the
 * Content-Security-Policy at work in Chromium: an inline script is refused and reported, a page
 * cannot be framed, and the wall's own work (map, charts and their tooltips) breaks no rule. The
 * other page tests (wall, desk, tablet, imports, login) check the same for theirs: Browser fails a
 * test whose pages reported a violation.
 */
class SecurityHeadersIT {
    private static String command;
    @RegisterExtension
    final Browsers browsers = new Browsers();
    private Browser browser;

    @BeforeAll
    static void setUp() {
        TestServer.get();
        command = Http.token("command");
    }

    @Test
    void everyAnswerCarriesThePolicyNosniffAndTheReferrerPolicy() throws Exception {
        Map<String, HttpResponse<?>> answers = new LinkedHashMap<>();
        // public
        for (String path : List.of("/health", "/login", "/assets/login.js", "/assets/common.css", "/assets/dom.js",
                "/webjars/leaflet/1.9.4/dist/leaflet.js", "/api/v1/openapi.json", "/open311/v2/discovery.json",
                "/", "/desk/", "/api/v1/me", "/no/such/page")) {
            answers.put("GET " + path + " (no session)", Http.get(path, null));
        }
        answers.put("POST /api/v1/auth/login (wrong password)", Http.post("/api/v1/auth/login", "application/json",
                "{\"username\":\"command\",\"password\":\"wrong\"}", null));
        // signed in
        for (String path : List.of("/", "/desk/", "/tablet/", "/imports/", "/wall/main.js", "/tablet/sw.js",
                "/vendor/charts.js", "/api/v1/me", "/api/v1/areas?level=street", "/api/v1/map-config",
                "/api/v1/no-such-route", "/api/v1/cases?limit=nonsense")) {
            answers.put("GET " + path, Http.get(path, command));
        }
        answers.put("GET /api/v1/events", eventStreamHeaders());

        assertEquals(200, answers.get("GET /").statusCode());
        assertTrue(answers.get("GET /").headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertEquals(404, answers.get("GET /api/v1/no-such-route").statusCode());
        assertEquals(401, answers.get("GET /api/v1/me (no session)").statusCode());
        String policy = answers.get("GET /login (no session)").headers().firstValue("Content-Security-Policy").orElse(null);
        assertNotNull(policy, "the login page has a policy");
        for (String directive : List.of("script-src 'self'", "object-src 'none'", "base-uri 'none'",
                "frame-ancestors 'none'", "form-action 'self'", "connect-src 'self'", "worker-src 'self'")) {
            assertTrue(policy.contains(directive), directive + " in " + policy);
        }
        assertFalse(policy.contains("unsafe-inline") || policy.contains("unsafe-eval"), policy);

        List<String> missing = new ArrayList<>();
        answers.forEach((what, r) -> {
            HttpHeaders h = r.headers();
            if (!policy.equals(h.firstValue("Content-Security-Policy").orElse(null))
                    || !"nosniff".equals(h.firstValue("X-Content-Type-Options").orElse(null))
                    || !"same-origin".equals(h.firstValue("Referrer-Policy").orElse(null))) {
                missing.add(what + " → " + r.statusCode() + " " + h.map());
            }
        });
        assertTrue(missing.isEmpty(), "answers without the headers:\n" + String.join("\n", missing));
    }

    @Test
    void theBrowserEnforcesThePolicyAndTheWallBreaksNoneOfIt() throws Exception {
        browser = browsers.start(TestServer.get().baseUrl());
        browser.open("/login");
        browser.waitPresent("body[data-login-ready]", "the login page's module runs under the policy");
        assertEquals(List.of(), browser.cspViolations(), "the login page itself breaks no rule");

        // an inline script (what stored XSS would bring) is refused, and the refusal is reported
        browser.js("""
                const s = document.createElement('script');
                s.textContent = 'window.__inline = 1';
                document.head.append(s);""");
        assertEquals(Boolean.TRUE, browser.js("return typeof window.__inline === 'undefined'"), "the inline script did not run");
        browser.waitUntil(d -> !browser.cspViolations().isEmpty());

        // no page of ours can be framed (clickjacking), not even by another page of ours
        browser.js("""
                const f = document.createElement('iframe');
                f.id = 'framed';
                f.src = '/login';
                document.body.append(f);""");
        browser.waitUntil(d -> Boolean.TRUE.equals(browser.js("""
                const f = document.getElementById('framed');
                try { return !f.contentDocument || !f.contentDocument.getElementById('login-form'); } catch (e) { return true; }""")));
        browser.waitUntil(d -> !browser.cspViolations().isEmpty());

        // the wall at work: map, live cases, both charts with their tooltips
        CaseFixtures fx = CaseFixtures.load();
        CaseFixtures.report("command", CaseFixtures.unique("策略测试"), fx.lon, fx.lat);
        WallPage wall = new WallPage(browser);
        browser.open("/");
        wall.signIn("command");
        wall.gridsDrawn();
        browser.waitPresent("body[data-live=open]", "the case stream is open");
        browser.waitUntil(d -> {
            String open = d.findElement(By.id("chart-phases")).getAttribute("data-total");
            return open != null && !open.equals("0");
        });
        // round the ring until the mouse is over a segment: which angles hold one depends on the cases of the day
        hoverRingUntil("chart-phases", 0.32, 0.5, 0.65, "#chart-phases .chart-tip", "the donut's tooltip");
        hover("chart-streets", 0.6, 0.5, 0);
        browser.waitPresent("#chart-streets .chart-tip", "the bars' tooltip");
        browser.screenshot("csp-wall-tooltip");
        assertEquals(List.of(), browser.cspViolations(), "the wall breaks no rule");
        assertEquals(List.of(), browser.consoleErrors(), "no script errors");
    }

    /** Moves the mouse round a ring centred at (fx, fy) of a chart's box until {@code css} shows. */
    private void hoverRingUntil(String id, double fx, double fy, double ring, String css, String what) {
        WebElement chart = browser.find(By.id(id));
        int w = chart.getRect().width;
        int h = chart.getRect().height;
        for (int degrees = 0; degrees < 360; degrees += 20) {
            double a = Math.toRadians(degrees);
            int x = (int) (w * fx + Math.cos(a) * ring * Math.min(w, h) / 2) - w / 2;
            int y = (int) (h * fy + Math.sin(a) * ring * Math.min(w, h) / 2) - h / 2;
            new Actions(browser.driver()).moveToElement(chart, x, y).perform();
            try {
                browser.waitUntil(d -> !d.findElements(By.cssSelector(css)).isEmpty(), Duration.ofMillis(800));
                return;
            } catch (org.openqa.selenium.TimeoutException notHere) {
                // no segment under this angle: the next one
            }
        }
        browser.waitPresent(css, what);
    }

    /** Moves the mouse onto a chart: at (fx, fy) of its box, then right by ring × half its smaller side. */
    private void hover(String id, double fx, double fy, double ring) {
        WebElement chart = browser.find(By.id(id));
        int w = chart.getRect().width;
        int h = chart.getRect().height;
        int x = (int) (w * fx + ring * Math.min(w, h) / 2) - w / 2;
        int y = (int) (h * fy) - h / 2;
        new Actions(browser.driver()).moveToElement(chart, x, y).perform();
    }

    /** The headers of the event stream (it does not end, so its body is not read). */
    private static HttpResponse<InputStream> eventStreamHeaders() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/api/v1/events?types=case."))
                .header("Authorization", "Bearer " + command).timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        assertEquals(200, r.statusCode());
        return r;
    }
}
