package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The import console (/imports/) end to end in headless Chromium: a data officer uploads a small
 * population CSV, watches the job to its end, sees the counts and the link to the rejected rows;
 * a role without imports.run gets the 无权限 notice instead of the form. Screenshots go to
 * target/screenshots/import-*.png.
 */
class ImportPageIT {
    private static TestServer server;
    @RegisterExtension
    final Browsers browsers = new Browsers();
    private Browser browser;

    @TempDir
    Path temp;

    @BeforeAll
    static void startServer() {
        server = TestServer.get();
    }

    @Test
    void anOfficerUploadsAPopulationFileAndWatchesItToTheEnd() throws Exception {
        browser = browsers.start(server.baseUrl());
        browser.open("/imports/");
        assertEquals("/login?next=%2Fimports%2F", browser.waitForLocation("/login"), "no session: the login page first");
        signIn("officer");
        browser.waitForLocation("/imports/");
        consoleReady("console");
        WebElement form = browser.waitVisible(By.id("import-form"));
        assertFalse(browser.find(By.id("no-permission")).isDisplayed());
        assertEquals("当前任务", browser.find(By.id("job-title")).getText());
        browser.screenshot("import-empty");

        // One good row (a real house, a valid ID whose 17th digit is odd: 男) and one with a bad check character.
        LocalDate birth = LocalDate.of(1950, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(18000));
        String birthDigits = birth.toString().replace("-", "");
        String first17 = "440105" + birthDigits + String.format("%02d", ThreadLocalRandom.current().nextInt(100))
                + (1 + 2 * ThreadLocalRandom.current().nextInt(5));
        char check = IdNumber.checkChar(first17);
        String good = first17 + check;
        String bad = first17 + (check == '0' ? '1' : '0');
        String house = aHouse();
        Path csv = temp.resolve("人口导入测试.csv");
        Files.writeString(csv, "身份证号,姓名,性别,出生日期,户籍类型,房屋编码\n"
                + good + ",周九,男," + birth + ",户籍," + house + "\n"
                + bad + ",吴十,男," + birth + ",户籍," + house + "\n", StandardCharsets.UTF_8);

        form.findElement(By.cssSelector("input[name=dataset][value=persons] + span")).click();
        assertTrue(browser.find(By.cssSelector("input[name=dataset][value=persons]")).isSelected());
        new Select(browser.find(By.id("encoding"))).selectByValue("UTF-8");
        browser.find(By.id("file")).sendKeys(csv.toAbsolutePath().toString());
        browser.waitUntil(d -> d.findElement(By.id("file-label")).getText().equals("人口导入测试.csv"));
        browser.screenshot("import-file-chosen");
        browser.find(By.id("submit")).click();

        WebElement job = browser.waitPresent("#job[data-job-id]", "the upload did not start a job: "
                + browser.find(By.id("form-error")).getText());
        browser.screenshot("import-running"); // the job as first shown; a job this small may already be done
        try {
            browser.waitUntil(d -> "true".equals(job.getAttribute("data-done")), Duration.ofSeconds(60));
        } catch (TimeoutException e) {
            throw new AssertionError("the job did not finish; shown: " + job.getText() + "; screenshot "
                    + browser.screenshot("import-failed"), e);
        }
        String id = job.getAttribute("data-job-id");
        assertEquals("succeeded", job.getAttribute("data-status"), job.getText());
        assertEquals("成功", browser.find(By.id("job-badge")).getText());
        assertEquals("1", count("inserted"));
        assertEquals("1", count("rejected"));
        assertEquals("0", count("updated"));
        assertEquals("0", count("unchanged"));
        assertEquals("2", count("rowsRead"));
        assertTrue(job.getText().contains("人口导入测试.csv"), "the file name is shown: " + job.getText());

        // the job the page shows is the one the API knows, and its rejects link points at it
        JsonObject state = Http.json(Http.get("/api/v1/imports/" + id, Http.token("officer")));
        assertEquals("人口导入测试.csv", state.getString("fileName"));
        assertEquals("officer", state.getString("submittedBy"));
        WebElement rejects = browser.waitVisible(By.id("job-rejects"));
        String href = rejects.getAttribute("href");
        assertEquals(server.baseUrl() + "/api/v1/imports/" + id + "/rejects.csv", href);
        assertTrue(rejects.getText().contains("拒绝"), rejects.getText());
        HttpResponse<String> csvBack = Http.get("/api/v1/imports/" + id + "/rejects.csv", Http.token("officer"));
        assertEquals(200, csvBack.statusCode());
        assertTrue(csvBack.body().contains("身份证号不合规"), csvBack.body());
        assertFalse(csvBack.body().contains(good), "the good row is not among the rejects");

        // the history lists it, newest first, with its badge and its own rejects link
        WebElement row = browser.waitPresent("#history-body tr[data-job-id='" + id + "'][data-status=succeeded]",
                "the finished job is not in the history");
        assertEquals(id, browser.find(By.cssSelector("#history-body tr[data-job-id]")).getAttribute("data-job-id"),
                "newest first");
        assertTrue(row.getText().contains("成功"), row.getText());
        assertTrue(row.getText().contains("officer"), row.getText());
        assertTrue(row.findElement(By.cssSelector("a")).getAttribute("href").endsWith("/api/v1/imports/" + id + "/rejects.csv"));
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors");
        assertScreenshot(browser.screenshot("import-done"));

        browser.find(By.cssSelector("[data-lang=en]")).click();
        browser.waitUntil(d -> d.findElement(By.id("job-badge")).getText().equals("Succeeded"));
        assertEquals("Current job", browser.find(By.id("job-title")).getText());
        assertScreenshot(browser.screenshot("import-done-en"));
        browser.find(By.cssSelector("[data-lang=zh-CN]")).click();
        browser.waitUntil(d -> d.findElement(By.id("job-badge")).getText().equals("成功"));

        // the map wall offers the import page to a role that may import
        browser.open("/");
        WebElement link = browser.waitVisible(By.id("imports-link"));
        assertEquals("数据导入", link.getText());
        assertEquals(server.baseUrl() + "/imports/", link.getAttribute("href"));
    }

    @Test
    void aRoleWithoutImportPermissionSeesNoPermission() throws Exception {
        browser = browsers.start(server.baseUrl());
        browser.open("/");
        browser.waitForLocation("/login");
        signIn("command");
        browser.waitPresent("body[data-grids-drawn]");
        assertTrue(browser.driver().findElements(By.id("imports-link")).isEmpty(), "no import link on the wall for command staff");

        browser.open("/imports/");
        consoleReady("denied");
        WebElement denied = browser.waitVisible(By.id("no-permission"));
        assertTrue(denied.getText().contains("无权限"), denied.getText());
        assertFalse(browser.find(By.id("console")).isDisplayed(), "no upload form");
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors");
        assertScreenshot(browser.screenshot("import-denied"));
    }

    @Test
    void anOfficerMapsTheFilesWordsAndSeesWhyARefusedFileFailed() throws Exception {
        browser = browsers.start(server.baseUrl());
        browser.open("/imports/");
        browser.waitForLocation("/login");
        signIn("officer");
        browser.waitForLocation("/imports/");
        consoleReady("console");
        WebElement form = browser.waitVisible(By.id("import-form"));

        // houses whose 用途 a street office writes its own way: 商住 mapped on the page, 茅草屋 known to nobody
        double[] at = aHousePoint();
        String prefix = "440105999997" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        Path houses = temp.resolve("房屋-取值映射.csv");
        Files.writeString(houses, "房屋编码,地址,用途,经度,纬度\n"
                + prefix + "01,广州市海珠区映射路1号,商住," + at[0] + "," + at[1] + "\n"
                + prefix + "02,广州市海珠区映射路2号,厂房," + at[0] + "," + at[1] + "\n"
                + prefix + "03,广州市海珠区映射路3号,茅草屋," + at[0] + "," + at[1] + "\n", StandardCharsets.UTF_8);
        form.findElement(By.cssSelector("input[name=dataset][value=houses] + span")).click();
        new Select(browser.find(By.id("encoding"))).selectByValue("UTF-8");
        WebElement mapping = browser.find(By.id("map-values"));
        mapping.sendKeys("use=商住:商业金融信息");
        browser.find(By.id("file")).sendKeys(houses.toAbsolutePath().toString());
        browser.waitUntil(d -> d.findElement(By.id("file-label")).getText().equals("房屋-取值映射.csv"));
        browser.screenshot("import-map-values");
        browser.find(By.id("submit")).click();
        WebElement job = browser.waitPresent("#job[data-job-id][data-done=true]", "the houses job did not finish: "
                + browser.find(By.id("form-error")).getText());
        assertEquals("succeeded", job.getAttribute("data-status"), job.getText());
        assertEquals("3", count("inserted"));
        assertEquals("1", count("warned"), "the unknown word is a warning, not a rejected row");
        assertEquals("0", count("rejected"));
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(use, ' ' ORDER BY code) FROM house WHERE code LIKE '" + prefix + "%'")) {
            rs.next();
            assertEquals("商业金融信息 工业交通仓储 其他", rs.getString(1));
        }
        String houseJob = job.getAttribute("data-job-id");
        String report = Http.get("/api/v1/imports/" + houseJob + "/rejects.csv", Http.token("officer")).body();
        assertTrue(report.contains("4,warning,use,茅草屋,未知的房屋用途"), report);
        assertScreenshot(browser.screenshot("import-map-values-done"));

        // a persons register without 姓名: refused whole; the page says why, as the shell does
        mapping.clear();
        Path persons = temp.resolve("人口-缺列.csv");
        Files.writeString(persons, "身份证号,性别,户籍类型,联系电话,房屋编码\n440105198001010021,女,户籍,,"
                + aHouse() + "\n", StandardCharsets.UTF_8);
        form.findElement(By.cssSelector("input[name=dataset][value=persons] + span")).click();
        browser.find(By.id("file")).sendKeys(persons.toAbsolutePath().toString());
        browser.waitUntil(d -> d.findElement(By.id("file-label")).getText().equals("人口-缺列.csv"));
        browser.find(By.id("submit")).click();
        WebElement failed = browser.waitPresent("#history-body tr[data-status=failed]", "the refused job is not in the history");
        String refusedId = failed.getAttribute("data-job-id");
        String message = Http.json(Http.get("/api/v1/imports/" + refusedId, Http.token("officer"))).getString("message");
        assertTrue(message.startsWith("required column name not found"), message);
        WebElement reason = failed.findElement(By.cssSelector(".job-reason"));
        assertEquals(message, reason.getText(), "the history says why, in the importer's own words");
        assertTrue(failed.getText().contains("失败"), failed.getText());
        browser.waitPresent("#job[data-job-id='" + refusedId + "'][data-status=failed]", "the refused job is not shown");
        assertTrue(browser.find(By.cssSelector("#job .job-message")).getText().contains(message));
        assertTrue(browser.find(By.id("form-error")).getText().contains("required column name not found"));
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
        assertScreenshot(browser.screenshot("import-refused-reason"));
    }

    private static double[] aHousePoint() throws Exception {
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ST_X(geom), ST_Y(geom) FROM house LIMIT 1")) {
            assertTrue(rs.next(), "the demo data has houses");
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }

    private void signIn(String username) {
        browser.waitPresent("body[data-login-ready]", "the login page's script did not run");
        WebElement user = browser.waitVisible(By.id("username"));
        user.clear();
        user.sendKeys(username);
        WebElement pass = browser.find(By.id("password"));
        pass.clear();
        pass.sendKeys(TestServer.PASSWORD);
        browser.find(By.id("login-submit")).click();
    }

    private void consoleReady(String what) {
        try {
            browser.waitPresent("body[data-imports-ready='" + what + "']");
        } catch (TimeoutException e) {
            throw new AssertionError("the import page did not show '" + what + "' at " + browser.location()
                    + "; console errors " + browser.consoleErrors() + "; screenshot " + browser.screenshot("import-failed"), e);
        }
    }

    private String count(String key) {
        return browser.find(By.cssSelector("#job [data-count=" + key + "]")).getText();
    }

    private static String aHouse() throws Exception {
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT code FROM house LIMIT 1")) {
            assertTrue(rs.next(), "the demo data has houses");
            return rs.getString(1);
        }
    }

    private static void assertScreenshot(Path png) throws Exception {
        byte[] head = Files.readAllBytes(png);
        assertEquals(1920, ByteBuffer.wrap(head, 16, 4).getInt(), png.toString());
        assertEquals(1080, ByteBuffer.wrap(head, 20, 4).getInt(), png.toString());
    }
}
