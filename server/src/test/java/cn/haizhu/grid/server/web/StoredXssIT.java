package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.codes.CreditCode;
import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * Stored XSS, as an attacker plants it: markup in a case's title, description and address (the
 * intake API), in an Open311 request's description (a peer system), in the comment of a case
 * action, in an import (its file name and its rejected values) and in an enterprise record. Every
 * page that shows them — the wall (the case popup, the live ticker, search results, the place
 * panel), the desk (queue, case panel, history), the tablet (task list, task view) and the import
 * console (current job, history) — must show the markup as
 * the literal text it is: no element made from it, and no script run ({@code window.__xss} stays
 * undefined). Screenshots: xss-*.png.
 */
class StoredXssIT {
    /** Markup that runs script wherever it is parsed as HTML; the handler needs no quotes, as a file name cannot have them all. */
    static final String IMG = "<img src=x onerror=\"window.__xss=1\">";
    static final String SCRIPT = "<script>window.__xss=1</script>";
    /** The same without a quote or slash, which a file name can carry. */
    static final String IMG_FILE_NAME = "<img src=x onerror=window.__xss=1>";

    private static CaseFixtures fx;
    @RegisterExtension
    final Browsers browsers = new Browsers();
    private Browser browser;

    @TempDir
    Path temp;

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        fx = CaseFixtures.load();
    }

    @Test
    void casesAndCommentsFromIntakeOpen311AndActionsAreShownAsText() throws Exception {
        // a case through intake in the worker's grid, filed and dispatched to the worker with markup in each comment
        double lon = fx.lon - 0.0002;
        double lat = fx.lat - 0.0002;
        String title = CaseFixtures.unique("XSS") + " " + IMG;
        JsonObject body = CaseFixtures.intakeBody(CaseFixtures.CATEGORY, title, lon, lat)
                .put("description", "描述 " + SCRIPT + " " + IMG).put("address", "地址 " + IMG);
        HttpResponse<String> created = Http.post("/api/v1/cases", "application/json", body.encode(), Http.token("dispatcher"));
        assertEquals(201, created.statusCode(), created.body());
        String id = Http.json(created).getString("id");
        String number = Http.json(created).getString("number");
        CaseFixtures.act("dispatcher", id, new JsonObject().put("action", "file").put("comment", "立案意见 " + SCRIPT));
        CaseFixtures.act("dispatcher", id, new JsonObject().put("action", "dispatch").put("assignee", fx.workerId)
                .put("comment", "派遣意见 " + IMG));

        // ── the wall: the case's popup, and an Open311 request arriving live in the ticker ──
        browser = browsers.start(TestServer.get().baseUrl());
        WallPage wall = new WallPage(browser);
        browser.open("/");
        wall.signIn("dispatcher");
        wall.gridsDrawn();
        browser.waitPresent("body[data-live=open]", "the case stream is open");
        browser.js("window.gridctlWall.map.setView([arguments[0], arguments[1]], 17, {animate: false})", lat, lon + 0.001);
        browser.waitUntil(d -> Boolean.TRUE.equals(browser.js("return window.gridctlWall.cases().drawn > 0")));
        openCasePopup(wall, lat, lon, number);
        assertLiteral(".case-popup .leaflet-popup-content", IMG, "the wall's case popup");
        String open311Id = open311Request("市民反映 " + IMG + " " + SCRIPT, lon + 0.0001, lat);
        String liveCase = open311CaseId(open311Id);
        assertLiteral("#ticker-list li[data-case-id='" + liveCase + "']", IMG, "the wall's ticker (the Open311 request, live)");
        browser.screenshot("xss-wall");
        assertNoScriptRan("the wall");

        // ── the desk: the queue, the case panel with its history ──
        browser.open("/desk/");
        waitFor("body[data-desk-ready]", "the desk starts", "desk");
        new Select(browser.find(By.id("filter-state"))).selectByValue("dispatched,signed,in_process");
        String row = "#queue-body tr[data-case-id='" + id + "']";
        assertLiteral(row, IMG, "the desk's queue");
        browser.click(By.cssSelector(row));
        String view = "#case-view[data-case-id='" + id + "']";
        assertLiteral(view, title, "the desk's case title");
        assertLiteral(view, "描述 " + SCRIPT + " " + IMG, "the desk's case description");
        assertLiteral(view, "地址 " + IMG, "the desk's case address");
        assertLiteral(view + " #case-history", "立案意见 " + SCRIPT, "a comment in the desk's history");
        assertLiteral(view + " #case-history", "派遣意见 " + IMG, "a comment in the desk's history");
        new Select(browser.find(By.id("filter-state"))).selectByValue("reported,verifying");
        String peerRow = "#queue-body tr[data-case-id='" + liveCase + "']";
        assertLiteral(peerRow, IMG, "the Open311 case's title in the queue");
        browser.click(By.cssSelector(peerRow));
        assertLiteral("#case-view[data-case-id='" + liveCase + "']", "市民反映 " + IMG + " " + SCRIPT,
                "the Open311 description on the desk");
        browser.screenshot("xss-desk");
        assertNoScriptRan("the desk");
        browser.close();

        // ── the tablet: the task list and the task with its history ──
        browser = browsers.start(TestServer.get().baseUrl());
        browser.viewport(1024, 768);
        browser.open("/tablet/");
        new WallPage(browser).signIn("worker");
        waitFor("body[data-tablet-ready]", "the tablet starts", "tablet");
        String card = "#task-list li[data-case-id='" + id + "']";
        assertLiteral(card, title, "the tablet's task list");
        assertLiteral(card, "地址 " + IMG, "the tablet's task list");
        browser.click(By.cssSelector(card));
        String task = "#view-task[data-case-id='" + id + "']";
        assertLiteral(task, title, "the tablet's task title");
        assertLiteral(task, "描述 " + SCRIPT + " " + IMG, "the tablet's task description");
        assertLiteral(task + " .mini-history", "派遣意见 " + IMG, "a comment in the tablet's history");
        browser.screenshot("xss-tablet");
        assertNoScriptRan("the tablet");
    }

    @Test
    void anImportsFileNameAndRejectedValuesAreShownAsText() throws Exception {
        // a population file named with markup, whose rows carry markup where the reader refuses it
        String id17 = "44010519800101" + String.format("%03d", ThreadLocalRandom.current().nextInt(1000));
        Path csv = temp.resolve(IMG_FILE_NAME + ".csv");
        Files.writeString(csv, "身份证号,姓名,性别,出生日期,户籍类型,房屋编码\n"
                + id17 + IdNumber.checkChar(id17) + "," + SCRIPT + "," + IMG_FILE_NAME + ",1980-01-01,户籍," + SCRIPT + "\n",
                StandardCharsets.UTF_8);
        browser = browsers.start(TestServer.get().baseUrl());
        browser.open("/imports/");
        new WallPage(browser).signIn("officer");
        waitFor("body[data-imports-ready=console]", "the import console starts", "import");
        browser.find(By.cssSelector("#import-form input[name=dataset][value=persons] + span")).click();
        new Select(browser.find(By.id("encoding"))).selectByValue("UTF-8");
        browser.find(By.id("file")).sendKeys(csv.toAbsolutePath().toString());
        assertLiteral("#file-label", IMG_FILE_NAME + ".csv", "the chosen file's name");
        browser.find(By.id("submit")).click();
        WebElement job = waitFor("#job[data-job-id]", "the upload starts a job", "import");
        browser.waitUntil(d -> "true".equals(job.getAttribute("data-done")), Duration.ofSeconds(60));
        String jobId = job.getAttribute("data-job-id");
        // the name as stored (the multipart parser reads the '=' in it as separators); its markup is there
        String stored = Http.json(Http.get("/api/v1/imports/" + jobId, Http.token("officer"))).getString("fileName");
        assertTrue(stored.startsWith("<img src") && stored.contains("onerror"), stored);
        assertLiteral("#job", stored, "the current job's file name");
        String row = "#history-body tr[data-job-id='" + jobId + "']";
        assertLiteral(row, stored, "the history's file name");

        // the rejected values are there, in a download the browser saves and never renders
        HttpResponse<String> rejects = Http.get("/api/v1/imports/" + jobId + "/rejects.csv", Http.token("officer"));
        assertEquals(200, rejects.statusCode(), rejects.body());
        assertTrue(rejects.body().contains(IMG_FILE_NAME) || rejects.body().contains(SCRIPT), rejects.body());
        assertTrue(rejects.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
        assertEquals("nosniff", rejects.headers().firstValue("X-Content-Type-Options").orElse(null));
        // and the page's link to them names no markup of its own
        browser.click(By.cssSelector(row));
        browser.waitUntil(d -> jobId.equals(d.findElement(By.id("job")).getAttribute("data-job-id")));
        browser.screenshot("xss-import");
        assertNoScriptRan("the import console");
    }

    @Test
    void anEnterprisesNameAndAddressInSearchAndItsPanelAreShownAsText() throws Exception {
        // an enterprise record as an import would bring it (its own credit code, after the demo's in order)
        String org = String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
        String first17 = "Y1440105" + org + CreditCode.organizationCheckChar(org);
        String creditCode = first17 + CreditCode.checkChar(first17);
        String name = "企业 " + IMG + " " + SCRIPT;
        String address = "地址 " + SCRIPT;
        try (var c = TestServer.get().db.connection(); var ps = c.prepareStatement("""
                INSERT INTO enterprise (credit_code, name, legal_person, address, geom, grid_code, community_code, street_code)
                SELECT ?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326), g.code, g.community_code, g.street_code
                FROM grid g WHERE g.code = ?""")) {
            ps.setString(1, creditCode);
            ps.setString(2, name);
            ps.setString(3, IMG);
            ps.setString(4, address);
            ps.setDouble(5, fx.lon + 0.0003);
            ps.setDouble(6, fx.lat);
            ps.setString(7, fx.workerGrid);
            assertEquals(1, ps.executeUpdate());
        }

        try {
            browser = browsers.start(TestServer.get().baseUrl());
            browser.open("/");
            new WallPage(browser).signIn("command");
            new WallPage(browser).gridsDrawn();
            browser.find(By.id("search")).sendKeys(creditCode);
            assertLiteral("#search-results .search-item[data-kind=enterprise]", name, "the search result");
            browser.find(By.id("search")).sendKeys(Keys.ENTER);
            String panel = "#place-panel[data-kind=enterprise][data-state=ready]";
            assertLiteral(panel, name, "the enterprise panel's name");
            assertLiteral(panel, address, "the enterprise panel's address");
            browser.screenshot("xss-wall-enterprise");
            assertNoScriptRan("the wall's enterprise panel");
        } finally {
            // the other tests count the demo's enterprises
            CaseFixtures.count("WITH gone AS (DELETE FROM enterprise WHERE credit_code = ? RETURNING 1) SELECT count(*) FROM gone",
                    creditCode);
        }
    }

    /** Clicks the case's point on the wall (it may share the spot with other tests' cases) until the popup names it. */
    private void openCasePopup(WallPage wall, double lat, double lon, String number) {
        try {
            browser.waitUntil(d -> {
                int[] p = wall.pagePoint(lat, lon);
                new Actions(d).moveToLocation(p[0], p[1]).click().perform();
                return d.findElements(By.cssSelector(".case-popup .leaflet-popup-content")).stream()
                        .anyMatch(e -> e.getText().contains(number));
            });
        } catch (TimeoutException e) {
            throw new AssertionError("no popup for " + number + "; console " + browser.consoleErrors() + "; screenshot "
                    + browser.screenshot("xss-failed"), e);
        }
    }

    /**
     * What css finds shows text as it was sent, and none of its markup became an element. Looked at
     * in one script, as pushed events redraw the desk and the tablet at any moment.
     */
    private void assertLiteral(String css, String text, String what) {
        List<?> seen;
        try {
            seen = browser.waitUntil(d -> {
                List<?> r = (List<?>) browser.js("""
                        const e = document.querySelector(arguments[0]);
                        return e && [e.innerText, e.querySelectorAll('img[src="x"], img[src$="/x"], script:not([src])').length, e.innerHTML];""",
                        css);
                return r != null && ((String) r.get(0)).contains(text) ? r : null;
            });
        } catch (TimeoutException e) {
            throw new AssertionError(what + " does not show the text as sent: " + text + "; shown: "
                    + browser.js("const e = document.querySelector(arguments[0]); return e && e.innerHTML;", css)
                    + "; screenshot " + browser.screenshot("xss-failed"), e);
        }
        assertEquals(0L, ((Number) seen.get(1)).longValue(), what + ": markup of the data became elements: " + seen.get(2));
    }

    private void assertNoScriptRan(String where) {
        assertEquals(Boolean.TRUE, browser.js("return typeof window.__xss === 'undefined'"),
                "script of the data ran on " + where + "; screenshot " + browser.screenshot("xss-failed"));
    }

    private WebElement waitFor(String css, String message, String page) {
        try {
            return browser.waitPresent(css, message);
        } catch (TimeoutException e) {
            throw new AssertionError(message + "; console " + browser.consoleErrors() + "; screenshot "
                    + browser.screenshot("xss-" + page + "-failed"), e);
        }
    }

    /** A GeoReport v2 request from a peer system, with its own client key; returns its service_request_id. */
    private static String open311Request(String description, double lon, double lat) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("api_key", Http.open311Key("peer"));
        f.put("service_code", CaseFixtures.CATEGORY);
        f.put("lat", Double.toString(lat));
        f.put("long", Double.toString(lon));
        f.put("address_string", "海珠区测试路 " + IMG);
        f.put("description", description);
        String form = f.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = Http.post("/open311/v2/requests.json", "application/x-www-form-urlencoded", form, null);
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, r.body());
        return new io.vertx.core.json.JsonArray(r.body()).getJsonObject(0).getString("service_request_id");
    }

    /** The case id behind an Open311 request id (the case number). */
    private static String open311CaseId(String serviceRequestId) throws Exception {
        try (var c = TestServer.get().db.connection();
             var ps = c.prepareStatement("SELECT gid FROM civic_case WHERE case_number = ?")) {
            ps.setString(1, serviceRequestId);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the case of Open311 request " + serviceRequestId);
                return rs.getString(1);
            }
        }
    }
}
