package cn.haizhu.grid.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Content-Security-Policy and the base map host it lets images come from. */
class SecurityHeadersTest {
    @Test
    void thePolicyRunsOnlyOurOwnScripts() {
        String policy = SecurityHeaders.policy(null);
        for (String directive : new String[] {"default-src 'self'", "script-src 'self'", "style-src 'self'",
                "img-src 'self' data: blob:", "connect-src 'self'", "worker-src 'self'", "object-src 'none'",
                "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"}) {
            assertTrue(policy.contains(directive + ";") || policy.endsWith(directive), directive + " in " + policy);
        }
        assertFalse(policy.contains("unsafe"), policy);
    }

    @Test
    void imagesMayComeFromTheConfiguredBaseMapOnly() {
        assertNull(SecurityHeaders.imageSource(null));
        assertNull(SecurityHeaders.imageSource("/basemap/{z}/{x}/{y}.png"), "on this server: 'self'");
        assertEquals("https://tiles.example.cn", SecurityHeaders.imageSource("https://tiles.example.cn/{z}/{x}/{y}.png"));
        assertEquals("http://10.1.2.3:8081", SecurityHeaders.imageSource("http://10.1.2.3:8081/wmts/{z}/{y}/{x}"));
        assertEquals("https://*.tianditu.gov.cn", SecurityHeaders.imageSource(
                "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"));
        assertEquals("https://*.tile.example.org", SecurityHeaders.imageSource("https://{s}.tile.example.org/{z}/{x}/{y}.png"));
        assertEquals("https://tiles.example.cn", SecurityHeaders.imageSource("https://user:pw@tiles.example.cn/{z}/{x}/{y}"));
        assertTrue(SecurityHeaders.policy("https://t{s}.tianditu.gov.cn/{z}/{x}/{y}")
                .contains("img-src 'self' data: blob: https://*.tianditu.gov.cn;"));
    }

    @Test
    void aHostThePolicyCannotNameWidensToItsSchemeAndNeverEndsTheDirective() {
        assertEquals("https:", SecurityHeaders.imageSource("https://tiles.{s}.example.cn/{z}/{x}/{y}.png"));
        assertEquals("https:", SecurityHeaders.imageSource("https://x;script-src *;/{z}/{x}/{y}"));
        assertEquals("http:", SecurityHeaders.imageSource("http://[::1]:8080/{z}/{x}/{y}"));
        assertFalse(SecurityHeaders.policy("https://x;script-src *;/{z}/{x}/{y}").contains("script-src *"));
    }
}
