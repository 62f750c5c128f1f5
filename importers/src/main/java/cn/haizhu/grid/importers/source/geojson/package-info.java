/** GeoJSON (RFC 7946) feature collections. */
package cn.haizhu.grid.importers.source.geojson;
