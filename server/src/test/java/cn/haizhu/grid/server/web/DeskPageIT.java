package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dispatcher desk (/desk/) end to end in headless Chromium: a 12345 work order taken in
 * through the form shows its routing and a possible duplicate, is filed and dispatched (to a
 * worker named by the dispatcher) and counts down in the queue; a case another user reports
 * through the API appears in the open desk without a reload (SSE). Screenshots: desk-*.png.
 */
class DeskPageIT {
    private static CaseFixtures fx;
    @RegisterExtension
    final Browsers browsers = new Browsers();
    private Browser browser;

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        fx = CaseFixtures.load();
    }

    @Test
    void aDispatcherTakesInFilesAndDispatchesA12345OrderAndSeesNewCasesLive() throws Exception {
        // an open case of the same category 5 m away: the intake must suggest it as a duplicate (a category and a
        // spot of its own, away from the other tests' cases at the grid's centre)
        String category = CaseFixtures.quietCategory();
        double lat = fx.lat + 0.00015;
        String earlier = CaseFixtures.report("command", category, CaseFixtures.unique("先前工单"), fx.lon, lat).getString("id");

        browser = browsers.start(TestServer.get().baseUrl());
        browser.open("/desk/");
        assertEquals("/login?next=%2Fdesk%2F", browser.waitForLocation("/login"), "no session: the login page first");
        signIn("dispatcher");
        browser.waitForLocation("/desk/");
        ready("body[data-desk-ready]");
        assertEquals("案件队列", browser.find(By.id("queue-title")).getText());
        browser.screenshot("desk-queue");

        // ── intake ──
        browser.find(By.id("new-intake")).click();
        WebElement form = browser.waitVisible(By.id("intake"));
        new Select(browser.find(By.id("intake-major"))).selectByValue(CaseFixtures.majorOf(category));
        new Select(browser.find(By.id("intake-category"))).selectByValue(category);
        assertTrue(browser.find(By.id("intake-category-help")).getText().contains("工作小时"),
                "the category's limits are shown: " + browser.find(By.id("intake-category-help")).getText());
        String title = CaseFixtures.unique("围墙乱涂乱画");
        browser.find(By.id("intake-title")).sendKeys(title);
        browser.find(By.id("intake-description")).sendKeys("市民来电反映小区围墙被乱涂乱画，要求清理");
        browser.find(By.id("intake-address")).sendKeys("海珠区测试路 8 号");
        // about 5 m east of the earlier case
        browser.find(By.id("intake-lon")).sendKeys(String.format("%.6f", fx.lon + 0.00005));
        browser.find(By.id("intake-lat")).sendKeys(String.format("%.6f", lat));
        browser.screenshot("desk-intake-form");
        form.findElement(By.id("intake-submit")).click();

        WebElement panel = waitFor("#case-view[data-state=reported]", "the intake did not answer with the case: "
                + browser.find(By.id("intake-error")).getText());
        String id = panel.getAttribute("data-case-id");
        assertTrue(panel.getText().contains(title), panel.getText());
        assertEquals(fx.workerGrid, browser.find(By.cssSelector("#routing [data-field=grid]")).getText(), "routed to the grid");
        assertTrue(browser.find(By.cssSelector("#routing [data-field=street]")).getText().matches("\\d{9} \\S+街道"));
        WebElement dup = waitFor("#duplicates li[data-case-id='" + earlier + "']", "the earlier case 5 m away is suggested");
        assertTrue(dup.getText().contains("米"), dup.getText());
        browser.screenshot("desk-intake-routing");

        // ── 立案, then 派遣 to the demo worker (the override field) ──
        act("file");
        waitFor("#case-view[data-state=filed]", () -> "filing failed: " + resultText());
        browser.click(By.cssSelector("#actions [data-action=dispatch]"));
        WebElement assignee = browser.waitVisible(By.cssSelector("#action-form input[name=assigneeId]"));
        assignee.sendKeys(String.valueOf(fx.workerId));
        browser.find(By.id("action-confirm")).click();
        waitFor("#case-view[data-state=dispatched]", () -> "dispatch failed: " + resultText());
        assertTrue(browser.find(By.cssSelector("#routing [data-field=assignee]")).getText().contains(fx.workerName));
        assertEquals(List.of("report", "file", "dispatch"), CaseFixtures.actions(CaseFixtures.view(id)));

        // the queue shows it with a working-time countdown (剩 h:mm:ss); outside working hours it stands
        // still rather than running out, so a case dispatched a moment ago always has time left
        // (the row is looked up on every try: a pushed event reloads the queue and replaces its rows)
        String rowCss = "#queue-body tr[data-case-id='" + id + "'][data-state=dispatched]";
        waitFor(rowCss, "the queue shows the case");
        String first = browser.waitUntil(d -> {
            String text = d.findElement(By.cssSelector(rowCss + " .countdown")).getText();
            return text.matches("剩 \\d+:\\d\\d:\\d\\d") ? text : null;
        });
        assertTrue(first.startsWith("剩"), first);
        browser.screenshot("desk-dispatched");

        // ── live: a case reported by someone else appears without a reload ──
        new Select(browser.find(By.id("filter-state"))).selectByValue("reported,verifying");
        browser.waitUntil(d -> d.findElements(By.cssSelector("#queue-body tr[data-state=dispatched]")).isEmpty());
        ready("body[data-live=open]");
        Object marker = browser.js("window.__notReloaded = true; return true;");
        assertEquals(Boolean.TRUE, marker);
        String liveTitle = CaseFixtures.unique("实时推送测试");
        String liveId = CaseFixtures.report("command", liveTitle, fx.lon + 0.0003, fx.lat).getString("id");
        String liveText;
        try {
            liveText = browser.waitUntil(d -> d.findElement(By.cssSelector("#queue-body tr[data-case-id='" + liveId + "']")).getText(),
                    Duration.ofSeconds(5));
        } catch (TimeoutException e) {
            throw new AssertionError("the pushed case did not appear within 5 s; screenshot " + browser.screenshot("desk-failed"), e);
        }
        assertTrue(liveText.contains(liveTitle), liveText);
        assertEquals(Boolean.TRUE, browser.js("return window.__notReloaded === true;"), "the page was not reloaded");
        browser.screenshot("desk-live");

        // ── English ──
        browser.find(By.cssSelector("[data-lang=en]")).click();
        browser.waitUntil(d -> d.findElement(By.id("queue-title")).getText().equals("Case queue"));
        browser.screenshot("desk-en");
        browser.find(By.cssSelector("[data-lang=zh-CN]")).click();
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());

        // the wall links to the desk for a dispatcher
        browser.open("/");
        assertEquals("调度台", browser.waitVisible(By.id("desk-link")).getText());
    }

    @Test
    void aDispatcherRecordsTheDepartmentsOpinionsInAJointReview() throws Exception {
        // 联合审定: a difficult order goes to joint review; the desk records each department's opinion
        String id = CaseFixtures.report("dispatcher", CaseFixtures.unique("疑难工单"), fx.lon, fx.lat).getString("id");
        CaseFixtures.act("dispatcher", id, new JsonObject().put("action", "file"));
        CaseFixtures.act("dispatcher", id, new JsonObject().put("action", "request_joint_review"));
        openFromQueue(id, "suspended,joint_review");
        waitFor("#case-view[data-case-id='" + id + "'] #actions [data-action=review_opinion]", "会审意见 is offered").click();
        browser.waitVisible(By.id("action-confirm")).click();
        WebElement missing = waitFor("#action-form .notice:not([hidden])", "an opinion without its department is not sent");
        assertEquals("请选择发表意见的部门", missing.getText());
        Select department = new Select(browser.find(By.cssSelector("#action-form select[name=department]")));
        department.selectByIndex(1);
        String code = department.getFirstSelectedOption().getAttribute("value");
        browser.find(By.cssSelector("#action-form textarea[name=comment]")).sendKeys("属地街道：建议由城管部门牵头");
        browser.screenshot("desk-joint-review");
        browser.find(By.id("action-confirm")).click();
        waitFor("#action-result[data-ok=true]", () -> "the opinion was not recorded: " + resultText());
        JsonObject opinion = CaseFixtures.event(CaseFixtures.view(id), "review_opinion");
        assertEquals(code, opinion.getJsonObject("details").getString("department"));
        assertEquals("属地街道：建议由城管部门牵头", opinion.getString("comment"));
    }

    @Test
    void aRefusedActionShowsTheServersReason() throws Exception {
        String id = CaseFixtures.report("dispatcher", CaseFixtures.unique("并发测试"), fx.lon, fx.lat).getString("id");
        openFromQueue(id, "reported,verifying");
        waitFor("#case-view[data-case-id='" + id + "'] #actions [data-action=file]", "立案 is offered").click();
        // meanwhile another dispatcher's desk rejects it
        CaseFixtures.act("command", id, new JsonObject().put("action", "reject").put("comment", "重复上报"));
        browser.find(By.id("action-confirm")).click();
        WebElement refusal = waitFor("#action-form .notice:not([hidden])", "the refusal is shown");
        assertTrue(refusal.getText().contains("不予立案"), "the reason in Chinese: " + refusal.getText());
        browser.screenshot("desk-refused");
    }

    @Test
    void aCityOrderShowsTheCitysDeadlineAndGoesBackUpWithACodedReason() throws Exception {
        // 派单 from the city's 12345 platform, due in 30 hours there
        String number = CaseFixtures.unique("GZ12345");
        Instant due = Instant.now().plus(30, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        JsonObject order = CaseFixtures.intakeBody(CaseFixtures.CATEGORY, CaseFixtures.unique("市级派单"), fx.lon, fx.lat)
                .put("originNode", "440100").put("orderNumber", number).put("deadline", due.toString()).put("timeLimit", "13个工作日");
        HttpResponse<String> sent = Http.post("/api/v1/cases/work-orders", "application/json", order.encode(), Http.token("peer"));
        assertEquals(201, sent.statusCode(), sent.body());
        String id = Http.json(sent).getString("id");

        openFromQueue(id, "reported,verifying");
        WebElement chip = waitFor("#queue-body tr[data-case-id='" + id + "'] .chip-origin", "the queue marks the city's order");
        String dueHere = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(due.atZone(ZoneId.of("Asia/Shanghai")));
        assertEquals("上级 " + dueHere, chip.getText());
        WebElement origin = waitFor("#case-view[data-case-id='" + id + "'] #origin", "the case shows where it came from");
        assertEquals("市级平台派单 440100", origin.findElement(By.cssSelector("[data-field=from]")).getText());
        assertEquals(number, origin.findElement(By.cssSelector("[data-field=orderNumber]")).getText());
        String deadline = origin.findElement(By.cssSelector("[data-field=originDeadline]")).getText();
        assertTrue(deadline.startsWith(dueHere + "（剩 "), "the city's deadline and the time left to it: " + deadline);
        assertEquals("13个工作日", origin.findElement(By.cssSelector("[data-field=timeLimit]")).getText());
        assertTrue(origin.getText().startsWith("上级派单"), origin.getText());
        browser.screenshot("desk-city-order");

        // 退回上级: not without a reason, then 非本辖区
        waitFor("#case-view[data-case-id='" + id + "'] #actions [data-action=return_up]", "退回上级 is offered").click();
        browser.waitVisible(By.id("action-confirm")).click();
        WebElement missing = waitFor("#action-form .notice:not([hidden])", "no return up without a reason");
        assertEquals("请选择原因", missing.getText());
        Select reason = new Select(browser.find(By.cssSelector("#action-form select[name=reason]")));
        assertEquals("非本辖区", reason.getOptions().get(1).getText(), "the upward list, not the worker's");
        reason.selectByValue("not_our_jurisdiction");
        browser.find(By.cssSelector("#action-form textarea[name=comment]")).sendKeys("地址属天河区");
        browser.screenshot("desk-return-up");
        browser.find(By.id("action-confirm")).click();
        waitFor("#case-view[data-case-id='" + id + "'][data-state=returned_up]", () -> "the return up failed: " + resultText());
        WebElement step = waitFor("#case-history li[data-action=return_up]", "the history shows the return up");
        assertTrue(step.getText().contains("非本辖区"), step.getText());
        JsonObject event = CaseFixtures.event(CaseFixtures.view(id), "return_up");
        assertEquals("not_our_jurisdiction", event.getJsonObject("reason").getString("code"));
        assertEquals("440100", event.getJsonObject("details").getString("returnedTo"));
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
    }

    /** Signs in at the desk as the dispatcher, filters the queue by states and opens the case. */
    private void openFromQueue(String id, String states) {
        browser = browsers.start(TestServer.get().baseUrl());
        browser.open("/desk/");
        browser.waitForLocation("/login");
        signIn("dispatcher");
        ready("body[data-desk-ready]");
        new Select(browser.find(By.id("filter-state"))).selectByValue(states);
        // the queue redraws its rows on every load (this filter, a pushed event): a row found just before a
        // redraw is gone by the click, so find it again
        for (int attempt = 1; ; attempt++) {
            try {
                waitFor("#queue-body tr[data-case-id='" + id + "']", "the case is queued under " + states).click();
                return;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private void act(String action) {
        browser.click(By.cssSelector("#actions [data-action=" + action + "]"));
        browser.click(By.id("action-confirm"));
    }

    private String resultText() {
        try {
            List<WebElement> r = browser.driver().findElements(By.cssSelector("#action-form .notice, #action-result"));
            return r.isEmpty() ? "(nothing shown)" : r.get(0).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return "(the result was being redrawn)";
        }
    }

    private WebElement waitFor(String css, String message) {
        return waitFor(css, () -> message);
    }

    /** The message is made only on failure: what the page shows at that moment, not before the wait. */
    private WebElement waitFor(String css, java.util.function.Supplier<String> message) {
        try {
            return browser.waitPresent(css);
        } catch (TimeoutException e) {
            throw new AssertionError(message.get() + "; console " + browser.consoleErrors() + "; screenshot "
                    + browser.screenshot("desk-failed"), e);
        }
    }

    private void ready(String css) {
        waitFor(css, "the desk did not get to " + css);
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
}
