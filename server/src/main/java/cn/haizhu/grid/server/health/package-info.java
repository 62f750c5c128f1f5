/** Liveness and readiness. */
package cn.haizhu.grid.server.health;
