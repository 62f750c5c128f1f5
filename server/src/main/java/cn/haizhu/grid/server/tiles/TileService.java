package cn.haizhu.grid.server.tiles;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.Validators;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tiles without HTTP: renders a layer's tile in PostGIS in the caller's data scope, keeps it in the
 * {@link TileCache}, and follows {@code tile_dirty} to evict what a change touched. Also holds the
 * district's bounds, which decide whether a tile is inside the tile set at all.
 *
 * <p>Each server instance keeps its own cache and its own cursor in {@code tile_dirty}, which every
 * write fills whichever instance (or import) made it: so every instance evicts what any write touched.
 * It looks when the database notifies {@code gridctl_tiles} (at the commit of a change: {@link
 * #changed}), and every {@link #POLL_MS} in any case, which also covers notifications missed while the
 * LISTEN connection was away.
 */
public final class TileService {
    private static final Logger LOG = LoggerFactory.getLogger(TileService.class);
    /** How often the server looks for changed boxes; a changed tile is stale in the cache at most this long. */
    static final long POLL_MS = 500;
    /** Enough for every tile of the district from z10 to z16 in two scopes, with room to spare. */
    static final long CACHE_BYTES = 256L << 20;

    private static final String DISTRICT_BOUNDS = SqlFile.load(TileService.class, "district_bounds");
    /** V5__tiles.sql marks && LEAKPROOF so that row-level security lets tile queries use GiST indexes. */
    private static final String OVERLAP_LEAKPROOF = SqlFile.load(TileService.class, "overlap_leakproof");

    private final Pool pool;
    private final ScopedPool scoped;
    /** Where tiles render: the standby while it is close behind (StandbyReads), else the primary. */
    private final ScopedPool renders;
    /** How old a render from {@code renders} may be: after an eviction, renders go to {@code scoped} this long. */
    private final long rendersStaleNanos;
    private final TileLayers layers;
    private final TileCache cache;
    private volatile TileCoord.Box bounds;
    private long cursor = -1;
    /** A round is running (the timer and the notifications may come on different threads). */
    private final java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean();
    /** A change was notified after the running round began: run another after it. */
    private final java.util.concurrent.atomic.AtomicBoolean again = new java.util.concurrent.atomic.AtomicBoolean();
    private long timer = -1;
    private volatile Vertx vertx;

    public TileService(Pool pool, ScopedPool scoped, TileLayers layers, TileCache cache) {
        this(pool, scoped, scoped, java.time.Duration.ZERO, layers, cache);
    }

    /**
     * Renders tiles on {@code renders}, whose data may be up to {@code staleness} old (a standby), except
     * for that long after a change evicted tiles: then on {@code scoped}, the primary, so the tile that
     * replaces an evicted one is never rendered from before the change and cached until the next one.
     */
    public TileService(Pool pool, ScopedPool scoped, ScopedPool renders, java.time.Duration staleness, TileLayers layers, TileCache cache) {
        this.pool = pool;
        this.scoped = scoped;
        this.renders = renders;
        this.rendersStaleNanos = staleness.toNanos();
        this.layers = layers;
        this.cache = cache;
    }

    /**
     * The layers of {@link TileLayers#standard()} and a cache of {@link #CACHE_BYTES}, or of the bytes
     * the system property {@code gridctl.tiles.cacheBytes} names: 0 renders every tile, which is how
     * bench/tiles measures rendering now that no request can bypass the cache.
     */
    public static TileService standard(Pool pool, ScopedPool scoped) {
        return standard(pool, scoped, scoped, java.time.Duration.ZERO);
    }

    /** The same, rendering on {@code renders} as {@link #TileService(Pool, ScopedPool, ScopedPool, java.time.Duration, TileLayers, TileCache)} says. */
    public static TileService standard(Pool pool, ScopedPool scoped, ScopedPool renders, java.time.Duration staleness) {
        return new TileService(pool, scoped, renders, staleness, TileLayers.standard(),
                new TileCache(Long.getLong("gridctl.tiles.cacheBytes", CACHE_BYTES)));
    }

    /** Loads the bounds and the change cursor, then follows changes until {@link #stop}. */
    public Future<Void> start(Vertx vertx) {
        return warnWithoutIndexes().compose(v -> loadBounds()).compose(v -> TileChanges.fence(pool)).map(fence -> {
            cursor = fence;
            this.vertx = vertx;
            timer = vertx.setPeriodic(POLL_MS, id -> poll(vertx));
            return null;
        });
    }

    /**
     * Tile data changed (a {@code gridctl_tiles} notification, on any instance's write): look now
     * rather than at the next round.
     */
    public void changed() {
        Vertx started = vertx;
        if (started == null) {
            return;   // not following changes yet: start reads from the fence of its own
        }
        again.set(true);
        poll(started);
    }

    public void stop(Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The cache, for /metrics (hits, misses, bytes). */
    public TileCache cache() {
        return cache;
    }

    public TileLayers layers() {
        return layers;
    }

    /** The district's extent in EPSG:3857, or null while there is no district (an empty database). */
    public TileCoord.Box bounds() {
        return bounds;
    }

    /** True when the tile lies (at least partly) inside the advertised bounds: the tileset's tileMatrixSetLimits. */
    public boolean inBounds(TileCoord c) {
        TileCoord.Box b = bounds;
        return b == null || TileCoord.Range.meeting(b, c.z()).contains(c);
    }

    /** The cached tile, or null; a miss costs nothing. */
    public TileCache.Tile cached(Caller caller, TileLayer layer, TileCoord c) {
        return cache.get(cache.key(layer.name(), scopeKey(caller), c));
    }

    /** Renders the tile in PostGIS under the caller's scope and caches it. */
    public Future<TileCache.Tile> render(Caller caller, TileLayer layer, TileCoord c) {
        TileCache.Key key = cache.key(layer.name(), scopeKey(caller), c);
        long stamp = cache.stamp();
        ScopedPool via = cache.evictedWithin(rendersStaleNanos) ? scoped : renders;
        return via.withSerialScope(caller, conn -> conn.preparedQuery(layer.sql()).execute(Tuple.of(c.z(), c.x(), c.y())))
                .map(rows -> {
                    Buffer mvt = rows.iterator().next().getBuffer(0);
                    byte[] bytes = mvt == null ? new byte[0] : mvt.getBytes();
                    TileCache.Tile tile = TileCache.Tile.of(bytes, etag(bytes));
                    cache.put(key, tile, stamp);
                    return tile;
                });
    }

    /** Changed boxes the caller may hear of since a cursor (GET /tiles/changes). */
    public Future<TileChanges.Batch> changes(Caller caller, long since) {
        return scoped.withScope(caller, conn -> TileChanges.readScoped(conn, since));
    }

    private static String scopeKey(Caller caller) {
        return caller.scope().kind() + ":" + caller.scope().code();
    }

    /** A strong validator from the bytes: a re-rendered tile that did not change keeps its ETag. */
    static String etag(byte[] bytes) {
        return Validators.strong(bytes);
    }

    private Future<Void> warnWithoutIndexes() {
        return pool.query(OVERLAP_LEAKPROOF).execute().map(rows -> {
            if (!rows.iterator().next().getBoolean(0)) {
                LOG.warn("map tiles read whole tables: row-level security keeps them off the spatial indexes until a "
                        + "superuser runs ALTER FUNCTION geometry_overlaps(geometry, geometry) LEAKPROOF (see V5__tiles.sql)");
            }
            return null;
        });
    }

    private Future<Void> loadBounds() {
        return pool.query(DISTRICT_BOUNDS).execute().map(rows -> {
            Row r = rows.iterator().next();
            bounds = r.getDouble("min_x") == null ? null
                    : new TileCoord.Box(r.getDouble("min_x"), r.getDouble("min_y"), r.getDouble("max_x"), r.getDouble("max_y"));
            return null;
        });
    }

    /** One round: read the boxes since the cursor, evict the tiles they touch (on a worker: it scans the cache). */
    private void poll(Vertx vertx) {
        if (!polling.compareAndSet(false, true)) {
            return;
        }
        again.set(false);   // this round reads every change committed so far
        TileChanges.readAll(pool, cursor).compose(batch -> vertx.executeBlocking(() -> {
            evict(batch);
            return batch;
        })).compose(batch -> {
            cursor = batch.next();
            boolean districtMoved = !batch.complete() || batch.changes().stream().anyMatch(ch -> ch.layer().equals("district"));
            return districtMoved ? loadBounds() : Future.<Void>succeededFuture();
        }).onComplete(done -> {
            polling.set(false);
            if (done.failed()) {
                LOG.warn("tile change poll failed (will retry): {}", done.cause().getMessage());
            } else if (again.get()) {
                poll(vertx);
            }
        });
    }

    private void evict(TileChanges.Batch batch) {
        if (!batch.complete()) {
            for (TileLayer layer : layers.all()) {
                cache.evictLayer(layer.name());
            }
            LOG.info("tile changes: more than {} boxes at once, every cached tile retired", TileChanges.MAX_ROWS);
            return;
        }
        Map<String, List<TileCoord.Box>> byLayer = new HashMap<>();
        for (TileChanges.Change ch : batch.changes()) {
            byLayer.computeIfAbsent(ch.layer(), l -> new ArrayList<>()).add(ch.box());
        }
        byLayer.forEach((layer, boxes) -> {
            int dropped = cache.evict(layer, boxes);
            LOG.debug("tile changes: {} {} box(es), {} cached tile(s) evicted", layer, boxes.size(), dropped);
        });
    }
}
