package cn.haizhu.grid.data.sync;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Records travel between nodes only over TLS: a peer's URL is {@code https://}, or {@code http://}
 * on this machine's loopback (tests, the one-machine federation). Anything else is refused before a
 * byte is sent.
 */
public final class PeerUrls {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private PeerUrls() {
    }

    /** {@code url} without trailing slashes, or IllegalArgumentException saying why it is refused. */
    public static String check(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: '" + url + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("a peer URL is https://host[:port], got '" + url + "'");
        }
        if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("a peer URL names a host, a port and a path only, got '" + url + "'");
        }
        if (scheme.equals("http") && !LOOPBACK.contains(host)) {
            throw new IllegalArgumentException("records travel only over TLS: use https:// (plain http:// only on loopback), got '"
                    + url + "'");
        }
        return url.trim().replaceAll("/+$", "");
    }
}
