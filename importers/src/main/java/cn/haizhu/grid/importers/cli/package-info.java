/**
 * The importers' own command line: the entry point of {@code gridctl-importers.jar} ({@link
 * cn.haizhu.grid.importers.cli.Main}) and {@code ./gridctl import}; it runs without the server.
 */
package cn.haizhu.grid.importers.cli;
