/**
 * Map tiles: Mapbox Vector Tiles built in PostGIS, cached in memory, invalidated where data changed.
 *
 * <p><b>Rendering.</b> Each {@link cn.haizhu.grid.server.tiles.TileLayer} has one query
 * ({@code <layer>.sql} beside these classes) in Martin's shape: {@code ST_AsMVT} over
 * {@code ST_AsMVTGeom(geom_3857, ST_TileEnvelope(z, x, y), 4096, 64, true)}, the rows picked by
 * {@code geom_3857 && ST_TileEnvelope(z, x, y, margin => 64/4096)} on the GiST index, a LIMIT per
 * tile, z/x/y bound as parameters of a cached prepared statement. It runs through
 * {@link cn.haizhu.grid.server.auth.ScopedPool#withSerialScope}: row-level security gives a street
 * user only their street, and parallel plans are off for the transaction (up to 9x faster on 2
 * cores, docs/DOMAIN.md). Zoom bands: outlines from z6-z10, grids with their counts from z10,
 * enterprises from z14, houses from z15; below a band the tile is 404, never a clustering of rows.
 * Houses below z17 are one point per location with the number of houses there (the rooms of a
 * building share their building's point): the same houses, at most 95 KB a z15 tile instead of 900 KB.
 * A tile of the matrix without features is 204 No Content (outside the district's bounds without a
 * query); on the OGC path, outside the tileset's tileMatrixSetLimits (the tiles meeting the bounds) it
 * is 404, as OGC API – Tiles asks.
 *
 * <p><b>Documents.</b> TileJSON 3.0 per layer (field types as TileJSON's type words, descriptions in
 * {@code field_descriptions}), and the OGC API – Tiles documents of {@link cn.haizhu.grid.server.tiles.TileSets}
 * (tileset list, tileset metadata, the WebMercatorQuad tile matrix set); URLs in them as the client
 * addresses us ({@link cn.haizhu.grid.server.http.RequestOrigin}: a trusted proxy's forwarded host and
 * scheme); a weak ETag and 304 ({@link cn.haizhu.grid.server.http.Validators}).
 *
 * <p><b>Caching.</b> {@link cn.haizhu.grid.server.tiles.TileCache}: LRU by bytes (Caffeine), keyed by
 * layer, the layer's generation, the caller's scope, z, x, y. ETag is a hash of the tile's bytes, so
 * a tile re-rendered after a change elsewhere keeps its tag; the gzip form is made once with the tile
 * and is a representation of its own, with its own strong ETag ({@code Vary: Accept-Encoding}); {@code Cache-Control: private,
 * no-cache} makes browsers revalidate, and a 304 costs one map lookup. A request's own
 * {@code Cache-Control} does not bypass the cache (a client could otherwise make the database render
 * any tile at will): the cache is kept current by the invalidation below, so a hard reload revalidates
 * by ETag like any other request. The cache's size is {@code gridctl.tiles.cacheBytes} (a system
 * property; bench/tiles sets 0 to measure rendering).
 *
 * <p><b>Invalidation.</b> Statement triggers on admin_area, grid, grid_stats, house and enterprise
 * write the boxes of what a statement changed into {@code tile_dirty} (V5__tiles.sql): one box per
 * feature for small edits, one per z14-sized cell for bulk loads; grid_stats only for grids whose
 * counts moved. {@link cn.haizhu.grid.server.tiles.TileService} reads them every 500 ms behind the
 * transaction-id fence ({@link cn.haizhu.grid.server.tiles.TileChanges}) and evicts the cached tiles
 * of that layer, at every zoom and in every scope, whose buffered extent meets a box; a round with
 * more boxes than it is worth scanning for retires the layer (its generation moves on). A render that
 * raced with an eviction is not kept. Browsers follow the same boxes at {@code GET
 * /tiles/changes?since=version} and refetch the tiles they show that meet one; each box carries the
 * street and grid of its rows (V26), and a caller hears only of boxes whose rows their scope covers
 * ({@link cn.haizhu.grid.server.tiles.TileChanges}), never of a neighbouring street's edits.
 *
 * <p>Limits: a server notices a change up to one poll (0.5 s) late; each server instance evicts on its
 * own, from the same table. Live cases are not in these tiles: they are pushed.
 */
package cn.haizhu.grid.server.tiles;
