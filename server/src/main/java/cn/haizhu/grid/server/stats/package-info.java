/** Counts for the command center: district totals and per street. */
package cn.haizhu.grid.server.stats;
