package cn.haizhu.grid.server.sync;

import java.util.List;

/**
 * Where the peers of a one-machine federation are wired together, once all four nodes answer: the
 * upstream of each node issues it a key ({@code ./gridctl sync peer add CODE --url URL}, run with the
 * upstream's configuration file) and the node gets {@code sync.upstream.url} and
 * {@code sync.upstream.key} in its own configuration file ({@link Federation.Node#configFile()}),
 * then is restarted to read them: the streets 440105001 and 440105002 to the district 440105, the
 * district to the city 440100. The nodes come in port order: city, district, street, street.
 *
 * <p>The peer commands are built beside this hook (docs/SYNC.md, "Peers and credentials"); until
 * they are, {@link #NONE} leaves the nodes running side by side, unwired.
 */
@FunctionalInterface
public interface FederationWiring {
    /** Wires the running nodes; each has its code, URL, data folder and configuration file. */
    void wire(List<Federation.Node> nodes) throws java.io.IOException, InterruptedException;

    /** No wiring yet: the nodes run, each on its own. */
    FederationWiring NONE = nodes -> System.out.println(
            "peers are not wired yet: each node runs on its own (see FederationWiring)");
}
