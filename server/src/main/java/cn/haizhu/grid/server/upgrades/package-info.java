/**
 * Upgrades without downtime (docs/UPGRADES.md): the explicit migration step ({@code ./gridctl migrate})
 * that runs once before the instances are replaced one by one ({@code ./gridctl cluster upgrade}).
 */
package cn.haizhu.grid.server.upgrades;
