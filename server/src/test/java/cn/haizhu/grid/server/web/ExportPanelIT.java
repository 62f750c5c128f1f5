package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The 数据导出 panel of the import page in headless Chromium: a data officer picks a dataset, a format,
 * a street and the Shapefile's encoding, and the 导出下载 link fetches the file with the session
 * (a zip for a Shapefile, a CSV with its BOM), a click saving it in the browser's downloads; only the
 * collections the role may read are offered.
 * Screenshots: target/screenshots/export-*.png.
 */
class ExportPanelIT {
    private static TestServer server;
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @BeforeAll
    static void startServer() {
        server = TestServer.get();
    }

    @Test
    void anOfficerExportsHousesOfAStreetAsAShapefileAndAsCsv() throws Exception {
        Browser browser = browsers.start(server.baseUrl());
        browser.open("/login?next=%2Fimports%2F");
        browser.waitPresent("body[data-login-ready]", "the login page's script did not run");
        browser.waitVisible(By.id("username")).sendKeys("officer");
        browser.find(By.id("password")).sendKeys(TestServer.PASSWORD);
        browser.find(By.id("login-submit")).click();
        browser.waitForLocation("/imports/");
        WebElement link = browser.waitVisible(By.id("export-link"));
        assertEquals("数据导出", browser.find(By.id("export-title")).getText());
        assertEquals("导出下载", link.getText());
        List<String> offered = new Select(browser.find(By.id("export-collection"))).getOptions().stream()
                .map(o -> o.getAttribute("value")).toList();
        assertEquals(List.of("houses", "enterprises", "grids", "communities", "streets"), offered,
                "an officer reads no cases, so none are offered");
        assertEquals(server.baseUrl() + "/api/v1/exports/houses?format=gpkg", link.getAttribute("href"));

        new Select(browser.find(By.id("export-format"))).selectByValue("shp");
        new Select(browser.waitVisible(By.id("export-encoding"))).selectByValue("UTF-8");
        new Select(browser.find(By.id("export-street"))).selectByValue("440105001");
        String href = browser.find(By.id("export-link")).getAttribute("href");
        assertEquals(server.baseUrl() + "/api/v1/exports/houses?format=shp&street=440105001&encoding=UTF-8", href);
        browser.screenshot("export-panel");
        Map<?, ?> zip = fetch(browser, href);
        assertEquals(200L, zip.get("status"));
        assertEquals("application/zip", zip.get("type"));
        assertEquals("80,75,3", zip.get("head"), "a zip file (PK\\3)");
        // a click downloads it with the session, under the server's name, and says so
        Path downloads = browser.downloadsTo(Path.of("target", "downloads", "export-panel"));
        browser.click(By.id("export-link"));
        WebElement panel = browser.waitPresent("#exports[data-state=done], #exports[data-state=error]");
        assertEquals("done", panel.getAttribute("data-state"), () -> browser.find(By.id("export-status")).getText());
        Path file = browser.downloaded(downloads, "房屋-440105001.zip");
        assertArrayEquals(new byte[] {'P', 'K', 3, 4}, Arrays.copyOf(Files.readAllBytes(file), 4));
        assertTrue(browser.find(By.id("export-status")).getText().startsWith("已下载 房屋-440105001.zip（"));

        new Select(browser.find(By.id("export-format"))).selectByValue("csv");
        assertFalse(browser.driver().findElements(By.id("export-encoding")).stream().anyMatch(WebElement::isDisplayed),
                "the DBF encoding only for a Shapefile");
        Map<?, ?> csv = fetch(browser, browser.find(By.id("export-link")).getAttribute("href"));
        assertEquals(200L, csv.get("status"));
        assertEquals("239,187,191", csv.get("head"), "the CSV starts with its BOM");

        browser.find(By.cssSelector("[data-lang=en]")).click();
        browser.waitUntil(d -> d.findElement(By.id("export-link")).getText().equals("Export"));
        assertEquals("Export data", browser.find(By.id("export-title")).getText());
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
        browser.screenshot("export-panel-en");
    }

    /** The link's file as the browser gets it with its session: status, media type, first three bytes. */
    private static Map<?, ?> fetch(Browser browser, String href) {
        return (Map<?, ?>) browser.jsAsync("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done({status: r.status,"
                + " type: r.headers.get('Content-Type'), head: Array.from(new Uint8Array(b).slice(0, 3)).join(',')})))"
                + ".catch(e => done({error: String(e)}));", href);
    }
}
