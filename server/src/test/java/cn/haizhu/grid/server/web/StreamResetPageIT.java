package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.HasDevTools;
import org.openqa.selenium.devtools.v156.fetch.Fetch;
import org.openqa.selenium.devtools.v156.fetch.model.HeaderEntry;
import org.openqa.selenium.devtools.v156.fetch.model.RequestPattern;
import org.openqa.selenium.devtools.v156.fetch.model.RequestPaused;
import org.openqa.selenium.devtools.v156.fetch.model.RequestStage;

/**
 * The map wall acts on {@code stream.reset}: when the server cannot replay what the wall missed (its
 * {@code Last-Event-ID} is beyond the event log: older than the log keeps, or, as here, an id this
 * database never gave, as after a restore) it says so, and the wall reloads its cases, their counts
 * and the KPIs instead of going on with what it has.
 *
 * <p>The test holds the wall's first stream request in the browser (CDP Fetch) while the wall loads
 * its lists, reports a case the wall therefore never hears of, and lets the request go with a {@code
 * Last-Event-ID} the database never gave. The stream opens without an error before it (so the wall's
 * reload after a reconnect plays no part), the server answers with {@code stream.reset}, and the wall
 * shows the case it was never told about.
 */
class StreamResetPageIT {
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @Test
    void theWallReloadsWhatItShowsWhenTheServerCannotReplayWhatItMissed() throws Exception {
        Browser browser = browsers.start(TestServer.get().baseUrl());
        LiveStreamRecorder recorder = LiveStreamRecorder.install(browser);
        DevTools devTools = ((HasDevTools) browser.driver()).getDevTools();
        devTools.createSession();
        ExecutorService answers = Executors.newSingleThreadExecutor();
        CompletableFuture<RequestPaused> held = new CompletableFuture<>();
        try {
            devTools.addListener(Fetch.requestPaused(), paused -> {
                if (!held.complete(paused)) {
                    // later requests of the stream (none expected) pass unchanged; never from the listener's thread
                    answers.submit(() -> devTools.send(Fetch.continueRequest(paused.getRequestId(), Optional.empty(),
                            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())));
                }
            });
            devTools.send(Fetch.enable(Optional.of(List.of(new RequestPattern(Optional.of("*/api/v1/events*"), Optional.empty(),
                    Optional.of(RequestStage.REQUEST)))), Optional.empty()));

            browser.open("/");
            WallPage wall = new WallPage(browser);
            wall.signIn("command");
            wall.gridsDrawn();
            RequestPaused stream = held.get(30, TimeUnit.SECONDS);
            browser.waitUntil(d -> browser.fetchedAfter("/api/v1/cases/map", 0)); // the wall's first load of its cases
            Thread.sleep(500);
            int before = ((Number) browser.js("return window.gridctlWall.cases().open")).intValue();

            // a case the wall cannot hear of: its stream is not open yet
            JsonObject made = CaseFixtures.report("command", CaseFixtures.unique("重置测试"), 113.3245, 23.0963);
            Thread.sleep(1_000);
            assertEquals(before, ((Number) browser.js("return window.gridctlWall.cases().open")).intValue(),
                    "the wall has not heard of the case");
            long beyond = lastEventId() + 1_000_000;
            List<HeaderEntry> headers = new ArrayList<>();
            for (Map.Entry<String, Object> h : stream.getRequest().getHeaders().entrySet()) {
                headers.add(new HeaderEntry(h.getKey(), String.valueOf(h.getValue())));
            }
            headers.add(new HeaderEntry("Last-Event-ID", Long.toString(beyond)));
            long released = System.currentTimeMillis();
            devTools.send(Fetch.continueRequest(stream.getRequestId(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(headers), Optional.empty()));

            browser.waitPresent("body[data-live-resets='1']", "the wall acts on stream.reset");
            browser.waitUntil(d -> ((Number) browser.js("return window.gridctlWall.cases().open")).intValue() == before + 1,
                    Duration.ofSeconds(10));
            long shown = System.currentTimeMillis();
            LiveStreamRecorder.Record seen = recorder.read();
            assertEquals(List.of(), seen.errors(), "the stream opened without an error first: no reconnect reload");
            assertEquals(1, seen.opens().size());
            assertEquals(List.of("stream.reset"), seen.messages().stream().map(LiveStreamRecorder.Message::type).toList());
            assertTrue(seen.messages().get(0).id() <= lastEventId(), "the reset carries the log's last id, not the one sent");
            assertTrue(browser.fetchedAfter("/api/v1/cases/map", seen.messages().get(0).at()), "the cases reloaded");
            assertTrue(browser.fetchedAfter("/api/v1/cases/by-grid", seen.messages().get(0).at()), "their counts reloaded");
            assertTrue(browser.fetchedAfter("/api/v1/cases/kpis", seen.messages().get(0).at()), "the KPIs reloaded");
            assertEquals("实时", browser.find(org.openqa.selenium.By.id("live-state")).getText(), "and the wall is live");
            browser.screenshot("wall-stream-reset");
            System.out.printf("stream.reset: the wall showed the case %s %d ms after its stream was let go%n",
                    made.getString("number"), shown - released);
        } finally {
            answers.shutdownNow();
            devTools.close();
        }
    }

    private static long lastEventId() throws Exception {
        return CaseFixtures.count("SELECT coalesce(max(first_id + events - 1), 0) FROM event_commit");
    }
}
