/** The importer's shell commands, mounted under ./gridctl. */
package cn.haizhu.grid.importers.cli;
