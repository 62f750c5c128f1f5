package cn.haizhu.grid.server.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The map wall kept open in headless Chromium for a whole soak (bench/soak): signed in as the
 * command desk, the whole district in view, its case stream open. A MutationObserver counts the
 * case pulses the stream brings (each new case pulses once), so the soak can tell that events kept
 * arriving, and now and then the wall is moved (zoom in on a place, then back to the whole district)
 * as a duty officer would. One thread drives it: the soak's sampler.
 */
public final class SoakWall implements AutoCloseable {
    /** What the wall shows at one look: its stream's state, pulses counted so far, the page's JS heap, case markers drawn. */
    public record Look(String live, long pulses, long jsHeapBytes, long cases) {
    }

    private final Browser browser;
    private int moves;

    private SoakWall(Browser browser) {
        this.browser = browser;
    }

    /** Opens the wall at baseUrl, signs in, waits for the grids drawn and the case stream open. */
    public static SoakWall open(String baseUrl, String user, String password) {
        Browser browser = Browser.start(baseUrl);
        try {
            browser.open("/");
            new WallPage(browser).signIn(user, password);
            browser.waitUntil(d -> !d.findElements(By.cssSelector("body[data-grids-drawn-ms]")).isEmpty(), Duration.ofSeconds(120));
            browser.waitUntil(d -> !d.findElements(By.cssSelector("body[data-live=open]")).isEmpty(), Duration.ofSeconds(60));
            browser.js("""
                    window.__soakPulses = 0;
                    new MutationObserver(() => {
                      for (const e of document.querySelectorAll('.case-pulse[data-case-id]:not([data-soak-seen])')) {
                        e.dataset.soakSeen = '1';
                        window.__soakPulses++;
                      }
                    }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-case-id']});
                    window.__soakHome = {center: window.gridctlWall.map.getCenter(), zoom: window.gridctlWall.map.getZoom()};""");
            browser.screenshot("soak-wall-open");
            return new SoakWall(browser);
        } catch (RuntimeException e) {
            browser.close();
            throw e;
        }
    }

    public Look look() {
        @SuppressWarnings("unchecked")
        List<Object> v = (List<Object>) evaluate("""
                (() => {
                  const s = window.gridctlWall && window.gridctlWall.cases ? window.gridctlWall.cases() : null;
                  return [document.body.dataset.live || '', window.__soakPulses || 0,
                          performance.memory ? performance.memory.usedJSHeapSize : -1,
                          s && typeof s.drawn === 'number' ? s.drawn : -1];
                })()""");
        return new Look(String.valueOf(v.get(0)), ((Number) v.get(1)).longValue(), ((Number) v.get(2)).longValue(),
                ((Number) v.get(3)).longValue());
    }

    /**
     * Runs an expression in the page through the DevTools protocol and returns its value. Not
     * WebDriver's executeScript: that first waits until the driver sees no navigation pending, which
     * on a wall taking dozens of events a second can be never; the protocol asks the page directly.
     */
    private Object evaluate(String expression) {
        Map<String, Object> r = ((ChromeDriver) browser.driver()).executeCdpCommand("Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true));
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) r.get("result");
        return result == null ? null : result.get("value");
    }

    /**
     * Moves the wall: on odd calls zooms in on a place of the district (the n-th of a few street
     * centres), on even calls back to the view it opened with. Leaflet does the rest (tiles, labels).
     */
    public void move() {
        moves++;
        if (moves % 2 == 1) {
            List<double[]> places = List.of(new double[] {23.0960, 113.3170}, new double[] {23.1010, 113.2700},
                    new double[] {23.0850, 113.3500}, new double[] {23.0700, 113.2900});
            double[] p = places.get((moves / 2) % places.size());
            evaluate(String.format(java.util.Locale.ROOT, "window.gridctlWall.map.setView([%f, %f], 16)", p[0], p[1]));
        } else {
            evaluate("window.gridctlWall.map.setView(window.__soakHome.center, window.__soakHome.zoom)");
        }
    }

    /** A PNG of the wall as it is, through the DevTools protocol (see {@link #evaluate}), into the screenshots folder. */
    public void screenshot(String name) {
        Map<String, Object> r = ((ChromeDriver) browser.driver()).executeCdpCommand("Page.captureScreenshot", Map.of("format", "png"));
        try {
            java.nio.file.Files.createDirectories(Browser.SCREENSHOTS);
            java.nio.file.Files.write(Browser.SCREENSHOTS.resolve(name + ".png"), java.util.Base64.getDecoder().decode((String) r.get("data")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Ends the browser without asking it: the chromedriver this program started and everything under
     * it. For a wall that does not answer {@link #close()} in time; only this process's own children.
     */
    public static void forceQuit() {
        ProcessHandle.current().children()
                .filter(p -> p.info().command().orElse("").endsWith("chromedriver"))
                .forEach(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
    }

    /** Closes the browser; the page's Content-Security-Policy reports, if any, come back as the message. */
    @Override
    public void close() {
        browser.close();
    }
}
