package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.sync.NodeLevel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The "1+18" links of a one-machine federation, as an operator makes them by hand (docs/SYNC.md,
 * "Peers and credentials"): for each node whose upstream is in the federation, the upstream issues
 * it a key through the service behind {@code ./gridctl sync peer add CODE --url URL}, run on the
 * upstream's database, and the node's configuration file gets {@code sync.upstream.url} and
 * {@code sync.upstream.key}. The streets thus pull the district, the district the city; each
 * registers at its first pull the key its upstream reads it back with.
 *
 * <p>It runs before the nodes start ({@link Federation#up}), again at every {@code up}: a peer that
 * exists from an earlier run gets its URL (the ports may have moved) and a fresh key, its old ones
 * retired ({@link SyncPeers#issue}).
 */
public final class PeerWiring implements FederationWiring {
    private final Path projectDir;
    private final BiFunction<Federation.Node, Federation.Node, String> route;

    /** Wires the federation of the project at {@code projectDir} (its nodes' {@code -Dgridctl.home}). */
    public PeerWiring(Path projectDir) {
        this(projectDir, (caller, callee) -> callee.url());
    }

    /**
     * Wires it so that each node calls each peer at {@code route(caller, callee)} instead of the
     * peer's own URL: a test puts a fault proxy on every link this way (ConvergenceIT).
     */
    public PeerWiring(Path projectDir, BiFunction<Federation.Node, Federation.Node, String> route) {
        this.projectDir = projectDir;
        this.route = route;
    }

    @Override
    public void wire(List<Federation.Node> nodes) throws IOException {
        Map<String, Federation.Node> byCode = nodes.stream().collect(Collectors.toMap(Federation.Node::code, Function.identity()));
        for (Federation.Node node : nodes) {
            Optional<Federation.Node> upstream = NodeLevel.ofCode(node.code()).flatMap(l -> l.upstreamCode(node.code()))
                    .map(byCode::get);
            if (upstream.isEmpty()) {
                continue;   // the city, or a node whose upstream is not in this federation
            }
            String key = withPeersOf(upstream.get(), peers -> peers.issue(node.code(), route.apply(upstream.get(), node)).await().key());
            String upstreamUrl = route.apply(node, upstream.get());
            Properties conf = Federation.readConfig(node.configFile());
            conf.setProperty("sync.upstream.url", upstreamUrl);
            conf.setProperty("sync.upstream.key", key);
            Federation.writeConfig(node.configFile(), conf, "node " + node.code() + " of the federation, its upstream "
                    + upstream.get().code() + " wired by ./gridctl federation up");
            System.out.println("wired " + node.code() + " to its upstream " + upstream.get().code() + " (" + upstreamUrl + ")");
        }
    }

    /** Runs {@code work} with the peers of a node of the federation, on its database. */
    <T> T withPeersOf(Federation.Node node, Function<SyncPeers, T> work) {
        return SyncCommand.withPeersOf(config(node), work);
    }

    /** A node's configuration: its file only, as the node reads it (no setting of this process's shell). */
    GridConfig config(Federation.Node node) {
        return GridConfig.load(projectDir, Map.of("GRIDCTL_CONFIG", node.configFile().toString()));
    }
}
