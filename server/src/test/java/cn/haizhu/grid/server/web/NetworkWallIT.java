package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.NodeServer;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The "1+18" network on the wall, end to end in headless Chromium at 1920×1080, at the three levels.
 * The links are rows of {@code sync_peer} and {@code sync_checkpoint} as the pullers write them (a
 * link up a moment ago, one 25 s behind, one down for 12 minutes with the markup a broken gateway
 * answered, one down for a minute); GET /api/v1/sync/links judges them (SyncLinksIT has it between
 * real nodes). The wall colours each street by its link, lists the links with their lag, shows the
 * link above in the header and the alarms over the map, as text, and follows a link into alarm
 * within its 10 s refresh. Every row written is removed at the end.
 */
class NetworkWallIT {
    static final String CITY = "440100";
    static final String DISTRICT = "440105";
    static final String CURRENT = "440105003";
    static final String LAGGING = "440105004";
    static final String DOWN_LONG = "440105005";
    static final String DOWN_SHORT = "440105006";
    static final String UNLINKED = "440105007";
    /** What a gateway in front of a street answered: markup, which must stay text on the wall. */
    static final String GATEWAY_ERROR = "HTTP 502 from https://street-5.example: <img src=x id=injected><b>Bad Gateway</b>";

    @RegisterExtension
    final Browsers browsers = new Browsers();

    /** A link as a puller leaves it: up or down, its last success and first failure (seconds ago; null: never), its lag and error. */
    record Link(String code, String level, String direction, String scope, boolean up, Integer contactAgo, Integer downAgo,
                double lag, String error) {
    }

    @Test
    void theDistrictsWallShowsItsStreetsLinksTheCityAboveAndTheAlarms() throws Exception {
        Database db = TestServer.get().db;
        List<Link> links = List.of(
                new Link(CITY, "city", "up", "district:" + DISTRICT, true, 2, null, 0.8, null),
                new Link(CURRENT, "street", "down", "street:" + CURRENT, true, 1, null, 0.4, null),
                new Link(LAGGING, "street", "down", "street:" + LAGGING, true, 1, null, 25, null),
                new Link(DOWN_LONG, "street", "down", "street:" + DOWN_LONG, false, 12 * 60 + 5, 12 * 60, 0, GATEWAY_ERROR),
                new Link(DOWN_SHORT, "street", "down", "street:" + DOWN_SHORT, false, 65, 60, 0, "java.net.ConnectException"));
        put(db, links);
        try {
            Browser browser = browsers.start(TestServer.get().baseUrl());
            WallPage wall = new WallPage(browser);
            browser.open("/");
            wall.signIn("command");
            browser.waitPresent("body[data-network=ready]", "the wall read its links");

            // the header: the city above, up
            WebElement uplink = browser.waitVisible(By.id("uplink"));
            assertEquals("current", uplink.getAttribute("data-state"));
            assertTrue(uplink.getText().contains("上级平台") && uplink.getText().contains("广州市") && uplink.getText().contains("正常"),
                    uplink.getText());

            // the card: a link per street, each in its state, with its lag
            List<WebElement> rows = browser.driver().findElements(By.cssSelector("#network-list li[data-code]"));
            assertEquals(18, rows.size(), "one link per street");
            assertEquals(Map.of(CURRENT, "current", LAGGING, "lagging", DOWN_LONG, "down", DOWN_SHORT, "down", UNLINKED, "not_connected"),
                    Map.of(CURRENT, state(browser, CURRENT), LAGGING, state(browser, LAGGING), DOWN_LONG, state(browser, DOWN_LONG),
                            DOWN_SHORT, state(browser, DOWN_SHORT), UNLINKED, state(browser, UNLINKED)));
            assertEquals("延迟 25秒", row(browser, LAGGING).findElement(By.className("network-lag")).getText());
            assertEquals("延迟 0.4秒", row(browser, CURRENT).findElement(By.className("network-lag")).getText());
            assertEquals("中断 12分", row(browser, DOWN_LONG).findElement(By.className("network-lag")).getText());
            assertEquals("未接入", row(browser, UNLINKED).findElement(By.className("network-lag")).getText());
            assertEquals("true", row(browser, DOWN_LONG).getAttribute("data-alarm"));
            assertEquals("false", row(browser, DOWN_SHORT).getAttribute("data-alarm"), "down a minute: no alarm");
            assertEquals("1", browser.find(By.cssSelector("#network-legend [data-state=lagging] .legend-count")).getText());

            // the alarm over the map: the street down 12 minutes, its error as text, never as markup
            WebElement banner = browser.waitVisible(By.id("link-alarms"));
            WebElement alarm = banner.findElement(By.cssSelector("li[data-code='" + DOWN_LONG + "']"));
            assertEquals("down", alarm.getAttribute("data-reason"));
            assertTrue(alarm.getText().startsWith("滨江街道：链路中断已 12 分"), alarm.getText());
            assertTrue(alarm.getText().contains("<img src=x id=injected><b>Bad Gateway</b>"), "the error as the gateway sent it, as text");
            assertTrue(browser.driver().findElements(By.id("injected")).isEmpty(), "no element made from a peer's error");
            assertEquals(1, banner.findElements(By.cssSelector("li[data-code]")).size());
            assertEquals("联网告警（1）", banner.findElement(By.className("link-alarms-title")).getText());

            wall.tilesIn("streets");
            browser.screenshot("wall-network-440105");

            // the map: each street drawn in its link's colour, the one down tinted red
            assertEquals(Map.of("stroke", "#ff4d5e", "fill", "#ff4d5e"), outlineStyle(browser, "streets", DOWN_LONG));
            assertEquals(Map.of("stroke", "#3ddc84"), outlineStyle(browser, "streets", CURRENT));
            assertEquals(Map.of("stroke", "#7d8ca3"), outlineStyle(browser, "streets", UNLINKED));
            JsonObject down = street(DOWN_LONG);
            double lat = down.getJsonObject("label").getDouble("lat");
            double lon = down.getJsonObject("label").getDouble("lon");
            wall.show(lat, lon, 13, "streets");
            String tint = wall.colourAt("streets", lat, lon);
            assertTrue(tint != null && Integer.parseInt(tint.substring(1, 3), 16) > 200 && Integer.parseInt(tint.substring(3, 5), 16) < 120,
                    "inside the street down, the streets layer is tinted red: " + tint);
            JsonObject unlinked = street(UNLINKED);
            wall.show(unlinked.getJsonObject("label").getDouble("lat"), unlinked.getJsonObject("label").getDouble("lon"), 13, "streets");
            assertEquals(null, wall.colourAt("streets", unlinked.getJsonObject("label").getDouble("lat"),
                    unlinked.getJsonObject("label").getDouble("lon")), "a street not connected is outlined, not tinted");
            browser.js("document.getElementById('map-home').click()");

            // a link passes five minutes down: within one refresh it alarms, and the ticker says so
            update(db, "UPDATE sync_checkpoint SET down_since = now() - interval '6 minutes' WHERE peer_code = ?", DOWN_SHORT);
            browser.waitUntil(d -> !d.findElements(By.cssSelector("#link-alarms li[data-code='" + DOWN_SHORT + "']")).isEmpty());
            assertEquals("联网告警（2）", browser.find(By.className("link-alarms-title")).getText());
            WebElement tickerLine = browser.waitVisible(By.cssSelector("#ticker-list .ticker-alarm"));
            assertTrue(tickerLine.getText().contains("联网告警") && tickerLine.getText().contains("链路中断已 6 分"), tickerLine.getText());
            browser.waitUntil(d -> "true".equals(row(browser, DOWN_SHORT).getAttribute("data-alarm")));

            browser.find(By.cssSelector("[data-lang=en]")).click();
            browser.waitUntil(d -> d.findElement(By.id("uplink")).getText().contains("Upstream"));
            assertTrue(browser.find(By.id("uplink")).getText().contains("Guangzhou"));
            assertTrue(browser.find(By.cssSelector("#link-alarms li[data-code='" + DOWN_LONG + "']")).getText()
                    .startsWith("滨江街道: link down for 12 min"));
            assertEquals("Network alarms (2)", browser.find(By.className("link-alarms-title")).getText());
            browser.screenshot("wall-network-440105-en");
            browser.find(By.cssSelector("[data-lang=zh-CN]")).click();
            assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
        } finally {
            remove(db, links);
        }
    }

    @Test
    void aStreetsWallShowsItsDistrictAboveAndItsAlarm() throws Exception {
        NodeServer street = NodeServer.get("440105001");
        List<Link> links = List.of(new Link(DISTRICT, "district", "up", "street:440105001", false, 8 * 60, 7 * 60, 0,
                "HTTP 401 from http://127.0.0.1:8081: the sync key is unknown or retired"));
        put(street.db, links);
        try {
            Browser browser = browsers.start(street.baseUrl());
            browser.open("/");
            new WallPage(browser).signIn("command");
            browser.waitPresent("body[data-network=ready]", "the wall read its links");
            WebElement uplink = browser.waitVisible(By.id("uplink"));
            assertEquals("down", uplink.getAttribute("data-state"));
            assertEquals("true", uplink.getAttribute("data-alarm"));
            assertTrue(uplink.getText().contains("海珠区") && uplink.getText().contains("中断"), uplink.getText());
            assertFalse(browser.find(By.id("network-card")).isDisplayed(), "a street has no links below it");
            WebElement alarm = browser.waitVisible(By.cssSelector("#link-alarms li[data-code='" + DISTRICT + "']"));
            assertTrue(alarm.getText().startsWith("海珠区：链路中断已 7 分"), alarm.getText());
            browser.screenshot("wall-network-440105001");
            assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
        } finally {
            remove(street.db, links);
        }
    }

    @Test
    void aCitysWallColoursItsDistrictsByTheirLinks() throws Exception {
        NodeServer city = NodeServer.get(CITY);
        List<Link> links = List.of(new Link(DISTRICT, "district", "down", "district:" + DISTRICT, false, 10 * 60 + 20, 10 * 60, 0.2,
                "java.net.http.HttpConnectTimeoutException: HTTP connect timed out"));
        put(city.db, links);
        try {
            Browser browser = browsers.start(city.baseUrl());
            WallPage wall = new WallPage(browser);
            browser.open("/");
            wall.signIn("command");
            browser.waitPresent("body[data-network=ready]", "the wall read its links");
            browser.waitPresent("body[data-districts-drawn]", "the districts are drawn");
            assertFalse(browser.find(By.id("uplink")).isDisplayed(), "a city has no platform above it");
            assertEquals(11, browser.driver().findElements(By.cssSelector("#network-list li[data-code]")).size());
            assertEquals("down", state(browser, DISTRICT));
            assertEquals("not_connected", state(browser, "440106"));
            wall.tilesIn("district");
            browser.screenshot("wall-network-440100");
            assertEquals(Map.of("stroke", "#ff4d5e", "fill", "#ff4d5e"), outlineStyle(browser, "district", DISTRICT));
            assertEquals(Map.of("stroke", "#7d8ca3"), outlineStyle(browser, "district", "440106"));
            wall.show(23.09, 113.32, 11, "district");
            String tint = wall.colourAt("district", 23.09, 113.32);
            assertTrue(tint != null && Integer.parseInt(tint.substring(1, 3), 16) > 200 && Integer.parseInt(tint.substring(3, 5), 16) < 120,
                    "Haizhu, down, is tinted red over its fill: " + tint);
            WebElement alarm = browser.waitVisible(By.cssSelector("#link-alarms li[data-code='" + DISTRICT + "']"));
            assertTrue(alarm.getText().startsWith("海珠区：链路中断已 10 分"), alarm.getText());
            assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
        } finally {
            remove(city.db, links);
        }
    }

    // ── helpers ──

    static WebElement row(Browser browser, String code) {
        return browser.find(By.cssSelector("#network-list li[data-code='" + code + "']"));
    }

    static String state(Browser browser, String code) {
        return row(browser, code).getAttribute("data-state");
    }

    /** The stroke and fill (where there is one) an outline layer (streets, district) draws an area with. */
    @SuppressWarnings("unchecked")
    static Map<String, String> outlineStyle(Browser browser, String layer, String code) {
        return (Map<String, String>) browser.js("""
                const s = window.gridctlWall.layers[arguments[0]].options.style({ code: arguments[1] }, 12);
                return s.fill ? { stroke: s.stroke, fill: s.fill } : { stroke: s.stroke };""", layer, code);
    }

    /** A street of the district as the areas API has it (with its label point). */
    static JsonObject street(String code) {
        return Http.json(Http.get("/api/v1/areas?level=street", Http.token("command"))).getJsonArray("items").stream()
                .map(JsonObject.class::cast).filter(a -> a.getString("code").equals(code)).findFirst().orElseThrow();
    }

    /** Writes each link as ./gridctl sync peer add and its puller would have. */
    static void put(Database db, List<Link> links) throws Exception {
        try (Connection c = db.connection()) {
            for (Link l : links) {
                String[] scope = l.scope().split(":");
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO sync_peer (code, level, direction, scope_kind, scope_code, created_at)
                        VALUES (?, ?, ?, ?, ?, now() - interval '1 day')""")) {
                    ps.setString(1, l.code());
                    ps.setString(2, l.level());
                    ps.setString(3, l.direction());
                    ps.setString(4, scope[0]);
                    ps.setString(5, scope[1]);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO sync_checkpoint (peer_code, applied_at, link_up, last_contact_at, down_since, last_error,
                                                     last_error_at, lag_changes, lag_seconds)
                        VALUES (?, now() - make_interval(secs => ?), ?, now() - make_interval(secs => ?),
                                now() - make_interval(secs => ?), ?, CASE WHEN ? IS NOT NULL THEN now() END, 0, ?)""")) {
                    ps.setString(1, l.code());
                    ps.setObject(2, l.contactAgo());
                    ps.setBoolean(3, l.up());
                    ps.setObject(4, l.contactAgo());
                    ps.setObject(5, l.downAgo());
                    ps.setString(6, l.error());
                    ps.setString(7, l.error());
                    ps.setDouble(8, l.lag());
                    ps.executeUpdate();
                }
            }
        }
    }

    static void remove(Database db, List<Link> links) throws Exception {
        for (Link l : links) {
            update(db, "DELETE FROM sync_peer WHERE code = ?", l.code());
        }
    }

    static void update(Database db, String sql, String arg) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            ps.executeUpdate();
        }
    }
}
