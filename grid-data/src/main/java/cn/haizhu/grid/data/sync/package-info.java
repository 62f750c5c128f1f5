/**
 * The three-level exchange between city, district and street platforms: each node's level and
 * peers, and the rules of what flows and who owns it (docs/SYNC.md).
 */
package cn.haizhu.grid.data.sync;
