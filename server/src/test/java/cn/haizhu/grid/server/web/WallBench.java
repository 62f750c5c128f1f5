package cn.haizhu.grid.server.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.openqa.selenium.By;

/**
 * The map wall's two speed figures (issue 5), measured in headless Chromium against a running
 * server (bench/wall starts one on the full-scale demo district):
 * <ol>
 *   <li>the whole district in view: from navigation start of the wall page (signed in) until every
 *       grid tile of the view is decoded and drawn, as the page itself times it
 *       ({@code body[data-grids-drawn-ms]}). The first run meets a cold server cache and an empty
 *       browser cache; the next runs a warm server cache and a fresh browser each;</li>
 *   <li>a case created through the API appearing on the open wall: from just before the POST until
 *       a MutationObserver in the page sees its pulse marker, both on this machine's clock.</li>
 * </ol>
 * Not a test: a program, run by bench/wall ({@code main(baseUrl, username, password)}).
 */
public final class WallBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WallBench() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String user = args[1];
        String password = args[2];
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String token = token(base, user, password);

        List<Long> views = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Browser browser = Browser.start(base);
            try {
                long ms = wholeDistrict(browser, user, password);
                views.add(ms);
                System.out.printf("  whole district drawn: %,d ms%s%n", ms, run == 0 ? "  (cold server cache, empty browser cache)"
                        : "  (warm server cache, empty browser cache)");
                if (run == 0) {
                    browser.screenshot("bench-wall-district");
                }
                if (run == runs - 1) {
                    caseLatency(browser, base, token);
                }
            } finally {
                browser.close();
            }
        }
    }

    /** Signs in on a fresh browser and returns the page's own figure for the first full view of grids. */
    private static long wholeDistrict(Browser browser, String user, String password) {
        WallPage wall = new WallPage(browser);
        browser.open("/");
        wall.signIn(user, password);
        String ms = browser.waitUntil(d -> {
            var found = d.findElements(By.cssSelector("body[data-grids-drawn-ms]"));
            return found.isEmpty() ? null : found.get(0).getAttribute("data-grids-drawn-ms");
        }, Duration.ofSeconds(60));
        int grids = wall.gridsDrawn();
        System.out.printf("  grids in the view: %,d%n", grids);
        if (System.getenv("WALL_TIMELINE") != null) {
            // where the time went: every request of the page, when it started and ended (ms since navigation)
            System.out.println(browser.js("""
                    return performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
                      .sort((a, b) => a.startTime - b.startTime)
                      .map(e => `    ${Math.round(e.startTime)}-${Math.round(e.responseEnd)} ms  ${Math.round(e.transferSize / 1024)} KB  ${new URL(e.name).pathname}${new URL(e.name).search}`)
                      .join('\\n')"""));
        }
        return Long.parseLong(ms);
    }

    /** Ten cases at grid label points, one at a time; the time each takes to pulse on the wall. */
    private static void caseLatency(Browser browser, String base, String token) throws Exception {
        browser.waitPresent("body[data-live=open]", "the case stream is open");
        browser.js("""
                window.__seen = {};
                new MutationObserver(() => {
                  for (const e of document.querySelectorAll('.case-pulse[data-case-id]')) {
                    window.__seen[e.dataset.caseId] ??= Date.now();
                  }
                }).observe(document.body, {subtree: true, childList: true, attributes: true});""");
        JsonArray grids = get(base, "/api/v1/grids?limit=5000", token).getJsonArray("items");
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            JsonObject label = grids.getJsonObject((i * 271) % grids.size()).getJsonObject("label");
            String id = UUID.randomUUID().toString();
            JsonObject body = new JsonObject().put("id", id).put("source", "command").put("category", "SJ0101")
                    .put("title", "大屏延迟测试 " + i)
                    .put("location", new JsonObject().put("lon", label.getDouble("lon")).put("lat", label.getDouble("lat")));
            long sent = System.currentTimeMillis();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/cases"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("POST /api/v1/cases answered " + r.statusCode() + ": " + r.body());
            }
            Number seen = browser.waitUntil(d -> (Number) browser.js("return window.__seen[arguments[0]] ?? null", id),
                    Duration.ofSeconds(10));
            latencies.add(seen.longValue() - sent);
            Thread.sleep(300);
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("  case on the wall after the POST: median %d ms, max %d ms  (10 cases: %s)%n",
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), latencies);
        browser.screenshot("bench-wall-live");
    }

    private static String token(String base, String user, String password) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", user).put("password", password).encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body()).getString("token");
    }

    private static JsonObject get(String base, String path, String token) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body());
    }
}
