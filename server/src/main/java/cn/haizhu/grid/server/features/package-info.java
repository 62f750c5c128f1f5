/**
 * OGC API – Features (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0; Part 2 CRS by reference) over the
 * district's streets, communities, grids, houses, enterprises and cases: the landing page at the
 * server's root (for a client asking JSON), {@code /conformance}, {@code /collections} and their
 * items, read in the caller's scope under row-level security like every other read. CQL2 filters
 * (Part 3) come in through {@link cn.haizhu.grid.server.features.SqlCondition}.
 */
package cn.haizhu.grid.server.features;
