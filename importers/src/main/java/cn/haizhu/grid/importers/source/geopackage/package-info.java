/** OGC GeoPackage feature tables, streamed through the NGA GeoPackage library. */
package cn.haizhu.grid.importers.source.geopackage;
