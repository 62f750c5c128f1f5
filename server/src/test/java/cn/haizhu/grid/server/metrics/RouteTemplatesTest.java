package cn.haizhu.grid.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.tiles.TileResource;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class RouteTemplatesTest {
    @Test
    void pathRoutesShowTheirParametersAsTemplates() {
        assertEquals("/api/v1/cases/{id}", RouteTemplates.fromPath("/api/v1/cases/:id", true));
        assertEquals("/api/v1/cases/work-orders/{origin}/{number}/actions",
                RouteTemplates.fromPath("/api/v1/cases/work-orders/:origin/:number/actions", true));
        assertEquals("/assets/*", RouteTemplates.fromPath("/assets/", false));
        assertEquals("/health/ready", RouteTemplates.fromPath("/health/ready", true));
    }

    @Test
    void regexRoutesShowTheirGroupsAsParameters() {
        assertEquals("/tiles/{layer}.json", RouteTemplates.fromRegex(TileResource.TILEJSON_PATH));
        assertEquals("/open311/v2/services/{code}.{format}",
                RouteTemplates.fromRegex("/open311/v2/services/(?<code>[A-Za-z0-9]{1,20})\\.(?<format>json|xml)"));
        assertEquals("/api/*", RouteTemplates.fromRegex("/api/(?!v1/imports$|v1/attachments$).*"));
    }

    @Test
    void aRequestOfAKnownKindRecordsWithoutGarbage() {
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        RouteMeters tiles = new RouteMeters("/tiles/{layer}/{z}/{x}/{y}.mvt", registry);
        Timer first = tiles.timer(HttpMethod.GET, 200);
        for (int i = 0; i < 20_000; i++) {
            tiles.record(HttpMethod.GET, 200, 1_000_000 + i);   // warm up: the JIT, the histogram's buckets
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            tiles.record(HttpMethod.GET, 200, 1_000_000 + i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // the hot tile path: a tag list or a name per request would be tens of bytes each, megabytes here
        assertTrue(allocated < 64 * 1024, "100,000 recordings allocated " + allocated + " bytes");
        assertEquals(first, tiles.timer(HttpMethod.GET, 200));
        assertEquals(120_000, first.count());
        registry.close();
    }
}
