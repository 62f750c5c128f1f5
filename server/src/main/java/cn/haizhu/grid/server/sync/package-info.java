/**
 * The three-level exchange between city, district and street platforms (docs/SYNC.md): peers and
 * their keys ({@link SyncPeers}, {@code ./gridctl sync}), the change feed this node serves
 * ({@link ChangeFeed}, {@link SyncResource}), the pullers that apply its peers' feeds
 * ({@link SyncNode}, {@link PeerPuller}, {@link ChangeApply}) and the conflicts kept for the owner's
 * officers ({@link SyncConflicts}); which node this server is ({@link ThisNode}); the one-machine
 * federation ({@link FederationCommand}).
 */
package cn.haizhu.grid.server.sync;
