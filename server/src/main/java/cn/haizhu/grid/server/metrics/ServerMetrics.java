package cn.haizhu.grid.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one running server, in one Prometheus registry (never Micrometer's global one: the
 * tests run several servers in one JVM, and each must show its own). The names are the contract with
 * docs/ops/grafana-dashboard.json ({@code DashboardMetricsTest} holds it): change one, change both.
 */
public final class ServerMetrics implements AutoCloseable {
    /** Metric names (Micrometer's dotted form; Prometheus shows dots as underscores, counters with _total). */
    public static final String HTTP_REQUESTS = "gridctl.http.requests";
    public static final String TILE_CACHE_REQUESTS = "gridctl.tiles.cache.requests";
    public static final String TILE_CACHE_BYTES = "gridctl.tiles.cache.bytes";
    public static final String TILE_CACHE_TILES = "gridctl.tiles.cache.tiles";
    public static final String DB_POOL_IN_USE = "gridctl.db.pool.in.use";
    public static final String DB_POOL_WAITING = "gridctl.db.pool.waiting";
    public static final String DB_POOL_MAX = "gridctl.db.pool.max";
    public static final String IMPORT_JOBS = "gridctl.imports.jobs";
    public static final String IMPORT_ROWS = "gridctl.imports.rows";
    public static final String CASES_INTAKE = "gridctl.cases.intake";
    public static final String CASES_OPEN = "gridctl.cases.open";
    public static final String CASES_OVERDUE = "gridctl.cases.overdue";
    public static final String EVENT_STREAMS = "gridctl.events.streams.open";
    public static final String DB_STANDBY_LAG = "gridctl.db.standby.lag.seconds";
    public static final String DB_READS = "gridctl.db.reads";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** GC overhead from the first scrape on (the GC pause timers appear only after a collection). */
    private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();

    public ServerMetrics() {
        // JVM basics: heap and non-heap, collections, threads, classes, CPU, uptime
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        heapPressure.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Everything, in the Prometheus text format 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    /** A count a feature keeps (a LongAdder, an AtomicLong …), read at each scrape: it only grows. */
    public <T> void counter(String name, String help, T owner, ToDoubleFunction<T> count, String... tags) {
        FunctionCounter.builder(name, owner, count).description(help).tags(tags).register(registry);
    }

    /** A level a feature keeps (open streams, cached bytes), read at each scrape. */
    public <T> void gauge(String name, String help, T owner, ToDoubleFunction<T> value, String... tags) {
        Gauge.builder(name, owner, value).description(help).tags(tags).strongReference(true).register(registry);
    }

    @Override
    public void close() {
        gc.close();
        heapPressure.close();
        registry.close();
    }
}
