package cn.haizhu.grid.server.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where a request came from and how its browser addressed us: the client's address, whether the
 * browser used https, and the origin ({@code scheme://host[:port]}) it sees us at.
 *
 * <p>Behind a TLS-terminating proxy (nginx for tablets), the socket shows the proxy, plain http.
 * The proxy's {@code X-Forwarded-For}, {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are
 * believed only when the socket's peer is one of the configured {@code http.trusted.proxies}; from
 * anyone else they are ignored, or a client could claim any address (and escape the per-address
 * sign-in limit) or any origin (and pass the CSRF check).
 *
 * @param clientAddress the client's IP address as text
 * @param secure        whether the browser's connection is https
 * @param origin        {@code scheme://host[:port]} as the browser addresses this server
 */
public record RequestOrigin(String clientAddress, boolean secure, String origin) {
    private static final String KEY = "gridctl.origin";

    /** The handler that works it out once per request, first in the route table. */
    public static Handler<RoutingContext> resolver(List<String> trustedProxies) {
        List<Cidr> trusted = trustedProxies.stream().map(Cidr::parse).toList();
        return ctx -> {
            ctx.put(KEY, of(ctx.request(), trusted));
            ctx.next();
        };
    }

    public static RequestOrigin of(RoutingContext ctx) {
        RequestOrigin o = ctx.get(KEY);
        if (o == null) {
            throw new IllegalStateException("route is not behind RequestOrigin.resolver: " + ctx.request().path());
        }
        return o;
    }

    static RequestOrigin of(HttpServerRequest req, List<Cidr> trusted) {
        return resolve(req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress(), req.isSSL(),
                req.authority() == null ? null : req.authority().toString(), req.getHeader("X-Forwarded-For"),
                req.getHeader("X-Forwarded-Proto"), req.getHeader("X-Forwarded-Host"), trusted);
    }

    /** The rule, apart from Vert.x: what the socket says, corrected by the forwarded headers of a trusted proxy only. */
    static RequestOrigin resolve(String peer, boolean ssl, String authority, String forwardedFor, String forwardedProto,
                                 String forwardedHost, List<Cidr> trusted) {
        boolean secure = ssl;
        String host = authority;
        String client = peer;
        if (isTrusted(peer, trusted)) {
            // X-Forwarded-For: client, proxy1, proxy2 — the right-most address no trusted proxy added is the client.
            if (forwardedFor != null) {
                String[] hops = forwardedFor.split(",");
                for (int i = hops.length - 1; i >= 0; i--) {
                    String hop = hops[i].trim();
                    if (hop.isEmpty()) {
                        continue;
                    }
                    client = hop;
                    if (!isTrusted(hop, trusted)) {
                        break;
                    }
                }
            }
            String proto = first(forwardedProto);
            if (proto != null) {
                secure = proto.equalsIgnoreCase("https");
            }
            String xfHost = first(forwardedHost);
            if (xfHost != null) {
                host = xfHost;
            }
        }
        String origin = host == null ? null : (secure ? "https://" : "http://") + normaliseHost(host, secure);
        return new RequestOrigin(client, secure, origin);
    }

    /** Whether {@code headerOrigin} (an Origin header, or the origin of a Referer) is this server as its browser sees it. */
    public boolean isSameOrigin(String headerOrigin) {
        if (headerOrigin == null || origin == null) {
            return false;
        }
        String scheme = headerOrigin.startsWith("https://") ? "https://" : headerOrigin.startsWith("http://") ? "http://" : null;
        if (scheme == null) {
            return false;
        }
        String rest = headerOrigin.substring(scheme.length());
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            rest = rest.substring(0, slash);
        }
        return origin.equals(scheme + normaliseHost(rest, scheme.equals("https://")));
    }

    /** Lower-case host, default port dropped ({@code Example.org:443} over https → {@code example.org}). */
    static String normaliseHost(String hostAndPort, boolean secure) {
        String h = hostAndPort.trim().toLowerCase(Locale.ROOT);
        String defaultPort = secure ? ":443" : ":80";
        return h.endsWith(defaultPort) ? h.substring(0, h.length() - defaultPort.length()) : h;
    }

    private static String first(String header) {
        if (header == null) {
            return null;
        }
        String v = header.split(",")[0].trim();
        return v.isEmpty() ? null : v;
    }

    private static boolean isTrusted(String address, List<Cidr> trusted) {
        for (Cidr c : trusted) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An address block such as 10.0.0.0/8 or a single address. */
    record Cidr(byte[] network, int bits) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            byte[] addr = literal(slash < 0 ? text : text.substring(0, slash));
            if (addr == null) {
                throw new IllegalArgumentException("not an IP address: " + text);
            }
            int bits = slash < 0 ? addr.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (bits < 0 || bits > addr.length * 8) {
                throw new IllegalArgumentException("bad prefix length: " + text);
            }
            return new Cidr(addr, bits);
        }

        boolean contains(String address) {
            byte[] a = literal(address);
            if (a == null || a.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /** An IP literal's bytes, or null; never a DNS lookup (a header must not make us resolve names). */
        private static byte[] literal(String text) {
            String t = text.trim();
            if (t.startsWith("[") && t.endsWith("]")) {
                t = t.substring(1, t.length() - 1);
            }
            if (t.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
                byte[] v4 = new byte[4];
                String[] parts = t.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        return null;
                    }
                    v4[i] = (byte) octet;
                }
                return v4;
            }
            if (!(t.contains(":") && t.matches("[0-9A-Fa-f:.]+"))) {
                return null;
            }
            try {
                // with a colon, InetAddress parses an IPv6 literal and never asks DNS
                return InetAddress.getByName(t).getAddress();
            } catch (UnknownHostException | SecurityException e) {
                return null;
            }
        }
    }
}
