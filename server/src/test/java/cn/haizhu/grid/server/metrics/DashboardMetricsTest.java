package cn.haizhu.grid.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/ops/grafana-dashboard.json asks only for what the server exports: every metric name in its
 * queries is in a scrape of a registry holding every kind of meter the server makes (MetricsIT checks
 * the same against the running server).
 */
class DashboardMetricsTest {
    /** What PromQL calls that are no metric names: functions, aggregations, keywords. */
    private static final Set<String> PROMQL = Set.of("sum", "by", "rate", "increase", "histogram_quantile", "without", "on", "max",
            "min", "avg", "count", "irate", "le", "and", "or", "unless");
    private static final Pattern NAME = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\b(?=\\s*[{\\[(]?)");

    static Path dashboard() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs/ops"))) {
            dir = dir.getParent();
        }
        return dir.resolve("docs/ops/grafana-dashboard.json");
    }

    /** The metric names the dashboard's queries read (label names and values inside {…} and "…" left out). */
    static Set<String> namesIn(JsonObject dashboard) {
        Set<String> names = new TreeSet<>();
        for (Object p : dashboard.getJsonArray("panels")) {
            JsonArray targets = ((JsonObject) p).getJsonArray("targets", new JsonArray());
            for (Object t : targets) {
                String expr = ((JsonObject) t).getString("expr")
                        .replaceAll("\\{[^}]*}", "")       // label matchers
                        .replaceAll("\\[[^]]*]", "")       // ranges
                        .replaceAll("by \\([^)]*\\)", ""); // grouping labels
                Matcher m = NAME.matcher(expr);
                while (m.find()) {
                    if (!PROMQL.contains(m.group(1))) {
                        names.add(m.group(1));
                    }
                }
            }
        }
        return names;
    }

    /** Series names in a Prometheus text scrape. */
    static Set<String> exported(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    @Test
    void theDashboardReadsOnlyWhatTheServerExports() throws Exception {
        JsonObject dashboard = new JsonObject(Files.readString(dashboard()));
        Set<String> wanted = namesIn(dashboard);
        assertTrue(wanted.size() >= 12, "the dashboard reads " + wanted);
        try (ServerMetrics m = new ServerMetrics()) {
            // one meter of each kind the server makes, as CommandCenter, DatabasePools and DatabaseGauges make them
            new RouteMeters("/x", m.registry()).record(HttpMethod.GET, 200, 1_000);
            new DatabasePools(m).metrics(null).createPoolMetrics("sql", "gridctl-requests", 16);
            AtomicLong n = new AtomicLong(1);
            for (String counter : new String[] {ServerMetrics.TILE_CACHE_REQUESTS, ServerMetrics.CASES_INTAKE, ServerMetrics.IMPORT_ROWS}) {
                m.counter(counter, "test", n, AtomicLong::get);
            }
            for (String gauge : new String[] {ServerMetrics.TILE_CACHE_BYTES, ServerMetrics.TILE_CACHE_TILES, ServerMetrics.IMPORT_JOBS,
                    ServerMetrics.CASES_OPEN, ServerMetrics.CASES_OVERDUE, ServerMetrics.EVENT_STREAMS}) {
                m.gauge(gauge, "test", n, AtomicLong::get);
            }
            Set<String> have = exported(m.scrape());
            Set<String> missing = new TreeSet<>(wanted);
            missing.removeAll(have);
            assertEquals(Set.of(), missing, "the dashboard asks for series the server does not export");
        }
    }

    @Test
    void theCheckSeesANameTheServerDoesNotExport() {
        // the test's own parser, seen to fail: a dashboard naming an unknown series is caught
        JsonObject d = new JsonObject().put("panels", new JsonArray().add(new JsonObject().put("targets", new JsonArray()
                .add(new JsonObject().put("expr", "sum by (route) (rate(gridctl_no_such_thing_total{job=\"$job\"}[5m]))")))));
        assertEquals(Set.of("gridctl_no_such_thing_total"), namesIn(d));
        assertFalse(exported("# HELP x\nfoo_total{a=\"b\"} 1\n").contains("gridctl_no_such_thing_total"));
    }
}
