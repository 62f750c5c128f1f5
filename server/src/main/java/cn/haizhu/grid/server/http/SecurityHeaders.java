package cn.haizhu.grid.server.http;

import cn.haizhu.grid.data.config.GridConfig;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The headers that tell the browser what our pages may do, on every response (pages, scripts,
 * styles, webjars, the API, errors): first in the route table, so no route can forget them.
 *
 * <ul>
 *   <li>{@code Content-Security-Policy}: scripts only from this server's own files — no inline
 *   script, no event-handler attributes, no eval — so text an attacker planted in a case, a
 *   comment or an import could not run even where a page forgot to treat it as text. Styles from
 *   our files only (the pages set styles through the DOM, which the policy allows; no library we
 *   use needs style attributes in markup). Images from here, data: (icons in our CSS), blob: (the
 *   tablet's photo previews) and the configured base map's host; fetch, EventSource and the
 *   tablet's service worker only to this server. No plugins, no {@code <base>}, no framing by
 *   anyone (clickjacking), forms post only here.</li>
 *   <li>{@code X-Content-Type-Options: nosniff}: a photo, a CSV of rejected rows or a JSON answer
 *   is never taken for a page or a script, whatever bytes it holds.</li>
 *   <li>{@code Referrer-Policy: same-origin}: page addresses (a case id in the desk's URL) do not
 *   travel to another host, the base map's tile server included.</li>
 * </ul>
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
    public static final String CSP = "Content-Security-Policy";
    public static final String NOSNIFF = "X-Content-Type-Options";
    public static final String REFERRER = "Referrer-Policy";

    /** scheme://[user@]host[:port] of an http(s) URL template; the host may hold {s}-like placeholders. */
    private static final Pattern ORIGIN = Pattern.compile("^(https?)://(?:[^/?#@]*@)?([^/?#:]+)(:\\d{1,5})?(?:[/?#].*)?$");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*");

    private final String policy;

    /** baseMap: the wall's configured base map, or null when it has none. */
    public SecurityHeaders(GridConfig.BaseMap baseMap) {
        this.policy = policy(baseMap == null ? null : baseMap.url());
    }

    /** The Content-Security-Policy for a server whose wall loads base map tiles from baseMapUrl (null: none). */
    static String policy(String baseMapUrl) {
        String baseMap = imageSource(baseMapUrl);
        return String.join("; ",
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self' data: blob:" + (baseMap == null ? "" : " " + baseMap),
                "font-src 'self'",
                "connect-src 'self'",
                "worker-src 'self'",
                "manifest-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "frame-ancestors 'none'",
                "form-action 'self'");
    }

    /**
     * The CSP source for the base map's tiles: its origin, with a subdomain placeholder
     * ({@code https://t{s}.example.cn/…}) as the wildcard {@code https://*.example.cn}. null for no
     * base map or one on this server (a path). A host CSP cannot name (a placeholder elsewhere, odd
     * characters) widens to its scheme: the tiles must load, and a header is no place for text
     * from a setting that could end the directive.
     */
    static String imageSource(String url) {
        if (url == null || url.isEmpty() || url.startsWith("/")) {
            return null;
        }
        String scheme = url.startsWith("https://") ? "https" : "http";
        Matcher m = ORIGIN.matcher(url);
        if (!m.matches()) {
            return scheme + ":";
        }
        String host = m.group(2);
        String port = m.group(3) == null ? "" : m.group(3);
        int dot = host.indexOf('.');
        if (dot > 0 && host.substring(0, dot).contains("{")) {
            host = "*" + host.substring(dot);
        }
        String rest = host.startsWith("*.") ? host.substring(2) : host;
        if (!HOST.matcher(rest).matches()) {
            return scheme + ":";
        }
        return scheme + "://" + host + port;
    }

    @Override
    public void handle(RoutingContext ctx) {
        // set as the headers go out, so a handler that rebuilds its answer (a failure, a file) keeps them
        ctx.addHeadersEndHandler(v -> {
            MultiMap headers = ctx.response().headers();
            headers.set(CSP, policy);
            headers.set(NOSNIFF, "nosniff");
            headers.set(REFERRER, "same-origin");
        });
        ctx.next();
    }
}
