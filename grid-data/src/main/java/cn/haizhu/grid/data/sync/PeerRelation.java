package cn.haizhu.grid.data.sync;

import java.util.Optional;

/**
 * How a peer stands to this node: directly above it ({@link Direction#UP}, the node it reports to)
 * or directly below it ({@link Direction#DOWN}), and the scope the peer may read and write here. A
 * street talks to its district; a district to its city and its streets; a city to its districts.
 * Any other pair of codes is no peer.
 */
public record PeerRelation(String peerCode, NodeLevel peerLevel, Direction direction, SyncScope scope) {
    public enum Direction {
        UP, DOWN;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The relation of {@code peerCode} to the node {@code nodeCode}, or empty when the two are not neighbours. */
    public static Optional<PeerRelation> between(String nodeCode, String peerCode) {
        Optional<NodeLevel> node = NodeLevel.ofCode(nodeCode);
        Optional<NodeLevel> peer = NodeLevel.ofCode(peerCode);
        if (node.isEmpty() || peer.isEmpty()) {
            return Optional.empty();
        }
        if (node.get().upstreamCode(nodeCode).filter(peerCode::equals).isPresent()) {
            return Optional.of(new PeerRelation(peerCode, peer.get(), Direction.UP, wholeScope(nodeCode, node.get())));
        }
        if (peer.get().upstreamCode(peerCode).filter(nodeCode::equals).isPresent()) {
            return Optional.of(new PeerRelation(peerCode, peer.get(), Direction.DOWN, wholeScope(peerCode, peer.get())));
        }
        return Optional.empty();
    }

    /** Everything a node of this code and level holds: its street, or its district. */
    private static SyncScope wholeScope(String code, NodeLevel level) {
        return new SyncScope(level == NodeLevel.STREET ? "street" : "district", code);
    }
}
