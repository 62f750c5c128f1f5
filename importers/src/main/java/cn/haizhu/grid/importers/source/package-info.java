/** The files data officers receive, each format behind one interface: {@link cn.haizhu.grid.importers.source.RecordSource}. */
package cn.haizhu.grid.importers.source;
