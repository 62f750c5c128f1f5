package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import cn.haizhu.grid.server.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The map wall as its tests drive it: signing in, waiting for the vector tiles, and pointing at a
 * place on the map with the real mouse. The map draws on canvas, so where the tests used to find
 * SVG paths they now ask the page's hook (window.gridctlWall) where a place is on screen, and read
 * the canvas pixel there.
 */
final class WallPage {
    private final Browser browser;

    WallPage(Browser browser) {
        this.browser = browser;
    }

    /** Fills and submits the login form on the current page, once its script is running. */
    void signIn(String username, String password) {
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

    void signIn(String username) {
        signIn(username, TestServer.PASSWORD);
    }

    /** Waits for the map to report its grids drawn (the first tiles are in), and returns how many. */
    int gridsDrawn() {
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
