package cn.haizhu.grid.server.standby;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.metrics.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool the map, search, stats and OGC reads use: the hot standby's while its replay is at most
 * {@code maxLag} behind the primary, the primary's otherwise (and while the standby does not answer,
 * or is no standby any more). Writes, and every read of a write path, stay on the primary's pool
 * and never come here.
 *
 * <p>The lag is measured a few times a second, never per request: each check reads where the
 * primary's WAL is now ({@code pg_current_wal_lsn}), keeps that position with the time it was read,
 * then asks the standby how far it has replayed. The lag is the age of the newest kept position the
 * replay has reached: everything committed before that moment is on the standby. This is right on
 * an idle primary too, where {@code pg_last_xact_replay_timestamp()} grows old though nothing is
 * missing. A check that hangs (a standby that stopped answering without closing its sockets) counts
 * as a failed one once it has taken longer than the bound.
 *
 * <p>A read chooses its pool when its transaction starts (one volatile read). A read sent to the
 * standby in the moment between its failure and the next check fails like any read on a lost
 * connection; the next check, at most one period later, sends the reads to the primary.
 */
public final class StandbyReads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyReads.class);
    private static final String PRIMARY_WAL = SqlFile.load(StandbyReads.class, "primary_wal");
    private static final String STANDBY_REPLAY = SqlFile.load(StandbyReads.class, "standby_replay");
    /** The longest pause between checks: a quarter of the default bound of 1 s. */
    static final long MAX_PERIOD_MS = 250;

    private final Pool primary;
    private final Pool standby;
    private final long maxLagNanos;
    private final long periodMs;
    /** Enough kept positions to date a replay up to the bound back, and some more. */
    private final int keep;
    private final ScopedPool scoped = new ScopedPool(this::pick);
    /** {time (nanoTime), WAL position} of the primary, oldest first; under this object's lock. */
    private final Deque<long[]> written = new ArrayDeque<>();
    private final LongAdder servedByStandby = new LongAdder();
    private final LongAdder servedByPrimary = new LongAdder();
    private volatile boolean fresh;
    private volatile double lagSeconds = Double.NaN;
    private Vertx vertx;
    private long timer = -1;
    /** When the check in flight started (nanoTime), or -1; under this object's lock. */
    private long checkStarted = -1;

    private StandbyReads(Pool primary, Pool standby, Duration maxLag) {
        this.primary = primary;
        this.standby = standby;
        this.maxLagNanos = maxLag.toNanos();
        this.periodMs = Math.max(50, Math.min(MAX_PERIOD_MS, maxLag.toMillis() / 4));
        this.keep = (int) (maxLag.toMillis() / periodMs) + 8;
    }

    /** No standby: every read goes to the primary (one node, or a cluster without db.standby.url). */
    public static StandbyReads none(Pool primary) {
        return new StandbyReads(primary, null, Duration.ZERO);
    }

    /**
     * Reads on {@code standby} while its replay stays within {@code maxLag} of {@code primary}, checked
     * from now on. Until the first check answers, reads go to the primary. Closing this closes {@code standby}.
     */
    public static StandbyReads start(Vertx vertx, Pool primary, Pool standby, Duration maxLag) {
        StandbyReads reads = new StandbyReads(primary, standby, maxLag);
        reads.vertx = vertx;
        reads.timer = vertx.setPeriodic(1, reads.periodMs, id -> reads.check());
        return reads;
    }

    /** The read paths' scoped pool: each transaction on the standby or the primary, as the lag says. */
    public ScopedPool scoped() {
        return scoped;
    }

    /** Whether reads go to the standby now. */
    public boolean onStandby() {
        return fresh;
    }

    /**
     * How old, at most, what a read from the standby shows may be: the bound plus one check period
     * (the lag can grow for that long before a check sees it). Zero without a standby.
     */
    public Duration staleness() {
        return standby == null ? Duration.ZERO : Duration.ofNanos(maxLagNanos).plusMillis(periodMs);
    }

    /** The standby's lag and which pool served the reads, on /metrics. */
    public void meter(ServerMetrics metrics) {
        metrics.gauge(ServerMetrics.DB_STANDBY_LAG, "seconds the standby's replay is behind the primary (NaN: no standby, or it does not answer)",
                this, r -> r.lagSeconds);
        metrics.counter(ServerMetrics.DB_READS, "map, search, stats and OGC read transactions by the pool that served them",
                servedByStandby, LongAdder::sum, "pool", "standby");
        metrics.counter(ServerMetrics.DB_READS, "map, search, stats and OGC read transactions by the pool that served them",
                servedByPrimary, LongAdder::sum, "pool", "primary");
    }

    private Pool pick() {
        if (fresh) {
            servedByStandby.increment();
            return standby;
        }
        servedByPrimary.increment();
        return primary;
    }

    private void check() {
        long started = System.nanoTime();
        synchronized (this) {
            if (checkStarted >= 0) {
                if (started - checkStarted > maxLagNanos) {
                    settle(Double.NaN, "the standby check has not answered for " + (started - checkStarted) / 1_000_000 + " ms");
                }
                return;
            }
            checkStarted = started;
        }
        primary.query(PRIMARY_WAL).execute()
                .compose(rows -> {
                    long position = rows.iterator().next().getLong("written");
                    synchronized (this) {
                        written.addLast(new long[] {started, position});
                        while (written.size() > keep) {
                            written.removeFirst();
                        }
                    }
                    return standby.query(STANDBY_REPLAY).execute();
                })
                .onComplete(ar -> {
                    synchronized (this) {
                        checkStarted = -1;
                        if (ar.failed()) {
                            settle(Double.NaN, "the standby check failed: " + ar.cause().getMessage());
                            return;
                        }
                        Row row = ar.result().iterator().next();
                        if (!row.getBoolean("recovery") || row.getLong("replayed") == null) {
                            settle(Double.NaN, "the standby is not in recovery (promoted?)");
                            return;
                        }
                        long lag = lagNanos(written, row.getLong("replayed"), System.nanoTime());
                        settle(lag / 1e9, lag <= maxLagNanos ? null : "the standby's replay is " + lag / 1_000_000 + " ms behind");
                    }
                });
    }

    /** Records the lag; {@code whyNot} null sends the reads to the standby, else says why they go to the primary. */
    private void settle(double lag, String whyNot) {
        lagSeconds = lag;
        boolean now = whyNot == null;
        if (now != fresh) {
            if (now) {
                LOG.info("reads go to the standby again (replay {} ms behind)", Math.round(lag * 1000));
            } else {
                LOG.warn("reads go to the primary: {}", whyNot);
            }
        }
        fresh = now;
    }

    /**
     * The age at {@code now} of the newest kept position of the primary's WAL that {@code replayed}
     * has reached; if it reached none, the age of the oldest (the lag is at least that).
     */
    static long lagNanos(Deque<long[]> written, long replayed, long now) {
        Iterator<long[]> newestFirst = written.descendingIterator();
        while (newestFirst.hasNext()) {
            long[] sample = newestFirst.next();
            if (sample[1] <= replayed) {
                return now - sample[0];
            }
        }
        return written.isEmpty() ? Long.MAX_VALUE : now - written.peekFirst()[0];
    }

    @Override
    public void close() {
        if (vertx != null) {
            vertx.cancelTimer(timer);
        }
        fresh = false;
        if (standby != null) {
            standby.close().await();
        }
    }
}
