package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The grid worker's tablet app (/tablet/) in headless Chromium at 1024×768: the dispatched case in
 * 我的任务, 签收, 开始处置, 处置反馈 with a photo and a GPS stamp, checked through the API; and the
 * offline queue: with the network cut the worker signs, starts, reports back and reports a new
 * event, the page shows them queued and the server has none; with the network back each is
 * applied exactly once, and a replay of a queued item (a lost answer) is not applied again; and the
 * app opened again in the field with the server unreachable (its service worker, through a cut relay);
 * and signing out, which leaves nothing of the worker on the tablet for the next one (asking first
 * when work is not sent yet). Screenshots: tablet-*.png.
 */
class TabletPageIT {
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
    void aWorkerSignsHandlesAndReportsBackWithAPhoto() throws Exception {
        String title = CaseFixtures.unique("平板测试");
        String id = fx.dispatched(title);
        Path photo = CaseFixtures.jpeg(temp, "现场.jpg");
        openTablet();
        // a few metres from the case: the GPS stamp
        browser.geolocation(fx.lon + 0.00002, fx.lat + 0.00002);

        WebElement card = waitFor("#task-list li[data-case-id='" + id + "']", "the dispatched case is in 我的任务");
        assertTrue(card.getText().contains(title), card.getText());
        assertTrue(card.findElement(By.cssSelector(".countdown")).getText().matches("剩 \\d+:\\d\\d:\\d\\d"),
                card.findElement(By.cssSelector(".countdown")).getText());
        browser.screenshot("tablet-tasks");
        card.click();
        waitFor("#view-task[data-case-id='" + id + "'][data-state=dispatched]", "the task page opens");
        browser.screenshot("tablet-task");

        act("sign");
        waitFor("#view-task[data-state=signed]", "签收 shows");
        waitSent();
        act("start_handling");
        waitFor("#view-task[data-state=in_process]", "开始处置 shows");
        waitSent();
        browser.click(By.cssSelector("#task-actions [data-action=feedback]"));
        browser.waitVisible(By.cssSelector("#task-form textarea[name=comment]")).sendKeys("已清理墙面涂鸦，恢复原貌");
        browser.find(By.id("task-photo")).sendKeys(photo.toAbsolutePath().toString());
        waitFor("#task-previews[data-count='1']", "the photo preview");
        browser.screenshot("tablet-feedback-form");
        browser.find(By.id("task-confirm")).click();
        waitSent();

        JsonObject view = browser.waitUntil(d -> {
            JsonObject v = CaseFixtures.view(id);
            return "done_feedback".equals(v.getString("state")) ? v : null;
        });
        assertEquals(List.of("report", "file", "dispatch", "sign", "start_handling", "feedback"), CaseFixtures.actions(view));
        JsonObject feedback = CaseFixtures.event(view, "feedback");
        assertEquals("worker", feedback.getJsonObject("actor").getString("username"));
        assertEquals("已清理墙面涂鸦，恢复原貌", feedback.getString("comment"));
        assertNotNull(feedback.getJsonObject("location"), "the GPS stamp");
        assertEquals(fx.lon + 0.00002, feedback.getJsonObject("location").getDouble("lon"), 1e-6);
        JsonArray photos = feedback.getJsonArray("attachments");
        assertEquals(1, photos.size(), feedback.encode());
        HttpResponse<String> meta = Http.get("/api/v1/attachments/" + photos.getString(0) + "/meta", Http.token("dispatcher"));
        assertEquals(200, meta.statusCode(), meta.body());
        assertEquals("image/jpeg", Http.json(meta).getString("contentType"));
        for (String action : List.of("sign", "start_handling", "feedback")) {
            assertNotNull(CaseFixtures.event(view, action).getString("clientActionId"), action + " carries its client id");
        }
        // the case has left 我的任务' actionable states: no buttons for the worker while it waits for 核查
        waitFor("#view-task[data-state=done_feedback]", "the task shows 已反馈");
        browser.screenshot("tablet-done");
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
    }

    @Test
    void whatIsDoneOfflineIsSentExactlyOnceWhenTheNetworkReturns() throws Exception {
        String title = CaseFixtures.unique("离线测试");
        String id = fx.dispatched(title);
        Path photo = CaseFixtures.jpeg(temp, "离线现场.jpg");
        Path reportPhoto = CaseFixtures.jpeg(temp, "上报.jpg");
        openTablet();
        browser.geolocation(fx.lon + 0.0001, fx.lat);
        waitFor("#task-list li[data-case-id='" + id + "']", "the dispatched case is in 我的任务").click();
        waitFor("#view-task[data-case-id='" + id + "'][data-state=dispatched]", "the task page opens");

        // ── the signal drops ──
        browser.offline(true);
        waitFor("body[data-online=false]", "the page notices it is offline");
        act("sign");
        waitFor("#view-task[data-state=signed]", "签收 is shown at once (optimistic)");
        act("start_handling");
        waitFor("#view-task[data-state=in_process]", "开始处置 is shown at once");
        browser.click(By.cssSelector("#task-actions [data-action=feedback]"));
        browser.waitVisible(By.cssSelector("#task-form textarea[name=comment]")).sendKeys("离线时完成处置");
        browser.find(By.id("task-photo")).sendKeys(photo.toAbsolutePath().toString());
        waitFor("#task-previews[data-count='1']", "the photo preview");
        browser.find(By.id("task-confirm")).click();
        waitFor("#view-task[data-state=done_feedback]", "反馈 is shown at once");
        waitFor("#outbox-count[data-count='4']", "sign, start, photo and feedback wait");

        // a new event at the current position, with a photo
        browser.find(By.id("tab-report")).click();
        waitFor("#report-location[data-source=gps]", "the report takes the GPS position");
        new Select(browser.find(By.id("report-major"))).selectByValue(CaseFixtures.majorOf(CaseFixtures.CATEGORY));
        new Select(browser.find(By.id("report-category"))).selectByValue(CaseFixtures.CATEGORY);
        String reportTitle = CaseFixtures.unique("离线上报");
        browser.find(By.id("report-title")).sendKeys(reportTitle);
        browser.find(By.id("report-description")).sendKeys("巡查发现墙面小广告");
        browser.find(By.id("report-photo")).sendKeys(reportPhoto.toAbsolutePath().toString());
        waitFor("#report-previews[data-count='1']", "the report photo preview");
        browser.find(By.id("report-submit")).click();
        WebElement chip = waitFor("#outbox-count[data-count='6']", "everything is queued: 6 items");
        assertEquals("待发送 6 条", chip.getText());
        assertEquals("离线", browser.find(By.id("net-status")).getText());
        browser.find(By.id("tab-tasks")).click();
        WebElement card = waitFor("#task-list li[data-case-id='" + id + "'][data-state=done_feedback]", "the list shows the queued state");
        assertTrue(card.getText().contains("待发送 3"), card.getText());
        browser.screenshot("tablet-offline-queued");

        // the server has none of it
        assertEquals(List.of("report", "file", "dispatch"), CaseFixtures.actions(CaseFixtures.view(id)));
        assertEquals(0, CaseFixtures.count("SELECT count(*) FROM civic_case WHERE title = ?", reportTitle));

        // what a lost answer looks like: keep a copy of the queued 签收 to send again later
        @SuppressWarnings("unchecked")
        Map<String, Object> sign = (Map<String, Object>) browser.jsAsync("""
                const done = arguments[arguments.length - 1];
                window.gridctlOutbox.all().then((items) => done(items.find((i) => i.kind === 'action' && i.body.action === 'sign')));""");
        assertNotNull(sign, "the queued 签收");

        // ── the signal returns ──
        browser.offline(false);
        try {
            browser.waitUntil(d -> "0".equals(d.findElement(By.id("outbox-count")).getAttribute("data-count")), Duration.ofSeconds(40));
        } catch (TimeoutException e) {
            throw new AssertionError("the queue did not empty; screenshot " + browser.screenshot("tablet-failed"), e);
        }
        browser.screenshot("tablet-back-online");

        JsonObject view = CaseFixtures.view(id);
        assertEquals("done_feedback", view.getString("state"));
        assertEquals(List.of("report", "file", "dispatch", "sign", "start_handling", "feedback"), CaseFixtures.actions(view),
                "each action once, in order");
        Set<String> clientIds = new HashSet<>();
        for (Object e : view.getJsonArray("history")) {
            String c = ((JsonObject) e).getString("clientActionId");
            if (c != null) {
                assertTrue(clientIds.add(c), "one event per clientActionId");
            }
        }
        assertEquals(3, clientIds.size());
        assertEquals(sign.get("key"), CaseFixtures.event(view, "sign").getString("clientActionId"));
        JsonObject feedback = CaseFixtures.event(view, "feedback");
        assertEquals(1, feedback.getJsonArray("attachments").size());
        assertEquals(200, Http.get("/api/v1/attachments/" + feedback.getJsonArray("attachments").getString(0),
                Http.token("dispatcher")).statusCode());
        assertEquals(1, CaseFixtures.count("SELECT count(*) FROM civic_case WHERE title = ?", reportTitle), "one case for the report");
        assertEquals(1, CaseFixtures.count("""
                SELECT count(*) FROM case_event e JOIN civic_case c ON c.gid = e.case_gid
                WHERE c.title = ? AND e.action = 'report' AND cardinality(e.attachment_ids) = 1""", reportTitle),
                "the report keeps its photo");

        // ── a retry after a lost answer: the same 签收 goes out again through the queue ──
        browser.jsAsync("""
                const done = arguments[arguments.length - 1];
                const item = arguments[0];
                window.gridctlOutbox.enqueue({ kind: item.kind, key: item.key, caseId: item.caseId, body: item.body,
                  label: item.label }).then(() => window.gridctlOutbox.drain()).then(() => done(true));""", sign);
        browser.waitUntil(d -> "0".equals(d.findElement(By.id("outbox-count")).getAttribute("data-count")));
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) browser.js("return window.gridctlOutbox.results()[0];");
        assertEquals(Boolean.TRUE, last.get("ok"), String.valueOf(last));
        assertEquals(Boolean.TRUE, last.get("replayed"), "the server answered the first result: " + last);
        assertEquals(List.of("report", "file", "dispatch", "sign", "start_handling", "feedback"),
                CaseFixtures.actions(CaseFixtures.view(id)), "not applied twice");

        // and a definitive refusal leaves the queue with its reason: a new 签收 on a case already reported back
        browser.jsAsync("""
                const done = arguments[arguments.length - 1];
                const item = arguments[0];
                window.gridctlOutbox.enqueue({ kind: 'action', key: crypto.randomUUID(), caseId: item.caseId,
                  body: { action: 'sign', clientActionId: crypto.randomUUID() }, label: '签收 · 重复'
                }).then(() => window.gridctlOutbox.drain()).then(() => done(true));""", sign);
        browser.waitUntil(d -> "0".equals(d.findElement(By.id("outbox-count")).getAttribute("data-count")));
        @SuppressWarnings("unchecked")
        Map<String, Object> refused = (Map<String, Object>) browser.js("return window.gridctlOutbox.results()[0];");
        assertEquals(Boolean.FALSE, refused.get("ok"), String.valueOf(refused));
        assertTrue(String.valueOf(refused.get("zh")).contains("不能签收"), String.valueOf(refused));
        browser.find(By.id("tab-outbox")).click();
        WebElement results = browser.waitVisible(By.id("result-list"));
        assertTrue(results.getText().contains("不能签收"), results.getText());
        assertFalse(results.getText().isEmpty());
        browser.screenshot("tablet-outbox");
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
    }

    @Test
    void theTabletOpensWithoutASignalOnceItHasBeenUsed() throws Exception {
        String id = fx.dispatched(CaseFixtures.unique("无信号启动"));
        try (Relay relay = new Relay(URI.create(TestServer.get().baseUrl()).getPort())) {
            openTablet(relay.baseUrl());
            waitFor("#task-list li[data-case-id='" + id + "']", "the dispatched case is in 我的任务");
            waitFor("body[data-shell-cached=true]", "the service worker holds the app");

            // in the field, no signal: the worker opens the app again
            relay.cut(true);
            browser.offline(true);
            browser.open("/tablet/");
            waitFor("body[data-tablet-ready]", "the app starts from its service worker with the server unreachable");
            assertEquals("cache-storage", browser.js("return performance.getEntriesByType('navigation')[0].deliveryType"),
                    "the page came from the service worker's copy");
            waitFor("#tasks-stale:not([hidden])", "the list says it is the copy from the last load");
            waitFor("#task-list li[data-case-id='" + id + "']", "我的任务 from the tablet's own store").click();
            waitFor("#view-task[data-case-id='" + id + "'][data-state=dispatched]", "the task page opens");
            act("sign");
            waitFor("#outbox-count[data-count='1']", "签收 waits in the queue");
            browser.screenshot("tablet-opened-offline");
            assertEquals(List.of("report", "file", "dispatch"), CaseFixtures.actions(CaseFixtures.view(id)));

            // the signal returns
            relay.cut(false);
            browser.offline(false);
            waitSent();
            assertEquals(List.of("report", "file", "dispatch", "sign"), CaseFixtures.actions(CaseFixtures.view(id)));
            assertTrue(browser.consoleErrors().stream().allMatch(e -> e.contains("net::ERR") || e.contains("Failed to fetch")),
                    "only network errors: " + browser.consoleErrors());
        }
    }

    @Test
    void signingOutLeavesNothingOfTheWorkerOnTheTablet() throws Exception {
        String firstTitle = CaseFixtures.unique("退出清除");
        String firstId = fx.dispatched(firstTitle);
        CaseFixtures two = CaseFixtures.secondWorker();
        String secondTitle = CaseFixtures.unique("接班任务");
        String secondId = two.dispatched(secondTitle);

        // ── the first worker's shift: the tablet keeps a copy of their list for offline use ──
        openTablet();
        waitFor("#task-list li[data-case-id='" + firstId + "']", "the first worker's task");
        assertTrue(tabletStorage().contains(firstTitle), "the list is kept on the tablet: " + tabletStorage());
        browser.find(By.id("sign-out")).click();
        String login = browser.waitForLocation("/login");
        String left = tabletStorage();
        assertFalse(left.contains(firstTitle), "the task list is gone: " + left);
        assertFalse(left.contains("gridctl.tablet."), "nothing of the tablet app is left in localStorage: " + left);
        assertFalse(left.contains("/api/"), "no API answer in Cache Storage: " + left);
        assertEquals("/login?next=%2Ftablet%2F", login, "signed out, back to the tablet after the next sign-in");

        // ── the next worker on the same tablet: their task, nothing of the first one's ──
        signIn(CaseFixtures.SECOND_WORKER);
        browser.waitForLocation("/tablet/");
        waitFor("body[data-tablet-ready]", "the tablet starts for the second worker");
        waitFor("#task-list li[data-case-id='" + secondId + "']", "the second worker's task");
        assertTrue(browser.driver().findElements(By.cssSelector("#task-list li[data-case-id='" + firstId + "']")).isEmpty());
        assertFalse(browser.find(By.tagName("body")).getText().contains(firstTitle));
        assertFalse(tabletStorage().contains(firstTitle), "the first worker's list is not on the tablet");
        browser.screenshot("tablet-second-worker");

        // ── signing out with work not sent: the worker is asked, may stay, or signs out and loses it ──
        browser.find(By.cssSelector("#task-list li[data-case-id='" + secondId + "']")).click();
        waitFor("#view-task[data-case-id='" + secondId + "'][data-state=dispatched]", "the task page opens");
        browser.offline(true);
        waitFor("body[data-online=false]", "the page notices it is offline");
        act("sign");
        waitFor("#outbox-count[data-count='1']", "签收 waits in the queue");
        browser.find(By.id("sign-out")).click();
        WebElement dialog = browser.waitVisible(By.id("signout-dialog"));
        assertTrue(dialog.getText().contains("还有 1 条未发送"), dialog.getText());
        browser.screenshot("tablet-signout-unsent");
        browser.find(By.id("signout-stay")).click();
        waitFor("#view-outbox:not([hidden])", "staying shows what waits");
        assertEquals("1", browser.find(By.id("outbox-count")).getAttribute("data-count"));
        browser.find(By.id("sign-out")).click();
        browser.waitVisible(By.id("signout-discard")).click();
        // offline the server cannot be told yet: the screen and the stores are cleared at once
        WebElement notice = waitFor("#page-notice:not([hidden])", "the offline sign-out says what happens next");
        assertTrue(notice.getText().contains("已退出"), notice.getText());
        assertFalse(browser.find(By.cssSelector(".tablet-main")).isDisplayed(), "no task on screen");
        left = tabletStorage();
        assertFalse(left.contains(secondTitle), "the list and the queued 签收 are gone: " + left);
        assertTrue(left.contains("\"outbox\":[]"), left);
        // the network returns: the session ends on the server, and the discarded 签收 was never sent
        browser.offline(false);
        assertEquals("/login?next=%2Ftablet%2F", browser.waitForLocation("/login"));
        assertEquals(401L, browser.jsAsync("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/me').then((r) => done(r.status), () => done(0));"""), "the session ended");
        assertEquals(List.of("report", "file", "dispatch"), CaseFixtures.actions(CaseFixtures.view(secondId)));
        assertFalse(tabletStorage().contains("gridctl.logoutPending"), tabletStorage());

        // ── a session that just ends (expiry) with no sign-out: the next worker still finds nothing ──
        signIn("worker");
        browser.waitForLocation("/tablet/");
        waitFor("#task-list li[data-case-id='" + firstId + "']", "the first worker is back");
        browser.driver().manage().deleteAllCookies();
        browser.open("/tablet/");
        browser.waitForLocation("/login");
        signIn(CaseFixtures.SECOND_WORKER);
        browser.waitForLocation("/tablet/");
        waitFor("body[data-tablet-ready]", "the tablet starts for the second worker again");
        assertFalse(tabletStorage().contains(firstTitle), "the first worker's list went when the second signed in");
        assertTrue(browser.consoleErrors().stream().allMatch(e -> e.contains("net::ERR") || e.contains("Failed to fetch")),
                "only network errors: " + browser.consoleErrors());
    }

    /**
     * What the tablet app keeps in the browser, read from the page: localStorage, the outbox in
     * IndexedDB (photos left out) and the paths in Cache Storage, as JSON text.
     */
    private String tabletStorage() {
        Object stored = browser.jsAsync("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const local = {};
                  for (let i = 0; i < localStorage.length; i++) {
                    local[localStorage.key(i)] = localStorage.getItem(localStorage.key(i));
                  }
                  const outbox = [];
                  // opened only if there: opening creates a database, and the app's own open would not set it up then
                  if ((await indexedDB.databases()).some((d) => d.name === 'gridctl-tablet')) {
                    const db = await new Promise((ok, no) => {
                      const r = indexedDB.open('gridctl-tablet');
                      r.onsuccess = () => ok(r.result);
                      r.onerror = () => no(r.error);
                    });
                    const items = await new Promise((ok, no) => {
                      const r = db.transaction('outbox').objectStore('outbox').getAll();
                      r.onsuccess = () => ok(r.result);
                      r.onerror = () => no(r.error);
                    });
                    items.forEach((i) => outbox.push({ user: i.user, kind: i.kind, label: i.label, body: i.body }));
                    db.close();
                  }
                  const cached = {};
                  for (const name of await caches.keys()) {
                    cached[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
                  }
                  return JSON.stringify({ local, outbox, caches: cached });
                })().then(done, (e) => done('failed: ' + e));""");
        assertFalse(String.valueOf(stored).startsWith("failed"), String.valueOf(stored));
        return (String) stored;
    }

    /** Fills the login form (the same on every page). */
    private void signIn(String username) {
        new WallPage(browser).signIn(username);
    }

    private void openTablet() {
        openTablet(TestServer.get().baseUrl());
    }

    private void openTablet(String baseUrl) {
        browser = browsers.start(baseUrl);
        browser.viewport(1024, 768);
        browser.open("/tablet/");
        assertEquals("/login?next=%2Ftablet%2F", browser.waitForLocation("/login"), "no session: the login page first");
        signIn("worker");
        browser.waitForLocation("/tablet/");
        waitFor("body[data-tablet-ready]", "the tablet app started");
    }

    /** Taps an action, then its confirm button. */
    private void act(String action) {
        // clicked as found at that moment: a reload after the last item sent may redraw the task
        browser.click(By.cssSelector("#task-actions [data-action=" + action + "]"));
        browser.click(By.id("task-confirm"));
    }

    private void waitSent() {
        try {
            browser.waitUntil(d -> "0".equals(d.findElement(By.id("outbox-count")).getAttribute("data-count")));
        } catch (TimeoutException e) {
            throw new AssertionError("the outbox did not empty; screenshot " + browser.screenshot("tablet-failed"), e);
        }
    }

    private WebElement waitFor(String css, String message) {
        try {
            return browser.waitPresent(css, message);
        } catch (TimeoutException e) {
            throw new AssertionError(message + "; console " + browser.consoleErrors() + "; screenshot "
                    + browser.screenshot("tablet-failed"), e);
        }
    }
}
