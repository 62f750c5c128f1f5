package cn.haizhu.grid.server.metrics;

import io.vertx.core.VertxOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reactive database pools as gauges: connections lent out, requests waiting for one, the pool's
 * size. Vert.x reports its pools only through its metrics SPI, so this is the one part of that SPI the
 * server implements: pools of kind {@code sql}; HTTP is counted by the route table
 * ({@link RequestMetrics}), where the route template is known. Counting is two atomic adds per
 * borrowed connection; nothing is allocated.
 */
public final class DatabasePools implements VertxMetricsFactory {
    private final ServerMetrics metrics;

    public DatabasePools(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    /** The Vert.x options that turn its metrics SPI on (for this factory). */
    public static VertxOptions options() {
        return new VertxOptions().setMetricsOptions(new MetricsOptions().setEnabled(true));
    }

    @Override
    public VertxMetrics metrics(VertxOptions options) {
        return new VertxMetrics() {
            @Override
            public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
                return poolType.equals("sql") ? new Pool(poolName, maxPoolSize) : null;
            }
        };
    }

    /** One pool: the tokens Vert.x hands back are unused (null), the counts are all there is. */
    private final class Pool implements PoolMetrics<Object, Object> {
        private final AtomicInteger inUse = new AtomicInteger();
        private final AtomicInteger waiting = new AtomicInteger();

        Pool(String name, int max) {
            metrics.gauge(ServerMetrics.DB_POOL_IN_USE, "connections of the pool lent to a request or job now", inUse,
                    AtomicInteger::get, "pool", name);
            metrics.gauge(ServerMetrics.DB_POOL_WAITING, "requests waiting for a connection of the pool now", waiting,
                    AtomicInteger::get, "pool", name);
            metrics.gauge(ServerMetrics.DB_POOL_MAX, "the most connections the pool opens", max, Integer::doubleValue, "pool", name);
        }

        @Override
        public Object enqueue() {
            waiting.incrementAndGet();
            return null;
        }

        @Override
        public void dequeue(Object queued) {
            waiting.decrementAndGet();
        }

        @Override
        public Object begin() {
            inUse.incrementAndGet();
            return null;
        }

        @Override
        public void end(Object lease) {
            inUse.decrementAndGet();
        }

        @Override
        public void close() {
            // the registry goes with the server; a pool closed earlier reads as empty
            inUse.set(0);
            waiting.set(0);
        }
    }
}
