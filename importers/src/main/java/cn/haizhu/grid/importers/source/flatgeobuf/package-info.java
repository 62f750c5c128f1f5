/** FlatGeobuf files, streamed feature by feature with the org.wololo flatgeobuf classes. */
package cn.haizhu.grid.importers.source.flatgeobuf;
