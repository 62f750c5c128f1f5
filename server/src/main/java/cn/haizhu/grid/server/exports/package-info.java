/**
 * Exports for officers (导出): a collection's rows in the caller's scope, streamed from PostgreSQL
 * into GeoPackage, Shapefile (zipped), CSV, XLSX or GeoJSON, from the HTTP route, the pages' export
 * buttons and {@code ./gridctl export}. One reader ({@link cn.haizhu.grid.server.exports.ExportRows})
 * and one writer per format; nothing holds the set in memory.
 *
 * <p>What an export holds: the whole scope, one street, or what a CQL2 filter selects
 * ({@link cn.haizhu.grid.server.exports.ExportFilter}: features/filter's translator over the
 * collection's queryables, on the alias of its {@code export_*.sql}); persons (实有人口, no feature
 * collection) in the view people/Disclosure grants and people/PersonView draws, masked by default.
 * Every export writes one entry to the personal-data audit before its first row
 * ({@link cn.haizhu.grid.server.exports.ExportAudit}).
 *
 * <p>When the bytes leave: CSV and GeoJSON are written front to back, so the file's head leaves as soon
 * as the query has sent its first rows and each row follows as it is read (an HTTP download starts at
 * once, the headers with the first bytes). The other formats cannot: a GeoPackage is an SQLite
 * database, whose pages, R-tree and metadata tables are rewritten until the last row, so it is built in
 * a scratch file and then copied out; a Shapefile's .shp, .shx and .dbf headers hold the record count,
 * lengths and extent, known only after the last row, and the three files are then zipped, which needs
 * each whole; an XLSX is a zip whose sheet POI's streaming writer keeps in compressed scratch files
 * until the workbook is written. Their memory stays bounded all the same (a cursor's fetch and a few
 * batches), which keeps a district-wide export within a 512 MB heap (docs/BENCHMARKS.md).
 */
package cn.haizhu.grid.server.exports;
