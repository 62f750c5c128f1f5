/** CSV files as data officers receive them: streamed, RFC 4180, BOM-aware. */
package cn.haizhu.grid.importers.source.csv;
