package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.NodeServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The same wall at the two other levels, end to end in headless Chromium at 1920×1080: a street
 * node's wall shows its street and communities under its own title before its first sync; a city
 * node's wall shows Guangzhou's eleven districts, filled and listed with what it holds of each (zero
 * before the districts' records come by sync). Each fills its map panel with its area. The district's
 * wall is WallPageIT's and WallAt1920IT's.
 */
class NodeWallsIT {
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void aStreetNodesWallShowsItsStreet() {
        NodeServer street = NodeServer.get("440105001");
        Browser browser = browsers.start(street.baseUrl());
        browser.open("/");
        new WallPage(browser).signIn("command");
        browser.waitPresent("body[data-node-level=street]", "the wall learnt which node it runs on");
        browser.waitUntil(d -> d.findElement(By.id("app-title")).getText().equals("赤岗街道网格化平台"));
        assertEquals("赤岗街道网格化平台", browser.driver().getTitle());
        browser.waitPresent("body[data-grids-drawn]", "the wall finished loading");
        assertEquals("0", browser.find(By.tagName("body")).getAttribute("data-grids-drawn"), "no grids before the first sync");
        // its street is fitted to the map panel whole, beside the cards over it: Chigang, about as wide
        // as tall, gets the height of the panel's part left of them (a district, wider, its width: WallAt1920IT)
        WallPage wall = new WallPage(browser);
        wall.settled();
        double[] span = wall.span(wall.bboxOf("street"));
        assertEquals(1, span[2], "the whole street is in the map panel");
        assertTrue(Math.max(span[0], span[1]) >= 0.7, "the street spans " + Math.round(span[0] * 100) + "% of the panel's width and "
                + Math.round(span[1] * 100) + "% of its height");
        assertEquals(List.of(), wall.overlappingLabels("street"));

        long communities = cn.haizhu.grid.data.areas.ReferenceAreas.communities().stream()
                .filter(c -> c.streetCode().equals("440105001")).count();
        assertEquals("communities", browser.find(By.id("street-list")).getAttribute("data-kind"), "the street's communities are listed");
        assertEquals(communities, browser.driver().findElements(By.cssSelector("#street-list .street-row[data-code]")).size());
        assertEquals("社区概况", browser.find(By.id("area-list-title")).getText());
        assertEquals(List.of("440105001"), outlineCodes(browser, "streets"), "its own street is outlined, and no other");
        assertTrue(browser.find(By.id("map-status")).isDisplayed());
        assertEquals("尚无网格数据：将由上下级平台同步汇入", browser.find(By.id("map-status")).getText());
        browser.screenshot("wall-street-440105001");

        browser.find(By.cssSelector("[data-lang=en]")).click();
        browser.waitUntil(d -> d.findElement(By.id("app-title")).getText().equals("赤岗街道 Grid Management Platform"));
        browser.find(By.cssSelector("[data-lang=zh-CN]")).click();
        browser.waitUntil(d -> d.findElement(By.id("app-title")).getText().equals("赤岗街道网格化平台"));
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
    }

    @Test
    void everyPageOfAStreetNodeNamesItsPlatform() {
        NodeServer street = NodeServer.get("440105001");
        Browser browser = browsers.start(street.baseUrl());
        browser.open("/");
        new WallPage(browser).signIn("admin");
        browser.waitPresent("body[data-node-level=street]", "signed in");
        for (String[] page : new String[][] {{"/desk/", "调度台"}, {"/imports/", "数据导入"}, {"/audit/", "个人信息访问审计"}}) {
            browser.open(page[0]);
            browser.waitUntil(d -> d.findElement(By.id("app-title")).getText().equals("赤岗街道网格化平台"));
            browser.waitUntil(d -> d.getTitle().equals(page[1] + " · 赤岗街道网格化平台"));
            browser.screenshot("street-node" + page[0].replace('/', '-') + "title");
        }
        browser.find(By.cssSelector("[data-lang=en]")).click();
        browser.waitUntil(d -> d.findElement(By.id("app-title")).getText().equals("赤岗街道 Grid Management Platform"));
        browser.waitUntil(d -> d.getTitle().equals("Personal-data audit · 赤岗街道 Grid Management Platform"));
        browser.find(By.cssSelector("[data-lang=zh-CN]")).click();
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
    }

    @Test
    void aCityNodesWallShowsItsDistricts() {
        NodeServer city = NodeServer.get("440100");
        Browser browser = browsers.start(city.baseUrl());
        browser.open("/");
        new WallPage(browser).signIn("command");
        browser.waitPresent("body[data-node-level=city]", "the wall learnt which node it runs on");
        browser.waitUntil(d -> d.findElement(By.id("app-title")).getText().equals("广州市网格化平台"));
        assertEquals("11", browser.waitPresent("body[data-districts-drawn]", "the districts are drawn")
                .getAttribute("data-districts-drawn"));
        assertEquals("districts", browser.find(By.id("street-list")).getAttribute("data-kind"));
        List<String> listed = browser.driver().findElements(By.cssSelector("#street-list .street-row[data-code]")).stream()
                .map(e -> e.getAttribute("data-code")).toList();
        assertEquals(List.of("440103", "440104", "440105", "440106", "440111", "440112", "440113", "440114", "440115",
                "440117", "440118"), listed);
        assertEquals("0", browser.find(By.cssSelector("#street-list .street-row[data-code='440105'] .col-persons")).getText(),
                "Haizhu counts zero until its records come by sync");
        browser.waitUntil(d -> "11".equals(d.findElement(By.cssSelector("[data-kpi=districts] .kpi-value")).getAttribute("data-value")));
        assertEquals("各区概况", browser.find(By.id("area-list-title")).getText());
        // the whole city is in view: both Conghua in the north and Nansha in the south
        Boolean cityInView = (Boolean) browser.js("""
                const b = window.gridctlWall.map.getBounds();
                return b.contains([23.55, 113.55]) && b.contains([22.75, 113.55]);""");
        assertTrue(cityInView, "the map is fitted to the city");
        WallPage wall = new WallPage(browser);
        wall.settled();
        WallAt1920IT.assertFills(wall, wall.bboxOf("district"), "the city's districts on a city node's wall");
        assertEquals(List.of(), wall.overlappingLabels("street"), "the districts' names");
        // a district on the map is filled (the district-fill paths of the Leaflet GeoJSON layer)
        assertEquals(11, browser.driver().findElements(By.cssSelector("path.district-fill")).size());
        browser.screenshot("wall-city-440100");

        browser.find(By.cssSelector("#street-list .street-row[data-code='440105']")).click();
        browser.waitUntil(d -> Boolean.TRUE.equals(browser.js("""
                const b = window.gridctlWall.map.getBounds();
                return !b.contains([23.55, 113.55]) && b.contains([23.09, 113.32]);""")));

        browser.find(By.cssSelector("[data-lang=en]")).click();
        browser.waitUntil(d -> d.findElement(By.id("app-title")).getText().equals("Guangzhou Grid Management Platform"));
        assertEquals("Districts", browser.find(By.id("area-list-title")).getText());
        browser.screenshot("wall-city-440100-en");
        browser.find(By.cssSelector("[data-lang=zh-CN]")).click();
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
    }

    /** The codes of the features of a vector-tile layer in the loaded tiles. */
    @SuppressWarnings("unchecked")
    private static List<String> outlineCodes(Browser browser, String layer) {
        return (List<String>) browser.waitUntil(d -> {
            List<String> codes = (List<String>) browser.js("""
                    const codes = new Set();
                    for (const entry of window.gridctlWall.layers[arguments[0]]._decoded.values()) {
                      entry.features.forEach((f) => codes.add(f.properties.code));
                    }
                    return [...codes].sort();""", layer);
            return codes.isEmpty() ? null : codes;
        });
    }
}
