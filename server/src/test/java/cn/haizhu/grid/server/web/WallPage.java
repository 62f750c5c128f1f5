package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import cn.haizhu.grid.server.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The map wall as its tests drive it: signing in, waiting for the vector tiles, and pointing at a
 * place on the map with the real mouse. The map draws on canvas, so where the tests used to find
 * SVG paths they now ask the page's hook (window.gridctlWall) where a place is on screen, and read
 * the canvas pixel there.
 */
public final class WallPage {
    private final Browser browser;

    public WallPage(Browser browser) {
        this.browser = browser;
    }

    /** Fills and submits the login form on the current page, once its script is running. */
    public void signIn(String username, String password) {
        browser.waitPresent("body[data-login-ready]",
                "the login page's script did not run: /assets/login.js must be served without a session");
        WebElement user = browser.waitVisible(By.id("username"));
        WebElement pass = browser.find(By.id("password"));
        user.clear();
        user.sendKeys(username);
        pass.clear();
        pass.sendKeys(password);
        browser.find(By.id("login-submit")).click();
    }

    public void signIn(String username) {
        signIn(username, TestServer.PASSWORD);
    }

    /**
     * Opens the wall as {@code username}, waits for its grids and for its event stream to be open,
     * and from then on records each change of its live indicator in {@code recorder}.
     */
    public static WallPage openLive(Browser browser, String username, LiveStreamRecorder recorder) {
        browser.open("/");
        WallPage wall = new WallPage(browser);
        wall.signIn(username);
        wall.gridsDrawn();
        browser.waitPresent("#live-state[data-state='open']", "the wall's stream opens");
        recorder.watch("live-state");
        return wall;
    }

    /**
     * Types q into the search box and picks the first result of the given kind: with the Enter key
     * when it is the first result (a dispatcher's hands stay on the keyboard), else with the mouse.
     */
    void search(String q, String kind) {
        WebElement box = browser.find(By.id("search"));
        box.clear();
        box.sendKeys(q);
        WebElement hit = browser.waitPresent("#search-results .search-item[data-kind=" + kind + "]",
                "the search for '" + q + "' finds a " + kind);
        if (kind.equals(browser.find(By.cssSelector("#search-results .search-item")).getAttribute("data-kind"))) {
            box.sendKeys(Keys.ENTER);
        } else {
            new Actions(browser.driver()).moveToElement(hit).click().perform();
        }
        browser.waitUntil(d -> d.findElement(By.id("search-results")).getAttribute("hidden") != null);
    }

    /** Waits for the map to report its grids drawn (the first tiles are in), and returns how many. */
    public int gridsDrawn() {
        try {
            return Integer.parseInt(browser.waitPresent("body[data-grids-drawn]").getAttribute("data-grids-drawn"));
        } catch (TimeoutException e) {
            Path shot = browser.screenshot("map-wall-failed");
            throw new AssertionError("the map did not draw its grids at " + browser.location() + "; console errors "
                    + browser.consoleErrors() + "; screenshot " + shot, e);
        }
    }

    /** The codes of the grids in the loaded tiles. */
    @SuppressWarnings("unchecked")
    List<String> drawnGridCodes() {
        return (List<String>) browser.js("return window.gridctlWall.drawnGridCodes()");
    }

    /** Where (lat, lon) is in the page, in CSS pixels: [x, y]. */
    int[] pagePoint(double lat, double lon) {
        @SuppressWarnings("unchecked")
        List<Number> p = (List<Number>) browser.js("""
                const map = window.gridctlWall.map;
                const c = map.latLngToContainerPoint([arguments[0], arguments[1]]);
                const r = map.getContainer().getBoundingClientRect();
                return [Math.round(r.left + c.x), Math.round(r.top + c.y)];""", lat, lon);
        return new int[] {p.get(0).intValue(), p.get(1).intValue()};
    }

    /**
     * The outline bounds [west, south, east, north] of all areas of a level the signed-in caller
     * sees (the areas API, asked by the page with its session): one street's at a street node, the
     * union of the districts' at a city.
     */
    @SuppressWarnings("unchecked")
    List<Double> bboxOf(String level) {
        List<Number> b = (List<Number>) browser.jsAsync("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/areas?level=' + arguments[0]).then((r) => r.json()).then((j) => done(j.items
                  .map((a) => a.bbox)
                  .reduce((u, x) => [Math.min(u[0], x[0]), Math.min(u[1], x[1]), Math.max(u[2], x[2]), Math.max(u[3], x[3])])))
                  .catch((e) => done(String(e)));""", level);
        return b.stream().map(Number::doubleValue).toList();
    }

    /**
     * How much of the map panel an area's outline bounds (bbox [west, south, east, north]) span as
     * the map shows them now: [share of the panel's width, share of its height, 1 when the whole box
     * is inside the panel else 0].
     */
    double[] span(List<Double> bbox) {
        @SuppressWarnings("unchecked")
        List<Number> s = (List<Number>) browser.js("""
                const [w, s, e, n] = arguments[0];
                const map = window.gridctlWall.map;
                const size = map.getSize();
                const sw = map.latLngToContainerPoint([s, w]);
                const ne = map.latLngToContainerPoint([n, e]);
                const inside = sw.x >= -1 && ne.x <= size.x + 1 && ne.y >= -1 && sw.y <= size.y + 1;
                return [(ne.x - sw.x) / size.x, (sw.y - ne.y) / size.y, inside ? 1 : 0];""", bbox);
        return new double[] {s.get(0).doubleValue(), s.get(1).doubleValue(), s.get(2).doubleValue()};
    }

    /**
     * The names on the map that are shown (not hidden by the declutter) and overlap another shown
     * name of the same kind ("street" or "community"), as "name ∩ name" pairs; empty when none do.
     * A name is its text's box and the glow around it (the text-shadow, about 5 px): two names whose
     * glows merge read as one.
     */
    @SuppressWarnings("unchecked")
    List<String> overlappingLabels(String kind) {
        return (List<String>) browser.js("""
                const shown = [...document.querySelectorAll('.map-label-' + arguments[0] + ' span')]
                  .filter((e) => getComputedStyle(e).visibility !== 'hidden' && e.getClientRects().length > 0)
                  .map((e) => ({ name: e.textContent, r: e.getBoundingClientRect() }))
                  .map(({ name, r }) => ({ name, r: { left: r.left - 5, right: r.right + 5, top: r.top - 5, bottom: r.bottom + 5 } }));
                const out = [];
                for (let i = 0; i < shown.length; i++) {
                  for (let j = i + 1; j < shown.length; j++) {
                    const a = shown[i].r, b = shown[j].r;
                    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
                      out.push(shown[i].name + ' ∩ ' + shown[j].name);
                    }
                  }
                }
                return out;""", kind);
    }

    /** How many names of a kind are shown on the map. */
    long shownLabels(String kind) {
        return ((Number) browser.js("""
                return [...document.querySelectorAll('.map-label-' + arguments[0] + ' span')]
                  .filter((e) => getComputedStyle(e).visibility !== 'hidden' && e.getClientRects().length > 0).length;""",
                kind)).longValue();
    }

    /**
     * Waits until the map has stopped moving: no zoom animation running, and the same view on two
     * looks a few frames apart (a flight leaves no flag behind that says it ended).
     */
    void settled() {
        String[] last = {null};
        browser.waitUntil(d -> {
            String view = (String) browser.js("""
                    const m = window.gridctlWall.map;
                    if (m._animatingZoom || (m._panAnim && m._panAnim._inProgress)) return null;
                    const c = m.getCenter();
                    return m.getZoom() + ',' + c.lat + ',' + c.lng + ',' + m.getSize();""");
            boolean same = view != null && view.equals(last[0]);
            last[0] = view;
            if (!same) {
                try {
                    Thread.sleep(120);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return same;
        });
    }

    /** True when (x, y) is on the open map: inside it and not under a panel floating over it. */
    boolean onOpenMap(int[] p) {
        return Boolean.TRUE.equals(browser.js("""
                const [x, y] = arguments;
                const map = document.getElementById('map').getBoundingClientRect();
                if (x < map.left + 70 || x > map.right - 10 || y < map.top + 10 || y > map.bottom - 10) return false;
                for (const e of document.querySelectorAll('#map-side > :not([hidden]), .leaflet-control-container .leaflet-control')) {
                  const r = e.getBoundingClientRect();
                  if (x >= r.left - 6 && x <= r.right + 6 && y >= r.top - 6 && y <= r.bottom + 6) return false;
                }
                return true;""", p[0], p[1]));
    }

    /** Clicks the real mouse at (lat, lon); the place must be on the open map. */
    void clickAt(double lat, double lon) {
        int[] p = pagePoint(lat, lon);
        if (!onOpenMap(p)) {
            throw new AssertionError("(" + lat + ", " + lon + ") is not on the open map: " + p[0] + "," + p[1]);
        }
        new Actions(browser.driver()).moveToLocation(p[0], p[1]).click().perform();
    }

    /**
     * The colour a layer's canvas has at (lat, lon), as "#rrggbb" (its own pixel, before it is laid
     * over the layers below), or null where the layer drew nothing there.
     */
    String colourAt(String layer, double lat, double lon) {
        int[] p = pagePoint(lat, lon);
        return (String) browser.js("""
                const [x, y, layer] = arguments;
                // tiles take no pointer events, so elementsFromPoint would not list them: find the one by its box
                const canvas = [...document.querySelectorAll('canvas[data-layer="' + layer + '"]')].find(c => {
                  const r = c.getBoundingClientRect();
                  return x >= r.left && x < r.right && y >= r.top && y < r.bottom && c.closest('.leaflet-tile-container').style.visibility !== 'hidden';
                });
                if (!canvas) return null;
                const r = canvas.getBoundingClientRect();
                const k = canvas.width / r.width;
                const d = canvas.getContext('2d').getImageData(Math.floor((x - r.left) * k), Math.floor((y - r.top) * k), 1, 1).data;
                if (d[3] === 0) return null;
                return '#' + [d[0], d[1], d[2]].map(v => v.toString(16).padStart(2, '0')).join('');""", p[0], p[1], layer);
    }

    /** Moves the map to (lat, lon) at zoom, at once, and waits until the layer's tiles there are in. */
    void show(double lat, double lon, double zoom, String layer) {
        browser.js("window.gridctlWall.map.setView([arguments[0], arguments[1]], arguments[2], {animate: false})", lat, lon, zoom);
        tilesIn(layer);
    }

    /** Waits until the layer's visible tiles are in. */
    void tilesIn(String layer) {
        browser.waitUntil(d -> Boolean.TRUE.equals(browser.js("""
                const l = window.gridctlWall.layers[arguments[0]];
                return !l.isLoading() && l._decoded.size > 0;""", layer)));
    }

    /** The legend row holding value v of the current metric: its swatch colour. */
    String legendColourFor(double v) {
        String colour = (String) browser.js("""
                const rows = [...document.querySelectorAll('#legend .legend-row')];
                for (let i = 0; i < rows.length; i++) {
                  const from = Number(rows[i].dataset.from), to = Number(rows[i].dataset.to);
                  const last = i === rows.length - 1;
                  if (arguments[0] >= from && (arguments[0] < to || (last && arguments[0] <= to))) return rows[i].dataset.colour;
                }
                return null;""", v);
        assertNotNull(colour, "a legend class holds " + v);
        return colour;
    }
}
