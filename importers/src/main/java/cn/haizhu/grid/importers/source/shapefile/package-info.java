/**
 * ESRI shapefiles (.shp/.shx/.dbf with optional .prj/.cpg, loose or zipped), read without GeoTools:
 * a streaming .shp reader, javadbf for attributes, and a documented rule for the .dbf encoding.
 */
package cn.haizhu.grid.importers.source.shapefile;
