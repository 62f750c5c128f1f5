/**
 * The three-level exchange (市、区、街) on the server's side: which node this server is
 * ({@link cn.haizhu.grid.server.sync.ThisNode}) and the one-machine federation
 * ({@link cn.haizhu.grid.server.sync.FederationCommand}). See docs/SYNC.md.
 */
package cn.haizhu.grid.server.sync;
