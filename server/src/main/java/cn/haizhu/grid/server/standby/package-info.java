/**
 * Reads from the hot standby: which pool the map, search, stats and OGC reads use, chosen by how
 * far the standby's replay is behind the primary (docs/CLUSTER.md, "Reads from the standby").
 */
package cn.haizhu.grid.server.standby;
