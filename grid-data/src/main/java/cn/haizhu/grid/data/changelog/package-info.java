/** The change log (outbox) written with every record change, and its commit-safe reader. */
package cn.haizhu.grid.data.changelog;
