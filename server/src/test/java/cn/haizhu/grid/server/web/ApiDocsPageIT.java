package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The API page (/api/docs/) in headless Chromium, as a client's developer opens it without an
 * account: Swagger UI draws the operations of api/openapi.json under the page's Chinese header,
 * under the Content-Security-Policy (Browser.close fails on any violation), and the header speaks
 * English one click away. Screenshots: target/screenshots/api-docs-*.png.
 */
class ApiDocsPageIT {
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void aDeveloperWithoutAnAccountReadsTheOperations() {
        Browser browser = browsers.start(TestServer.get().baseUrl());
        browser.viewport(1440, 1000);
        browser.open("/api/docs/");
        browser.waitPresent("body[data-api-docs-ready='true']", "Swagger UI did not draw the document");
        assertEquals("/api/docs/", browser.location().replaceFirst("#.*", ""),
                "no sign-in asked");
        assertEquals("接口文档 · 海珠区网格化管理指挥中心", browser.driver().getTitle());
        List<WebElement> operations = browser.waitUntil(d -> {
            List<WebElement> ops = d.findElements(By.cssSelector(".opblock .opblock-summary-path"));
            return ops.size() > 40 ? ops : null;
        });
        List<String> paths = operations.stream().map(e -> e.getAttribute("data-path")).toList();
        for (String path : List.of("/api/v1/cases", "/api/v1/areas", "/api/v1/imports", "/open311/v2/requests.{format}",
                "/tiles/{layer}/{z}/{x}/{y}.mvt", "/api/v1/sync/changes")) {
            assertTrue(paths.contains(path), path + " listed: " + paths);
        }
        browser.screenshot("api-docs");

        // one operation opened: its parameters and the shared error answer
        String block = "//div[contains(@class,'opblock-get')][.//*[@data-path='/api/v1/cases']]";
        browser.waitVisible(By.xpath(block + "//button[contains(@class,'opblock-summary-control')]")).click();
        WebElement body = browser.waitVisible(By.xpath(block + "//div[contains(@class,'opblock-body')]"));
        browser.waitUntil(d -> body.getText().contains("overdue") && body.getText().contains("x-permission") ? true : null);
        browser.screenshot("api-docs-operation");

        browser.find(By.cssSelector(".lang-switch button[data-lang='en']")).click();
        browser.waitUntil(d -> d.getTitle().startsWith("API ·") ? true : null);
        assertTrue(browser.consoleErrors().isEmpty(), browser.consoleErrors().toString());
    }
}
