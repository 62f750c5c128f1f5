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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * The map wall end to end in headless Chromium: the login page, the district map with its grids,
 * KPIs, grid panel, language switch and sign-out, and a street-scoped user's smaller view.
 * Everything the page shows is checked against what the API returns to the same user.
 */
class LoginAndMapIT {
    private static final List<String> KPIS = List.of("streets", "communities", "grids", "houses", "persons", "enterprises");

    private static TestServer server;
    @RegisterExtension
    final Browsers browsers = new Browsers();
    private Browser browser;

    @BeforeAll
    static void startServer() {
        server = TestServer.get();
    }

    @Test
    void commandStaffSignInSeeTheDistrictAndSignOut() throws Exception {
        browser = browsers.start(server.baseUrl());
        String token = Http.token("command");

        browser.open("/");
        assertEquals("/login?next=%2F", browser.waitForLocation("/login"), "a page without a session goes to the login page");

        WallPage wall = new WallPage(browser);
        wall.signIn("command", "not-the-password");
        WebElement error = browser.waitVisible(By.id("login-error"));
        assertEquals("用户名或密码错误", error.getText());
        assertTrue(browser.location().startsWith("/login"));

        wall.signIn("command");
        int drawn = wall.gridsDrawn();
        assertEquals("/", browser.location(), "back to the page asked for (next)");
        Cookie session = browser.cookie(AuthHandler.COOKIE);
        assertNotNull(session, "a session cookie");
        assertTrue(session.isHttpOnly(), "scripts cannot read the session cookie");
        assertEquals(0L, browser.js("return document.cookie.length"));
        assertEquals(Http.json(Http.get("/api/v1/grids?limit=1", token)).getLong("total").intValue(), drawn,
                "the whole district is in view: every grid of the caller is in the tiles drawn");

        JsonObject me = Http.json(Http.get("/api/v1/me", token));
        browser.waitUntil(d -> d.findElement(By.id("user-name")).getText().equals(me.getString("displayName")));
        JsonObject totals = Http.json(Http.get("/api/v1/stats/district", token)).getJsonObject("totals");
        assertKpis(totals);
        assertEquals(18, totals.getInteger("streets"));
        assertEquals(18, browser.driver().findElements(By.cssSelector("#street-list .street-row[data-code]")).size());

        String code = clickAGrid(wall, token);
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
        browser = browsers.start(server.baseUrl());
        String street = "440105001";
        String token = Http.token("command-" + street);

        // "/<tab>/evil.example" parses as "//evil.example", another site: the page must not go there
        browser.open("/login?next=%2F%09%2Fevil.example");
        WallPage wall = new WallPage(browser);
        wall.signIn("command-" + street);
        int drawn = wall.gridsDrawn();
        assertEquals("/", browser.location(), "only local paths are followed after signing in");

        int expected = Http.json(Http.get("/api/v1/grids?limit=1", token)).getLong("total").intValue();
        int district = Http.json(Http.get("/api/v1/grids?limit=1", Http.token("command"))).getLong("total").intValue();
        assertEquals(expected, drawn);
        assertTrue(drawn > 0 && drawn < district, drawn + " grids of the street, " + district + " in the district");
        assertTrue(wall.drawnGridCodes().stream().allMatch(c -> c.startsWith(street)),
                "no grid of another street is in the street user's tiles: " + wall.drawnGridCodes());

        assertKpis(Http.json(Http.get("/api/v1/stats/district", token)).getJsonObject("totals"));
        assertEquals("1", browser.find(By.cssSelector("[data-kpi=streets] .kpi-value")).getText());
        assertEquals("communities", browser.find(By.id("street-list")).getAttribute("data-kind"),
                "one street: the list shows its communities");
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors");
        assertScreenshot(browser.screenshot("map-wall-street-" + street));
    }

    /**
     * Clicks, with the real mouse, a grid whose label point (a point surely inside it) is on the
     * open map, not under a panel; returns its code.
     */
    private static String clickAGrid(WallPage wall, String token) {
        for (Object o : Http.json(Http.get("/api/v1/grids?limit=5000", token)).getJsonArray("items")) {
            JsonObject g = (JsonObject) o;
            JsonObject label = g.getJsonObject("label");
            if (wall.onOpenMap(wall.pagePoint(label.getDouble("lat"), label.getDouble("lon")))) {
                wall.clickAt(label.getDouble("lat"), label.getDouble("lon"));
                return g.getString("code");
            }
        }
        throw new AssertionError("no grid is visible and clickable");
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

    private static void assertScreenshot(Path png) throws Exception {
        byte[] head = Files.readAllBytes(png);
        // PNG header: width and height are the big-endian ints at bytes 16 and 20
        int width = java.nio.ByteBuffer.wrap(head, 16, 4).getInt();
        int height = java.nio.ByteBuffer.wrap(head, 20, 4).getInt();
        assertEquals(1920, width, png.toString());
        assertEquals(1080, height, png.toString());
    }
}
