package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.HasDevTools;
import org.openqa.selenium.devtools.v156.fetch.Fetch;
import org.openqa.selenium.devtools.v156.fetch.model.HeaderEntry;
import org.openqa.selenium.devtools.v156.fetch.model.RequestPattern;
import org.openqa.selenium.devtools.v156.fetch.model.RequestStage;

/**
 * The map wall does not stay dark when EventSource gives up. A reconnect answered with anything but
 * a stream (here a proxy's {@code 502}, as nginx answers while no instance is up) closes an
 * EventSource for good; {@code assets/live.js} then opens a new stream after 5 s, then 10 s, and the
 * wall reloads what it shows, since the new stream carries no {@code Last-Event-ID}.
 *
 * <p>The wall reaches the server through a TCP relay that drops its stream's connection, as a dying
 * proxy or instance does. The browser itself (CDP Fetch) answers the stream's reconnects with 502
 * until the test lets them through: the reconnect, the first reopen after 5 s, then the second
 * after 10 s opens, the wall says 实时 again and hears a case reported after it.
 */
class StreamReopenPageIT {
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void theWallOpensANewStreamWhenEventSourceGaveUpAndReloadsWhatItShows() throws Exception {
        try (Relay relay = new Relay(URI.create(TestServer.get().baseUrl()).getPort())) {
            Browser browser = browsers.start(relay.baseUrl());
            LiveStreamRecorder recorder = LiveStreamRecorder.install(browser);
            DevTools devTools = ((HasDevTools) browser.driver()).getDevTools();
            devTools.createSession();
            ExecutorService answers = Executors.newSingleThreadExecutor();
            AtomicInteger refuse = new AtomicInteger();
            List<Long> refused = new CopyOnWriteArrayList<>();
            try {
                devTools.addListener(Fetch.requestPaused(), paused -> answers.submit(() -> {
                    if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        refused.add(System.currentTimeMillis());
                        devTools.send(Fetch.fulfillRequest(paused.getRequestId(), 502,
                                Optional.of(List.of(new HeaderEntry("Content-Type", "text/html"))), Optional.empty(),
                                Optional.of(Base64.getEncoder().encodeToString(
                                        "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8))),
                                Optional.of("Bad Gateway")));
                    } else {
                        devTools.send(Fetch.continueRequest(paused.getRequestId(), Optional.empty(), Optional.empty(),
                                Optional.empty(), Optional.empty(), Optional.empty()));
                    }
                }));
                devTools.send(Fetch.enable(Optional.of(List.of(new RequestPattern(Optional.of("*/api/v1/events*"),
                        Optional.empty(), Optional.of(RequestStage.REQUEST)))), Optional.empty()));

                WallPage.openLive(browser, "command", recorder);

                // the reconnect and the first reopen are refused; the second reopen goes through
                refuse.set(2);
                long dropped = System.currentTimeMillis();
                relay.cut(true);
                relay.cut(false);
                browser.waitPresent("#live-state[data-state='closed']", "EventSource gave up on a 502");
                assertEquals("已断开", browser.find(By.id("live-state")).getText());
                try {
                    browser.waitUntil(d -> recorder.read().opens().size() == 2, Duration.ofSeconds(40));
                } catch (org.openqa.selenium.TimeoutException e) {
                    throw new AssertionError("the wall opened no stream again within 40 s of EventSource giving up", e);
                }
                browser.waitPresent("#live-state[data-state='open']", "the wall is live again");
                long reopened = recorder.read().opens().get(1);
                assertEquals("实时", browser.find(By.id("live-state")).getText());

                assertEquals(2, refused.size(), "the reconnect and the first reopen were refused");
                long firstReopenWait = refused.get(1) - refused.get(0);
                long secondReopenWait = reopened - refused.get(1);
                assertTrue(firstReopenWait >= 4_500 && firstReopenWait < 9_000,
                        "the first reopen 5 s after EventSource gave up: " + firstReopenWait + " ms");
                assertTrue(secondReopenWait >= 9_500 && secondReopenWait < 15_000,
                        "the second 10 s after the first: " + secondReopenWait + " ms");
                browser.waitUntil(d -> browser.fetchedAfter("/api/v1/cases/map", reopened), Duration.ofSeconds(10));
                assertTrue(browser.fetchedAfter("/api/v1/cases/by-grid", reopened), "their counts reloaded");

                int before = ((Number) browser.js("return window.gridctlWall.cases().open")).intValue();
                JsonObject made = CaseFixtures.report("command", CaseFixtures.unique("重开测试"), 113.3245, 23.0963);
                browser.waitUntil(d -> ((Number) browser.js("return window.gridctlWall.cases().open")).intValue() == before + 1,
                        Duration.ofSeconds(10));
                assertTrue(recorder.read().messages().stream().anyMatch(m -> made.getString("id").equals(m.caseId())),
                        "the case came over the new stream");
                browser.screenshot("wall-stream-reopened");
                System.out.printf("stream reopen: dark %d ms, refused at +%d and +%d ms, open again at +%d ms%n",
                        reopened - dropped, refused.get(0) - dropped, refused.get(1) - dropped, reopened - dropped);
            } finally {
                answers.shutdownNow();
                devTools.close();
            }
        }
    }

}
