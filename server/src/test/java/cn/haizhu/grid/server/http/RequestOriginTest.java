package cn.haizhu.grid.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestOriginTest {
    private static final List<RequestOrigin.Cidr> PROXY = List.of(RequestOrigin.Cidr.parse("10.0.0.0/8"),
            RequestOrigin.Cidr.parse("::1"));

    @Test
    void aTrustedProxySaysWhoTheClientIsAndThatTheBrowserUsedHttps() {
        RequestOrigin o = RequestOrigin.resolve("10.1.2.3", false, "127.0.0.1:8080", "203.0.113.7, 10.9.9.9",
                "https", "grid.haizhu.gov.cn", PROXY);
        assertEquals("203.0.113.7", o.clientAddress(), "right-most hop that no trusted proxy added");
        assertTrue(o.secure());
        assertEquals("https://grid.haizhu.gov.cn", o.origin());
        assertTrue(o.isSameOrigin("https://grid.haizhu.gov.cn"));
        assertTrue(o.isSameOrigin("https://GRID.haizhu.gov.cn:443/desk/"), "a Referer: case and default port do not matter");
        assertFalse(o.isSameOrigin("http://grid.haizhu.gov.cn"), "another scheme is another origin");
    }

    @Test
    void anyoneElsesForwardedHeadersAreIgnored() {
        RequestOrigin o = RequestOrigin.resolve("198.51.100.4", false, "grid.example:8080", "1.2.3.4", "https",
                "evil.example", PROXY);
        assertEquals("198.51.100.4", o.clientAddress(), "a client may not choose its own address");
        assertFalse(o.secure());
        assertEquals("http://grid.example:8080", o.origin());
        assertFalse(o.isSameOrigin("http://evil.example"));
    }

    @Test
    void aSpoofedLeftMostHopDoesNotWinOverWhatTheProxyAppended() {
        // the client sent "X-Forwarded-For: 10.0.0.1"; nginx appended the real peer
        RequestOrigin o = RequestOrigin.resolve("10.1.2.3", false, "h", "10.0.0.1, 198.51.100.9", null, null, PROXY);
        assertEquals("198.51.100.9", o.clientAddress());
    }

    @Test
    void cidrBlocksMatchByPrefixAndNeverByName() {
        RequestOrigin.Cidr block = RequestOrigin.Cidr.parse("192.168.4.0/22");
        assertTrue(block.contains("192.168.7.255"));
        assertFalse(block.contains("192.168.8.0"));
        assertFalse(block.contains("localhost"), "a name is not an address; no DNS lookup");
        assertFalse(block.contains("999.168.4.1"));
        assertTrue(RequestOrigin.Cidr.parse("::1").contains("[::1]"));
    }

    @Test
    void noOriginIsNeverSameOrigin() {
        RequestOrigin o = RequestOrigin.resolve("127.0.0.1", false, "localhost:8080", null, null, null, List.of());
        assertFalse(o.isSameOrigin(null));
        assertFalse(o.isSameOrigin("null"), "the opaque origin of a sandboxed frame or a file");
        assertTrue(o.isSameOrigin("http://localhost:8080"));
    }
}
