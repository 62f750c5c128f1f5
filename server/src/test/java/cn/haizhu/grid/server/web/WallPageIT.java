package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The map wall (大屏) end to end in headless Chromium at 1920×1080, on the vector tiles: grids drawn
 * and coloured by the legend's classes, the metric switch, a click on a grid, a house and an
 * enterprise opening their details (residents masked), the search box, and a case created through
 * the API appearing live on the map, in the ticker and in the counts. Every figure the page shows
 * is checked against the API or the database.
 */
class WallPageIT {
    @RegisterExtension
    final Browsers browsers = new Browsers();
    private Browser browser;

    @Test
    void commandStaffWatchTheDistrictDrillDownSearchAndSeeCasesLive() throws Exception {
        String token = Http.token("command");
        browser = browsers.start(TestServer.get().baseUrl());
        WallPage wall = new WallPage(browser);
        browser.open("/");
        wall.signIn("command");
        long started = System.nanoTime();
        int drawn = wall.gridsDrawn();
        long drawnMs = (System.nanoTime() - started) / 1_000_000;
        List<JsonObject> grids = Http.json(Http.get("/api/v1/grids?limit=5000", token)).getJsonArray("items").stream()
                .map(JsonObject.class::cast).toList();
        assertEquals(grids.size(), drawn, "every grid of the district is in the tiles of the whole view");

        step("// ── colours");
        // ── colours: a grid's pixel is the legend colour of its density class ──
        JsonObject grid = grids.stream()
                .filter(g -> g.getDouble("areaKm2") > 0 && wall.onOpenMap(point(wall, g)))
                .findFirst().orElseThrow(() -> new AssertionError("no grid on the open map"));
        double lat = grid.getJsonObject("label").getDouble("lat");
        double lon = grid.getJsonObject("label").getDouble("lon");
        double density = grid.getInteger("persons") / grid.getDouble("areaKm2");
        assertEquals(wall.legendColourFor(density), wall.colourAt("grids", lat, lon),
                "grid " + grid.getString("code") + " (" + density + " persons/km²) has its class colour");
        browser.screenshot("map-wall-1920");

        step("browser.find(By.cssSelector('#metric-but");
        browser.find(By.cssSelector("#metric-buttons [data-metric=persons]")).click();
        browser.waitUntil(d -> d.findElement(By.id("legend-title")).getText().startsWith("每网格人口"));
        assertEquals(wall.legendColourFor(grid.getInteger("persons")), wall.colourAt("grids", lat, lon),
                "after the switch the grid has the colour of its persons class");

        step("// ── a click on the grid");
        // ── a click on the grid opens its panel with its counts and open cases ──
        wall.clickAt(lat, lon);
        WebElement panel = browser.waitVisible(By.id("grid-panel"));
        browser.waitUntil(d -> "ready".equals(panel.getAttribute("data-state")));
        assertEquals(grid.getString("code"), panel.findElement(By.cssSelector("[data-field=code]")).getText());
        assertEquals(number(grid.getInteger("persons")), panel.findElement(By.cssSelector("[data-field=persons]")).getText());
        long open = Http.json(Http.get("/api/v1/cases/by-grid", token)).getJsonArray("items").stream()
                .map(JsonObject.class::cast).filter(c -> c.getString("grid").equals(grid.getString("code")))
                .mapToLong(c -> c.getLong("open")).sum();
        assertEquals(number(open), panel.findElement(By.cssSelector("[data-field=openCases]")).getText());

        step("// ── search");
        // ── search: a grid code, then an enterprise by name ──
        JsonObject other = grids.get(grids.size() / 2);
        wall.search(other.getString("code"), "grid");
        browser.waitUntil(d -> other.getString("code").equals(
                d.findElement(By.cssSelector("#grid-panel [data-field=code]")).getText()));
        step("String[] enterprise = enterprise();");
        String[] enterprise = enterprise();
        wall.search(enterprise[1], "enterprise");
        WebElement place = browser.waitPresent("#place-panel[data-kind=enterprise][data-state=ready]",
                "the enterprise found by name opens its panel");
        assertTrue(place.getText().contains(enterprise[0]), place.getText());
        assertTrue(place.getText().contains(enterprise[1]), place.getText());

        step("// ── a house");
        // ── a house, clicked on the map at street level: its residents, masked ──
        String[] house = houseWithResidents();
        double houseLat = Double.parseDouble(house[2]);
        double houseLon = Double.parseDouble(house[1]);
        wall.show(houseLat, houseLon + 0.0015, 17.5, "houses"); // the house left of centre, clear of the panels
        step("wall.clickAt(houseLat, houseLon);");
        wall.clickAt(houseLat, houseLon);
        WebElement housePanel = browser.waitPresent("#place-panel[data-kind=house][data-state=ready][data-residents]",
                "a click on the house opens it with its residents");
        assertTrue(housePanel.getText().contains(house[0]), housePanel.getText());
        assertEquals(Integer.parseInt(house[3]), housePanel.findElements(By.cssSelector(".resident")).size());
        for (WebElement id : housePanel.findElements(By.cssSelector(".resident-id"))) {
            assertTrue(id.getText().matches("\\d{6}\\*{8}[0-9X]{4}"), "ID numbers stay masked: " + id.getText());
        }
        browser.screenshot("map-wall-house");

        step("// ── a case created");
        // ── a case created through the API appears live: pulse on the map, ticker, counts ──
        browser.js("window.gridctlWall.map.setView([arguments[0], arguments[1]], 14, {animate: false})", lat, lon - 0.01);
        browser.waitPresent("body[data-live=open]", "the case stream is open");
        int before = ((Number) browser.js("return window.gridctlWall.cases().open")).intValue();
        String title = CaseFixtures.unique("大屏实时测试");
        long sent = System.nanoTime();
        String id = CaseFixtures.report("command", title, lon, lat).getString("id");
        browser.waitUntil(d -> !d.findElements(By.cssSelector(".case-pulse[data-case-id='" + id + "']")).isEmpty(),
                Duration.ofSeconds(5));
        long liveMs = (System.nanoTime() - sent) / 1_000_000;
        WebElement line = browser.waitPresent("#ticker-list li[data-case-id='" + id + "']");
        assertTrue(line.getText().contains(title), line.getText());
        browser.waitUntil(d -> ((Number) browser.js("return window.gridctlWall.cases().open")).intValue() == before + 1);
        assertEquals("18", browser.find(By.id("chart-streets")).getAttribute("data-rows"), "a bar per street");
        browser.screenshot("map-wall-live");
        Files.writeString(Path.of("target", "wall-timings.txt"),
                "grids drawn after sign-in: " + drawnMs + " ms; case on the wall after the POST: " + liveMs + " ms%n".formatted(),
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);

        step("// ── English");
        // ── English, and nothing went wrong in the page ──
        browser.find(By.cssSelector("[data-lang=en]")).click();
        browser.waitUntil(d -> d.findElement(By.id("app-title")).getText().equals("Haizhu Grid Management Command Center"));
        assertEquals("Open cases", browser.find(By.cssSelector("[data-kpi=openCases] .kpi-label")).getText());
        browser.screenshot("map-wall-1920-en");
        browser.find(By.cssSelector("[data-lang=zh-CN]")).click();
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
    }

    private final long t0 = System.nanoTime();

    /** Prints how far the test has come, and when (the report shows where the time goes). */
    private void step(String what) {
        System.out.printf("%6d ms  %s%n", (System.nanoTime() - t0) / 1_000_000, what);
    }

    private static int[] point(WallPage wall, JsonObject grid) {
        return wall.pagePoint(grid.getJsonObject("label").getDouble("lat"), grid.getJsonObject("label").getDouble("lon"));
    }

    /** An enterprise of the demo data: [credit code, name]. */
    private static String[] enterprise() throws Exception {
        return row("SELECT credit_code, name FROM enterprise ORDER BY credit_code LIMIT 1");
    }

    /** A house with residents, alone within about 30 m (so a click hits it): [code, lon, lat, residents]. */
    private static String[] houseWithResidents() throws Exception {
        return row("""
                SELECT h.code, ST_X(h.geom)::text, ST_Y(h.geom)::text, count(p.id)::text
                FROM house h JOIN person p ON p.house_code = h.code
                WHERE NOT EXISTS (SELECT 1 FROM house o WHERE o.code <> h.code AND ST_DWithin(o.geom, h.geom, 0.0003))
                GROUP BY h.code HAVING count(p.id) BETWEEN 1 AND 50 ORDER BY h.code LIMIT 1""");
    }

    private static String[] row(String sql) throws Exception {
        String[] values = TestServer.get().firstRow(sql);
        for (String v : values) {
            assertNotNull(v, sql);
        }
        return values;
    }

    private static String number(long n) {
        return NumberFormat.getIntegerInstance(Locale.SIMPLIFIED_CHINESE).format(n);
    }
}
