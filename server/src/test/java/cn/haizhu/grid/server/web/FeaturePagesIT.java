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
 * The HTML views of the OGC API – Features in headless Chromium, as a GIS officer follows them from
 * the collections to a page of houses, the next page and one case: a browser's own Accept header
 * chooses HTML, the links lead on, a case title with markup reads as text and runs nothing, under the
 * Content-Security-Policy (Browser.close fails on any violation). Screenshots:
 * target/screenshots/features-*.png.
 */
class FeaturePagesIT {
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void anOfficerFollowsTheCollectionsToHousesAndACase() {
        String title = "<img src=x onerror=\"window.__xss=1\">路灯不亮";
        String number = cn.haizhu.grid.server.features.FeaturesIT.caseTitled(title);

        Browser browser = browsers.start(TestServer.get().baseUrl());
        browser.viewport(1280, 900);
        browser.open("/collections");
        browser.waitForLocation("/login");
        browser.waitPresent("body[data-login-ready]", "the login page's script did not run");
        browser.waitVisible(By.id("username")).sendKeys("admin");
        browser.find(By.id("password")).sendKeys(TestServer.PASSWORD);
        browser.find(By.id("login-submit")).click();
        browser.waitForLocation("/collections");
        WebElement houses = browser.waitVisible(By.linkText("houses"));
        List<String> ids = browser.driver().findElements(By.cssSelector("table td:first-child a")).stream().map(WebElement::getText).toList();
        assertEquals(List.of("streets", "communities", "grids", "houses", "enterprises", "cases"), ids);
        browser.screenshot("features-collections");

        houses.click();
        browser.waitForLocation("/collections/houses/items");
        browser.waitUntil(d -> d.findElements(By.cssSelector("table tr")).size() == 11 ? true : null);   // header + 10
        String firstPageFirst = browser.find(By.cssSelector("table tr:nth-child(2) td:first-child")).getText();
        browser.screenshot("features-houses");
        browser.find(By.linkText("next page")).click();
        browser.waitUntil(d -> !d.findElement(By.cssSelector("table tr:nth-child(2) td:first-child")).getText().equals(firstPageFirst)
                ? true : null);
        assertTrue(browser.location().contains("after="), browser.location());

        browser.open("/collections/cases/items/" + number);
        WebElement shown = browser.waitVisible(By.xpath("//tr[th='title']/td"));
        assertEquals(title, shown.getText(), "the title, markup shown as text");
        assertEquals(null, browser.js("return window.__xss === undefined ? null : window.__xss"), "no script ran");
        browser.screenshot("features-case");
        assertTrue(browser.consoleErrors().isEmpty(), browser.consoleErrors().toString());
    }
}
