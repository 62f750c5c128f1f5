/**
 * Exports for officers (导出): a collection's rows in the caller's scope, streamed from PostgreSQL
 * into GeoPackage, Shapefile (zipped), CSV, XLSX or GeoJSON, from the HTTP route, the pages' export
 * buttons and {@code ./gridctl export}. One reader ({@link cn.haizhu.grid.server.exports.ExportRows})
 * and one writer per format; nothing holds the set in memory.
 */
package cn.haizhu.grid.server.exports;
