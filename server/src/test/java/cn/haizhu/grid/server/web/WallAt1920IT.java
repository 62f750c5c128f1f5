package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;

/**
 * The wall as it looks on a 1920×1080 screen, end to end in headless Chromium: the district fills
 * the map panel (and fills it again when the window changes size), no two street names overlap at
 * any zoom, every KPI number is shown whole at the full demo's totals and at ten times them, and the
 * browser gets its icon without a session.
 */
class WallAt1920IT {
    /** The share of the map panel's width or height the fitted area must span. */
    private static final double FILLS = 0.85;

    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void theDistrictFillsTheMapPanelAndItsStreetNamesNeverOverlap() {
        Browser browser = browsers.start(TestServer.get().baseUrl());
        WallPage wall = new WallPage(browser);
        browser.open("/");
        wall.signIn("command");
        wall.gridsDrawn();
        List<Double> district = wall.bboxOf("district");
        wall.settled();
        assertFills(wall, district, "the district at 1920×1080");
        assertEquals(List.of(), wall.overlappingLabels("street"), "street names at the whole view");
        assertTrue(wall.shownLabels("street") >= 15, "most of the 18 street names are shown: " + wall.shownLabels("street"));
        browser.screenshot("wall-1920-fitted");
        // in English the names stay Chinese, but the page's language picks their font: laid out again
        browser.click(By.cssSelector("[data-lang=en]"));
        browser.waitUntil(d -> "en".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
        assertEquals(List.of(), wall.overlappingLabels("street"), "street names at the whole view, in English");
        browser.screenshot("wall-1920-fitted-en");
        browser.click(By.cssSelector("[data-lang=zh-CN]"));
        browser.waitUntil(d -> "zh-CN".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
        assertEquals(List.of(), wall.overlappingLabels("street"), "street names at the whole view, back in Chinese");

        // the dense north-west, from farther out than the whole view to street level, in the wall's steps
        double lat = district.get(3) - (district.get(3) - district.get(1)) * 0.3;
        double lon = district.get(0) + (district.get(2) - district.get(0)) * 0.2;
        for (double z = 11; z <= 15.5; z += 0.5) {
            browser.js("window.gridctlWall.map.setView([arguments[0], arguments[1]], arguments[2], {animate: false})", lat, lon, z);
            wall.settled();
            assertEquals(List.of(), wall.overlappingLabels("street"), "street names at zoom " + z);
            assertEquals(List.of(), wall.overlappingLabels("community"), "community names at zoom " + z);
        }
        browser.screenshot("wall-1920-north-west");

        // back to the whole view, then a smaller and a larger window: fitted again each time
        browser.click(By.id("map-home"));
        wall.settled();
        assertFills(wall, district, "the district back at the whole view");
        // a smaller window: the district fitted again, whole (the cards over the map take a larger share of it)
        browser.viewport(1600, 900);
        try {
            browser.waitUntil(d -> whole(wall, district, 0.6));
        } catch (TimeoutException e) {
            fail("the district after the window became 1600×900: " + describe(wall.span(district)));
        }
        wall.settled();
        assertEquals(List.of(), wall.overlappingLabels("street"), "street names at 1600×900");
        try {
            browser.waitUntil(d -> kpisCut(browser).isEmpty());
        } catch (TimeoutException e) {
            assertEquals(List.of(), kpisCut(browser), "KPI numbers shown whole at 1600×900");
        }
        browser.screenshot("wall-1600-refitted");
        // and back: filling the panel again
        browser.viewport(1920, 1080);
        try {
            browser.waitUntil(d -> whole(wall, district, FILLS));
        } catch (TimeoutException e) {
            assertFills(wall, district, "the district after the window came back to 1920×1080");
        }
        wall.settled();
        assertFills(wall, district, "the district after the window came back to 1920×1080");
        assertEquals(List.of(), wall.overlappingLabels("street"), "street names back at 1920×1080");
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
    }

    @Test
    void kpiNumbersAreShownWholeWhateverTheirSize() throws Exception {
        Browser browser = browsers.start(TestServer.get().baseUrl());
        WallPage wall = new WallPage(browser);
        try {
            // the full demo's totals, then ten times them, through the real path: the grids' counts in
            // the database, summed by the stats API, drawn by the page
            setTotals(1_581_460, 916_978, 35_445);
            browser.open("/");
            wall.signIn("command");
            assertKpisWhole(browser, 1_581_460, "158.15", "万人");
            assertEquals("1,581,460 人", browser.waitUntil(d -> d.findElement(By.cssSelector("[data-kpi=persons]")).getAttribute("title")),
                    "the exact figure is in the card's title");
            assertEquals("91.70", text(browser, "[data-kpi=houses] .kpi-value"));
            assertEquals("35,445", text(browser, "[data-kpi=enterprises] .kpi-value"), "five digits stay exact");
            browser.screenshot("wall-1920-kpis-full-demo");
            browser.click(By.cssSelector("[data-lang=en]"));
            assertKpisWhole(browser, 1_581_460, "1.58", "M");
            browser.click(By.cssSelector("[data-lang=zh-CN]"));

            setTotals(15_814_600, 9_169_780, 354_450);
            browser.open("/");
            assertKpisWhole(browser, 15_814_600, "1581.46", "万人");
            browser.screenshot("wall-1920-kpis-ten-times");
            setTotals(1_581_460_000L, 916_978_000L, 35_445_000L);
            browser.open("/");
            assertKpisWhole(browser, 1_581_460_000L, "15.81", "亿人");
            browser.click(By.cssSelector("[data-lang=en]"));
            assertKpisWhole(browser, 1_581_460_000L, "1.58", "B");
            browser.click(By.cssSelector("[data-lang=zh-CN]"));
        } finally {
            try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement()) {
                s.execute("SELECT refresh_grid_stats()");
            }
        }
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
    }

    @Test
    void theBrowserGetsItsIconWithoutASession() throws Exception {
        HttpResponse<byte[]> icon = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + "/favicon.ico")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, icon.statusCode());
        assertTrue(icon.headers().firstValue("Content-Type").orElse("").startsWith("image/"), icon.headers().map().toString());
        byte[] ico = icon.body();
        assertTrue(ico.length > 6 && ico[0] == 0 && ico[1] == 0 && ico[2] == 1 && ico[3] == 0, "an ICO file");

        // the pages name their icon, and it is there for a browser that has not signed in
        Browser browser = browsers.start(TestServer.get().baseUrl());
        browser.open("/login");
        browser.waitPresent("body[data-login-ready]");
        for (String page : List.of("/login", "/")) {
            String html = Http.send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + page))
                    .header("Authorization", "Bearer " + Http.token("command")).GET().build()).body();
            assertTrue(html.contains("<link rel=\"icon\""), page + " links its icon");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fetched = (Map<String, Object>) browser.jsAsync("""
                const done = arguments[arguments.length - 1];
                const href = document.querySelector('link[rel=icon]').href;
                fetch(href, { credentials: 'omit' }).then((r) => done({ status: r.status, type: r.headers.get('content-type') }))
                  .catch((e) => done({ status: 0, type: String(e) }));""");
        assertEquals(200L, ((Number) fetched.get("status")).longValue(), fetched.toString());
        assertTrue(String.valueOf(fetched.get("type")).startsWith("image/"), fetched.toString());
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
    }

    // ── checks ──

    /** True when the whole outline is in the map panel and spans at least share of its width or height. */
    static boolean whole(WallPage wall, List<Double> bbox, double share) {
        double[] s = wall.span(bbox);
        return s[2] == 1 && Math.max(s[0], s[1]) >= share;
    }

    static void assertFills(WallPage wall, List<Double> bbox, String what) {
        double[] s = wall.span(bbox);
        assertEquals(1, s[2], what + ": the whole outline is in the map panel; " + describe(s));
        assertTrue(Math.max(s[0], s[1]) >= FILLS, what + ": " + describe(s) + "; at least " + Math.round(FILLS * 100) + "% of one");
    }

    private static String describe(double[] span) {
        return "spans " + Math.round(span[0] * 100) + "% of the map panel's width and " + Math.round(span[1] * 100)
                + "% of its height" + (span[2] == 1 ? "" : ", not all inside it");
    }

    /**
     * Waits for the persons card to hold {@code persons}, checks how it is shown, and that every KPI
     * card shows its number and unit whole: inside the card, not cut, no ellipsis.
     */
    private static void assertKpisWhole(Browser browser, long persons, String shown, String unit) {
        browser.waitUntil(d -> String.valueOf(persons).equals(
                d.findElement(By.cssSelector("[data-kpi=persons] .kpi-value")).getAttribute("data-value"))
                && shown.equals(d.findElement(By.cssSelector("[data-kpi=persons] .kpi-value")).getText()));
        assertEquals(unit, text(browser, "[data-kpi=persons] .kpi-unit"));
        assertEquals(List.of(), kpisCut(browser), "KPI numbers shown whole at " + persons + " persons");
    }

    /** The KPI figures and units not shown whole: outside their card, cut, wrapped or with an ellipsis. */
    @SuppressWarnings("unchecked")
    static List<String> kpisCut(Browser browser) {
        return (List<String>) browser.js("""
                const out = [];
                for (const card of document.querySelectorAll('#kpi-strip .kpi')) {
                  const box = card.getBoundingClientRect();
                  for (const part of card.querySelectorAll('.kpi-value, .kpi-unit')) {
                    const r = part.getBoundingClientRect();
                    const whole = part.scrollWidth <= part.clientWidth && r.left >= box.left && r.right <= box.right
                      && r.top >= box.top && r.bottom <= box.bottom && !part.textContent.includes('…')
                      && getComputedStyle(part).textOverflow !== 'ellipsis' && part.getClientRects().length === 1;
                    if (!whole) {
                      out.push(card.dataset.kpi + ' ' + part.className + ' "' + part.textContent + '" ' + Math.round(r.left) + '–'
                        + Math.round(r.right) + ' in ' + Math.round(box.left) + '–' + Math.round(box.right));
                    }
                  }
                }
                return out;""");
    }

    /** The element's text; found again if the page redraws it meanwhile (the KPI strip redraws as events arrive). */
    private static String text(Browser browser, String css) {
        return browser.waitUntil(d -> d.findElement(By.cssSelector(css)).getText());
    }

    /**
     * Makes the grids' counts (grid_stats, which the stats API sums) total these figures, each grid
     * keeping its share; refresh_grid_stats() puts back the true counts.
     */
    private static void setTotals(long persons, long houses, long enterprises) throws Exception {
        try (Connection c = TestServer.get().db.connection()) {
            for (Object[] column : new Object[][] {{"person_count", persons}, {"house_count", houses}, {"enterprise_count", enterprises}}) {
                String name = (String) column[0];
                long total = (Long) column[1];
                try (PreparedStatement share = c.prepareStatement("UPDATE grid_stats SET " + name + " = round(" + name
                        + " * ?::numeric / (SELECT sum(" + name + ") FROM grid_stats))");
                     PreparedStatement rest = c.prepareStatement("UPDATE grid_stats SET " + name + " = " + name
                             + " + (?::bigint - (SELECT sum(" + name + ") FROM grid_stats)) WHERE grid_code = (SELECT max(grid_code) FROM grid_stats)")) {
                    share.setLong(1, total);
                    share.executeUpdate();
                    rest.setLong(1, total);
                    rest.executeUpdate();
                }
            }
        }
    }
}
