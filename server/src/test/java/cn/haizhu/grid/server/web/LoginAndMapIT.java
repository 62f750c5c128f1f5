package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import cn.haizhu.grid.server.auth.AuthHandler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The map wall end to end in headless Chromium: the login page, the district map with its grids,
 * KPIs, grid panel, language switch and sign-out, and a street-scoped user's smaller view.
 * Everything the page shows is checked against what the API returns to the same user.
 */
class LoginAndMapIT {
    private static final List<String> KPIS = List.of("streets", "communities", "grids", "houses", "persons", "enterprises");

    private static TestServer server;
    private Browser browser;

    @BeforeAll
    static void startServer() {
        server = TestServer.get();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void commandStaffSignInSeeTheDistrictAndSignOut() throws Exception {
        browser = Browser.start(server.baseUrl());
        String token = Http.token("command");

        browser.open("/");
        assertEquals("/login?next=%2F", browser.waitForLocation("/login"), "a page without a session goes to the login page");

        signIn("command", "not-the-password");
        WebElement error = browser.waitVisible(By.id("login-error"));
        assertEquals("用户名或密码错误", error.getText());
        assertTrue(browser.location().startsWith("/login"));

        signIn("command", TestServer.PASSWORD);
        int drawn = gridsDrawn();
        assertEquals("/", browser.location(), "back to the page asked for (next)");
        Cookie session = browser.cookie(AuthHandler.COOKIE);
        assertNotNull(session, "a session cookie");
        assertTrue(session.isHttpOnly(), "scripts cannot read the session cookie");
        assertEquals(0L, browser.js("return document.cookie.length"));
        assertEquals(features("/api/v1/grids?format=geojson", token).size(), drawn);
        assertEquals(drawn, ((Number) browser.js("return document.querySelectorAll('path.grid-cell').length")).intValue());

        JsonObject me = Http.json(Http.get("/api/v1/me", token));
        browser.waitUntil(d -> d.findElement(By.id("user-name")).getText().equals(me.getString("displayName")));
        JsonObject totals = Http.json(Http.get("/api/v1/stats/district", token)).getJsonObject("totals");
        assertKpis(totals);
        assertEquals(18, totals.getInteger("streets"));
        assertEquals(18, browser.driver().findElements(By.cssSelector("#street-list .street-row[data-code]")).size());

        String code = clickAGrid();
        WebElement panel = browser.waitVisible(By.id("grid-panel"));
        browser.waitUntil(d -> "ready".equals(panel.getAttribute("data-state")));
        assertEquals(code, panel.findElement(By.cssSelector("[data-field=code]")).getText());
        JsonObject grid = Http.json(Http.get("/api/v1/grids/" + code, token));
        assertEquals(grid.getString("name"), panel.findElement(By.cssSelector("[data-field=name]")).getText());
        assertEquals(grid.getString("communityName"), panel.findElement(By.cssSelector("[data-field=community]")).getText());
        assertEquals(number(grid.getLong("persons")), panel.findElement(By.cssSelector("[data-field=persons]")).getText());
        JsonArray workers = grid.getJsonArray("workers");
        List<WebElement> phones = panel.findElements(By.cssSelector(".worker-phone"));
        assertEquals(workers.size(), phones.size());
        for (WebElement phone : phones) {
            assertTrue(phone.getText().matches("\\d{3}\\*{4}\\d{4}"), "phones stay masked: " + phone.getText());
        }
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors");
        assertScreenshot(browser.screenshot("map-wall-zh"));

        browser.find(By.cssSelector("[data-lang=en]")).click();
        browser.waitUntil(d -> d.findElement(By.id("app-title")).getText().equals("Haizhu Grid Management Command Center"));
        assertEquals("en", browser.js("return document.documentElement.lang"));
        assertEquals("Population", browser.find(By.cssSelector("[data-kpi=persons] .kpi-label")).getText());
        assertScreenshot(browser.screenshot("map-wall-en"));
        browser.find(By.cssSelector("[data-lang=zh-CN]")).click();
        browser.waitUntil(d -> d.findElement(By.id("app-title")).getText().equals("海珠区网格化管理指挥中心"));

        browser.find(By.id("sign-out")).click();
        browser.waitForLocation("/login");
        browser.open("/");
        assertTrue(browser.waitForLocation("/login").startsWith("/login?next="), "the session is gone after signing out");
    }

    @Test
    void aStreetCommandCenterSeesOnlyItsStreet() throws Exception {
        browser = Browser.start(server.baseUrl());
        String street = "440105001";
        String token = Http.token("command-" + street);

        // "/<tab>/evil.example" parses as "//evil.example", another site: the page must not go there
        browser.open("/login?next=%2F%09%2Fevil.example");
        signIn("command-" + street, TestServer.PASSWORD);
        int drawn = gridsDrawn();
        assertEquals("/", browser.location(), "only local paths are followed after signing in");

        int expected = features("/api/v1/grids?format=geojson", token).size();
        int district = features("/api/v1/grids?format=geojson", Http.token("command")).size();
        assertEquals(expected, drawn);
        assertTrue(drawn > 0 && drawn < district, drawn + " grids of the street, " + district + " in the district");
        Object foreign = browser.js("return [...document.querySelectorAll('path.grid-cell')]"
                + ".filter(p => !p.dataset.code.startsWith(arguments[0])).length", street);
        assertEquals(0L, foreign, "no grid of another street is drawn");

        assertKpis(Http.json(Http.get("/api/v1/stats/district", token)).getJsonObject("totals"));
        assertEquals("1", browser.find(By.cssSelector("[data-kpi=streets] .kpi-value")).getText());
        assertEquals("communities", browser.find(By.id("street-list")).getAttribute("data-kind"),
                "one street: the list shows its communities");
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors");
        assertScreenshot(browser.screenshot("map-wall-street-" + street));
    }

    /** Fills and submits the login form on the current page, once its script is running. */
    private void signIn(String username, String password) {
        browser.waitPresent("body[data-login-ready]",
                "the login page's script did not run: /assets/login.js must be served without a session");
        WebElement user = browser.waitVisible(By.id("username"));
        WebElement pass = browser.find(By.id("password"));
        user.clear();
        user.sendKeys(username);
        pass.clear();
        pass.sendKeys(password);
        browser.find(By.id("login-submit")).click();
    }

    /** Waits for the map to report its grids drawn, and returns how many. */
    private int gridsDrawn() {
        try {
            return Integer.parseInt(browser.waitPresent("body[data-grids-drawn]").getAttribute("data-grids-drawn"));
        } catch (TimeoutException e) {
            Path shot = browser.screenshot("map-wall-failed");
            throw new AssertionError("the map did not draw its grids at " + browser.location() + "; console errors "
                    + browser.consoleErrors() + "; screenshot " + shot, e);
        }
    }

    /**
     * Clicks, with a real mouse click, the first grid whose middle is visible on the map and not
     * under a panel; returns its code.
     */
    private String clickAGrid() {
        @SuppressWarnings("unchecked")
        List<Object> hit = (List<Object>) browser.js("""
                const map = document.getElementById('map').getBoundingClientRect();
                const side = document.getElementById('map-side').getBoundingClientRect();
                for (const p of document.querySelectorAll('path.grid-cell')) {
                  const r = p.getBoundingClientRect();
                  const x = Math.round(r.left + r.width / 2), y = Math.round(r.top + r.height / 2);
                  if (x < map.left + 80 || x > side.left - 20 || y < map.top + 20 || y > map.bottom - 20) continue;
                  if (document.elementFromPoint(x, y) === p) return [p.dataset.code, x, y];
                }
                return null;""");
        assertNotNull(hit, "some grid is visible and clickable");
        new Actions(browser.driver()).moveToLocation(((Number) hit.get(1)).intValue(), ((Number) hit.get(2)).intValue())
                .click().perform();
        return (String) hit.get(0);
    }

    private void assertKpis(JsonObject totals) {
        for (String key : KPIS) {
            String shown = browser.waitVisible(By.cssSelector("[data-kpi=" + key + "] .kpi-value")).getText();
            assertEquals(number(totals.getLong(key)), shown, "KPI " + key);
        }
    }

    private static String number(long n) {
        return NumberFormat.getIntegerInstance(Locale.SIMPLIFIED_CHINESE).format(n);
    }

    private static JsonArray features(String path, String token) {
        return Http.json(Http.get(path, token)).getJsonArray("features");
    }

    private static void assertScreenshot(Path png) throws Exception {
        byte[] head = Files.readAllBytes(png);
        // PNG header: width and height are the big-endian ints at bytes 16 and 20
        int width = java.nio.ByteBuffer.wrap(head, 16, 4).getInt();
        int height = java.nio.ByteBuffer.wrap(head, 20, 4).getInt();
        assertEquals(1920, width, png.toString());
        assertEquals(1080, height, png.toString());
    }
}
