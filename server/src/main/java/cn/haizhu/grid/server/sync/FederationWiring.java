package cn.haizhu.grid.server.sync;

import java.util.List;

/**
 * Where the peers of a one-machine federation are wired together: {@link Federation#up} calls it
 * once each node's configuration file is written and before any node starts, so that every node
 * reads its upstream at its first start ({@link PeerWiring} does it; {@link #NONE} leaves the nodes
 * side by side, unwired). The nodes come in port order: city, district, street, street.
 */
@FunctionalInterface
public interface FederationWiring {
    /** Wires the nodes, not yet started; each has its code, URL, data folder and configuration file. */
    void wire(List<Federation.Node> nodes) throws java.io.IOException, InterruptedException;

    /** No wiring: the nodes run, each on its own. */
    FederationWiring NONE = nodes -> System.out.println("peers not wired: each node runs on its own");
}
