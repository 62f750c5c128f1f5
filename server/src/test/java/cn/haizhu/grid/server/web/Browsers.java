package cn.haizhu.grid.server.web;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The browsers one test opens, each closed when the test ends, passed or failed: a page test
 * registers it ({@code @RegisterExtension final Browsers browsers = new Browsers();}) and starts
 * its browsers through it, so no test leaves a Chromium behind.
 */
public final class Browsers implements AfterEachCallback {
    private final List<Browser> open = new ArrayList<>();

    /** Starts a headless Chromium for the server at {@code baseUrl} (see {@link Browser#start}). */
    public Browser start(String baseUrl) {
        Browser browser = Browser.start(baseUrl);
        open.add(browser);
        return browser;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Browser browser : open) {
            browser.close();
        }
        open.clear();
    }
}
