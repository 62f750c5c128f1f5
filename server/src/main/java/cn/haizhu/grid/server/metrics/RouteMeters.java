package cn.haizhu.grid.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The request timers of one route template: one per method and status, made on first use and kept in
 * an array, so a request after the first of its kind records without a lookup by name or a tag list
 * (the map tiles answer tens of thousands a second from the cache: no garbage per request). The
 * arrays are filled without locks: two event loops making the same timer at once both get the one
 * the registry holds, and one that misses the other's store asks the registry again.
 */
final class RouteMeters {
    private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS};
    /** Latency buckets: a cached tile answers in well under 5 ms, a long import upload or an event stream runs on past 10 s. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    private static final int STATUSES = 600;

    private final String template;
    private final MeterRegistry registry;
    private final Timer[][] byMethod = new Timer[METHODS.length + 1][];

    RouteMeters(String template, MeterRegistry registry) {
        this.template = template;
        this.registry = registry;
    }

    String template() {
        return template;
    }

    void record(HttpMethod method, int status, long nanos) {
        timer(method, status).record(nanos, TimeUnit.NANOSECONDS);
    }

    Timer timer(HttpMethod method, int status) {
        int m = methodIndex(method);
        int s = status >= 100 && status < STATUSES ? status : 0;
        Timer[] timers = byMethod[m];
        if (timers == null) {
            timers = new Timer[STATUSES];
            byMethod[m] = timers;
        }
        Timer t = timers[s];
        if (t == null) {
            t = Timer.builder(ServerMetrics.HTTP_REQUESTS)
                    .description("HTTP requests by route template (never the raw path), method and status")
                    .tags("route", template, "method", m < METHODS.length ? METHODS[m].name() : "OTHER", "status", Integer.toString(s))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
            timers[s] = t;
        }
        return t;
    }

    private static int methodIndex(HttpMethod method) {
        for (int i = 0; i < METHODS.length; i++) {
            if (METHODS[i].equals(method)) {
                return i;
            }
        }
        return METHODS.length;
    }
}
