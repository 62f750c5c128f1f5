/**
 * The server's log lines, through SLF4J and slf4j-simple as everywhere in the project: as text (the
 * default, the lines people read) or, with {@code log.format = json}, one JSON object a line for a
 * log collector, with one access line per request ({@link AccessLog}). {@link GridLogProvider} is
 * slf4j-simple's provider with a logger that can write either; the levels stay slf4j-simple's
 * ({@code simplelogger.properties}).
 */
package cn.haizhu.grid.server.logs;
