package cn.haizhu.grid.server.tiles;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * Rendered tiles in memory, least recently used out first, bounded by bytes.
 *
 * <p>Keyed by layer, the layer's generation, the caller's data scope (a street user's tiles differ
 * from the district's), z, x, y. A change evicts only the tiles whose buffered extent meets one of
 * the changed boxes ({@link #evict}); the generation moves only when a change is too wide to do that
 * tile by tile ({@link #evictLayer}), which retires every entry of the layer at once.
 *
 * <p>A render that started before an eviction may finish after it with data from before the
 * change. {@link #stamp()} before the query and {@link #put} after it close that gap: put stores,
 * then drops its own entry again if any eviction ran in between (check after the store, so an
 * eviction racing with the store is seen by one side or the other).
 */
public final class TileCache {
    /** ST_AsMVTGeom's buffer (64 of 4096): a feature that close to a tile is drawn in it. */
    static final double BUFFER = 64.0 / 4096;
    /** More boxes than this in one layer and one round: retire the whole layer instead of scanning. */
    static final int MAX_BOXES_PER_ROUND = 256;

    public record Key(String layer, long generation, String scope, int z, int x, int y) {
    }

    /**
     * A tile as it is sent: the body wraps the bytes once (no copy), and each response takes a slice of
     * it, so serving a cached tile allocates nothing per request (Buffer.buffer(byte[]) copied the
     * whole tile on every hit, and at tens of thousands of hits a second the young collections that
     * garbage caused were the cached tiles' latency tail). The gzip form is made once, with the tile,
     * instead of by the server's compressor on every response; it is a representation of its own and
     * has its own strong ETag ({@link #gzipEtag}), as RFC 9110 asks of validators of differently
     * encoded bodies. An empty tile has neither: it is sent as 204 No Content.
     */
    public record Tile(Buffer body, String etag, Buffer gzipped) {
        public static Tile of(byte[] bytes, String etag) {
            return new Tile(wrap(bytes), etag, bytes.length == 0 ? wrap(bytes) : wrap(gzip(bytes)));
        }

        public boolean empty() {
            return body.length() == 0;
        }

        /** The strong ETag of the gzip form: the identity tag with "-gz" inside the quotes. */
        public String gzipEtag() {
            return etag.substring(0, etag.length() - 1) + "-gz\"";
        }

        private static Buffer wrap(byte[] bytes) {
            return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes)));
        }

        private static byte[] gzip(byte[] bytes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    /** Hits and misses of one layer, counted for /metrics (LongAdder: no contention between event loops). */
    public static final class Lookups {
        public final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
        public final java.util.concurrent.atomic.LongAdder misses = new java.util.concurrent.atomic.LongAdder();
    }

    private final Cache<Key, Tile> tiles;
    private final Map<String, Lookups> lookups = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();
    /** When the last eviction ran (nanoTime); see {@link #evictedWithin}. */
    private volatile long lastEviction = System.nanoTime() - Long.MAX_VALUE / 2;

    public TileCache(long maxBytes) {
        this.tiles = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                // the bytes plus a rough allowance for key, entry and array headers
                .weigher((Key k, Tile t) -> t.body().length() + t.gzipped().length() + 200)
                .build();
    }

    public Key key(String layer, String scope, TileCoord c) {
        return new Key(layer, generation(layer).get(), scope, c.z(), c.x(), c.y());
    }

    public Tile get(Key key) {
        Tile tile = tiles.getIfPresent(key);
        Lookups counts = lookups(key.layer());
        (tile != null ? counts.hits : counts.misses).increment();
        return tile;
    }

    /** The layer's hits and misses so far (made on the layer's first lookup; the map read allocates nothing after). */
    public Lookups lookups(String layer) {
        Lookups counts = lookups.get(layer);
        return counts != null ? counts : lookups.computeIfAbsent(layer, l -> new Lookups());
    }

    /** Taken before a render; hand it to {@link #put}. */
    public long stamp() {
        return evictions.get();
    }

    /**
     * Whether an eviction ran less than {@code nanos} ago: a render from a standby that far behind
     * could then show the data from before the change, and stay cached until the next one.
     */
    public boolean evictedWithin(long nanos) {
        return nanos > 0 && System.nanoTime() - lastEviction < nanos;
    }

    public void put(Key key, Tile tile, long stamp) {
        tiles.put(key, tile);
        if (evictions.get() != stamp) {
            tiles.invalidate(key);
        }
    }

    /** Drops the layer's cached tiles (every scope, every zoom) that meet any of the boxes. */
    public int evict(String layer, List<TileCoord.Box> boxes) {
        evictions.incrementAndGet();
        lastEviction = System.nanoTime();
        if (boxes.size() > MAX_BOXES_PER_ROUND) {
            evictLayer(layer);
            return -1;
        }
        int[] dropped = {0};
        tiles.asMap().keySet().removeIf(k -> {
            if (!k.layer().equals(layer)) {
                return false;
            }
            TileCoord c = new TileCoord(k.z(), k.x(), k.y());
            for (TileCoord.Box b : boxes) {
                if (c.meets(b, BUFFER)) {
                    dropped[0]++;
                    return true;
                }
            }
            return false;
        });
        return dropped[0];
    }

    /** Retires every cached tile of the layer: its generation moves on, old entries age out unread. */
    public void evictLayer(String layer) {
        evictions.incrementAndGet();
        lastEviction = System.nanoTime();
        generation(layer).incrementAndGet();
        tiles.asMap().keySet().removeIf(k -> k.layer().equals(layer));
    }

    public long size() {
        return tiles.estimatedSize();
    }

    /** The bytes the cached tiles take, as the weigher counts them (the bound is on this). */
    public long bytes() {
        return tiles.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    private AtomicLong generation(String layer) {
        return generations.computeIfAbsent(layer, l -> new AtomicLong());
    }
}
