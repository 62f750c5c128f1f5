package cn.haizhu.grid.server.metrics;

import cn.haizhu.grid.data.db.SqlFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The numbers /metrics reads from the database: open and overdue cases per street, import jobs by
 * dataset and state and their rows. Counted every {@link #PERIOD_MS} on the owner's pool, never during
 * a scrape (a scrape reads the last counts and costs no query), with two small grouped queries.
 * A street or a dataset seen once stays in the series, at zero when it has nothing.
 */
public final class DatabaseGauges implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseGauges.class);
    static final long PERIOD_MS = 15_000;
    private static final String CASES = SqlFile.load(DatabaseGauges.class, "cases_by_street");
    private static final String IMPORTS = SqlFile.load(DatabaseGauges.class, "imports");
    private static final String[] ROW_OUTCOMES = {"inserted", "updated", "unchanged", "rejected", "warned"};

    private final Vertx vertx;
    private final Pool pool;
    private final ServerMetrics metrics;
    /** The last counts, swapped whole per query: a scrape never sees half a round (a counter must not dip). */
    private volatile Map<String, Long> cases = Map.of();
    private volatile Map<String, Long> imports = Map.of();
    /** The series registered so far (a street or a dataset seen once stays, at zero when it has nothing). */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private long timer = -1;

    private DatabaseGauges(Vertx vertx, Pool pool, ServerMetrics metrics) {
        this.vertx = vertx;
        this.pool = pool;
        this.metrics = metrics;
    }

    /** Counts once now, then every {@link #PERIOD_MS}. */
    public static DatabaseGauges start(Vertx vertx, Pool ownerPool, ServerMetrics metrics) {
        DatabaseGauges g = new DatabaseGauges(vertx, ownerPool, metrics);
        g.refresh();
        g.timer = vertx.setPeriodic(PERIOD_MS, id -> g.refresh());
        return g;
    }

    /** One round; the future ends when the counts are in (tests wait for it). */
    public Future<Void> refresh() {
        Future<Void> byStreet = pool.query(CASES).execute().map(rows -> {
            Map<String, Long> next = new HashMap<>();
            for (Row r : rows) {
                String street = r.getString("street");
                String name = r.getString("name");
                next.put("open|" + street, r.getLong("open"));
                next.put("overdue|" + street, r.getLong("overdue"));
                register("open|" + street, k -> metrics.gauge(ServerMetrics.CASES_OPEN,
                        "open cases (not closed, evaluated, rejected or returned up) of the street", this,
                        g -> g.cases.getOrDefault(k, 0L), "street", street, "name", name));
                register("overdue|" + street, k -> metrics.gauge(ServerMetrics.CASES_OVERDUE,
                        "open cases of the street past their deadline", this, g -> g.cases.getOrDefault(k, 0L),
                        "street", street, "name", name));
            }
            cases = next;
            return null;
        });
        Future<Void> jobs = pool.query(IMPORTS).execute().map(rows -> {
            Map<String, Long> next = new HashMap<>();
            for (Row r : rows) {
                String dataset = r.getString("dataset");
                String status = r.getString("status");
                next.put("jobs|" + dataset + "|" + status, r.getLong("jobs"));
                register("jobs|" + dataset + "|" + status, k -> metrics.gauge(ServerMetrics.IMPORT_JOBS,
                        "import jobs recorded, by dataset and state", this, g -> g.imports.getOrDefault(k, 0L),
                        "dataset", dataset, "status", status));
                for (String outcome : ROW_OUTCOMES) {
                    Long v = r.getLong(outcome);
                    next.merge("rows|" + dataset + "|" + outcome, v == null ? 0L : v, Long::sum);
                    register("rows|" + dataset + "|" + outcome, k -> metrics.counter(ServerMetrics.IMPORT_ROWS,
                            "rows of the import jobs that wrote, by dataset and outcome", this, g -> g.imports.getOrDefault(k, 0L),
                            "dataset", dataset, "outcome", outcome));
                }
            }
            imports = next;
            return null;
        });
        return Future.all(byStreet, jobs).<Void>mapEmpty().onFailure(e -> LOG.warn("metrics: counting cases and imports failed (will retry): {}",
                e.getMessage()));
    }

    private void register(String key, java.util.function.Consumer<String> meter) {
        if (registered.add(key)) {
            meter.accept(key);
        }
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
