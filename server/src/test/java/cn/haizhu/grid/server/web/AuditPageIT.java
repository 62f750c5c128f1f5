package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The personal-data audit page (/audit/) in headless Chromium: an administrator sees who read whose
 * personal data, when and why, filters it down to one person by clicking a name, and a purpose
 * typed by a reader shows as text, markup and all; any other role gets the 无权限 notice.
 * Screenshots go to target/screenshots/audit-*.png.
 */
class AuditPageIT {
    @RegisterExtension
    final Browsers browsers = new Browsers();
    private Browser browser;

    private void signIn(String username) {
        browser.waitPresent("body[data-login-ready]", "the login page's script did not run");
        WebElement user = browser.waitVisible(By.id("username"));
        user.sendKeys(username);
        browser.find(By.id("password")).sendKeys(TestServer.PASSWORD);
        browser.find(By.id("login-submit")).click();
    }

    @Test
    void anAdministratorSeesWhoReadWhomWhenAndWhy() throws Exception {
        String grid = TestServer.get().firstRow("SELECT grid_code FROM person WHERE street_code = '440105001' ORDER BY id LIMIT 1")[0];
        // a reader states a purpose with markup in it: the page must show it as the text it is
        String purpose = "<img src=x onerror=\"window.__xss=1\">回访核实";
        JsonObject page = Http.json(Http.get("/api/v1/persons?grid=" + grid + "&limit=3&unmask=true&purpose="
                + URLEncoder.encode(purpose, StandardCharsets.UTF_8), Http.token("officer")));
        String name = page.getJsonArray("items").getJsonObject(0).getString("name");

        browser = browsers.start(TestServer.get().baseUrl());
        browser.open("/audit/");
        browser.waitForLocation("/login");
        signIn("admin");
        browser.waitForLocation("/audit/");
        browser.waitPresent("body[data-audit-ready='page']", "the audit page did not open for the admin");
        WebElement firstPurpose = browser.waitVisible(By.cssSelector("#entries-body tr td.purpose"));
        assertEquals(purpose, firstPurpose.getText(), "the purpose, markup shown as text");
        assertEquals(null, browser.js("return window.__xss === undefined ? null : window.__xss"), "no script ran");
        browser.screenshot("audit-reads");

        List<WebElement> people = browser.driver().findElements(By.cssSelector("#entries-body tr:first-child .person-link"));
        WebElement person = people.stream().filter(b -> b.getText().equals(name)).findFirst().orElseThrow();
        person.click();
        browser.waitUntil(d -> !d.findElement(By.id("filter-person")).getAttribute("value").isEmpty());
        browser.waitUntil(d -> d.findElements(By.cssSelector("#entries-body tr")).stream()
                .allMatch(tr -> tr.getText().contains(name)));
        browser.screenshot("audit-one-person");
        assertTrue(browser.consoleErrors().isEmpty(), browser.consoleErrors().toString());
    }

    @Test
    void otherRolesAreTurnedAway() {
        browser = browsers.start(TestServer.get().baseUrl());
        browser.open("/audit/");
        browser.waitForLocation("/login");
        signIn("officer");
        browser.waitPresent("body[data-audit-ready='denied']", "the officer should get the notice");
        assertTrue(browser.find(By.id("no-permission")).isDisplayed());
        browser.screenshot("audit-denied");
    }
}
