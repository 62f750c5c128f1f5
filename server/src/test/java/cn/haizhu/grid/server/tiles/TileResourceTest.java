package cn.haizhu.grid.server.tiles;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TileResourceTest {
    @Test
    void gzipIsSentWhereAcceptEncodingAllowsIt() {
        assertTrue(TileResource.acceptsGzip("gzip"));
        assertTrue(TileResource.acceptsGzip("gzip, deflate, br"));
        assertTrue(TileResource.acceptsGzip("br;q=1.0, GZIP;q=0.5"));
        assertTrue(TileResource.acceptsGzip("x-gzip"));
        assertTrue(TileResource.acceptsGzip("*"), "any coding");
        assertFalse(TileResource.acceptsGzip(null));
        assertFalse(TileResource.acceptsGzip(""));
        assertFalse(TileResource.acceptsGzip("identity"));
        assertFalse(TileResource.acceptsGzip("deflate, br"));
        assertFalse(TileResource.acceptsGzip("gzip;q=0"));
        assertFalse(TileResource.acceptsGzip("gzip;q=0.000, *"), "named with q=0 beats the star");
        assertFalse(TileResource.acceptsGzip("*;q=0"));
        assertTrue(TileResource.acceptsGzip("gzip;q=0.001"));
    }
}
