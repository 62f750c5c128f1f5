package cn.haizhu.grid.server.tiles;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** After a change evicted tiles, renders stay off a standby for its staleness bound (docs/CLUSTER.md). */
class TileCacheStalenessTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aRecentEvictionIsSeenForTheBound() throws InterruptedException {
        TileCache cache = new TileCache(1 << 20);
        assertFalse(cache.evictedWithin(SECOND), "nothing evicted yet");
        cache.evict("grids", List.of(new TileCoord.Box(0, 0, 1, 1)));
        assertTrue(cache.evictedWithin(SECOND));
        assertFalse(cache.evictedWithin(0), "without a standby, renders never move");
        Thread.sleep(30);
        assertFalse(cache.evictedWithin(10_000_000L), "older than the bound");
        cache.evictLayer("grids");
        assertTrue(cache.evictedWithin(SECOND), "a whole layer retired counts too");
    }
}
