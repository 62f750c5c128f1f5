package cn.haizhu.grid.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The nginx configuration cluster mode writes: every slot filled, both instances in the upstream,
 * the event stream unbuffered with a long read timeout, the forwarded headers the instances believe
 * from loopback, and the database entry on the primary it is given (failover gives it the other).
 */
class NginxConfigurationTest {
    private final Nginx nginx = new Nginx(Path.of("/srv/cluster/nginx"));

    @Test
    void everySlotIsFilledAndThePathsAreTheClustersOwn() {
        String conf = nginx.configuration(new Nginx.Ports(8080, 8081, 8082, 54361, 54359));
        Matcher left = Pattern.compile("\\{[a-z_0-9]+\\}").matcher(conf);
        assertFalse(left.find(), "a slot left unfilled: " + (left.hitEnd() ? "" : left.group()));
        for (String path : new String[] {"pid /srv/cluster/nginx/nginx.pid;", "error_log /srv/cluster/nginx/error.log",
                "client_body_temp_path /srv/cluster/nginx/temp/body;",
                "proxy_temp_path /srv/cluster/nginx/temp/proxy;"}) {
            assertTrue(conf.contains(path), path);
        }
        assertFalse(conf.contains("/var/log/nginx") || conf.contains("/etc/nginx"), "nothing of the system's nginx");
        assertTrue(conf.contains("access_log /srv/cluster/nginx/access.log gridctl;"), "the access log in its own format");
        String format = conf.substring(conf.indexOf("log_format gridctl"), conf.indexOf(';', conf.indexOf("log_format gridctl")));
        for (String leak : new String[] {"$request ", "$request_uri", "$args", "$query_string", "$http_referer"}) {
            assertFalse(format.contains(leak), "the access log never holds a query string: " + leak);
        }
    }

    @Test
    void bothInstancesBehindOneEntryAndTheStreamUnbuffered() {
        String conf = nginx.configuration(new Nginx.Ports(8080, 8081, 8082, 54361, 54359));
        assertTrue(conf.contains("listen 127.0.0.1:8080;"));
        assertTrue(conf.contains("server 127.0.0.1:8081 max_fails=1 fail_timeout=5s;"));
        assertTrue(conf.contains("server 127.0.0.1:8082 max_fails=1 fail_timeout=5s;"));
        String events = block(conf, "location = /api/v1/events {");
        assertTrue(events.contains("proxy_buffering off;"), events);
        assertTrue(events.contains("proxy_read_timeout 1h;"), events);
        for (String header : new String[] {"X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme",
                "X-Forwarded-Host $http_host"}) {
            assertTrue(conf.contains("proxy_set_header " + header + ";"), header);
        }
        assertTrue(conf.contains("proxy_next_upstream error timeout;"), "idempotent retries only: no non_idempotent");
    }

    @Test
    void theDatabaseEntryFollowsThePrimaryItIsGiven() {
        String before = block(nginx.configuration(new Nginx.Ports(8080, 8081, 8082, 54361, 54359)), "upstream gridctl_primary {");
        String after = block(nginx.configuration(new Nginx.Ports(8080, 8081, 8082, 54361, 54360)), "upstream gridctl_primary {");
        assertEquals("server 127.0.0.1:54359;", before.strip());
        assertEquals("server 127.0.0.1:54360;", after.strip());
    }

    /** The text between a block's opening line and its closing brace. */
    private static String block(String conf, String opening) {
        int start = conf.indexOf(opening);
        assertTrue(start >= 0, opening);
        int from = start + opening.length();
        return conf.substring(from, conf.indexOf('}', from));
    }
}
