package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.Gridctl;
import cn.haizhu.grid.importers.demo.DemoUsers;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./gridctl federation up [--port-base 8080] | down | status}: the three-level exchange on one
 * machine ({@link Federation}), in {@code <data dir>/federation}, with the project's demo scale and
 * seed and one demo password for all four nodes, its peers wired ({@link PeerWiring}).
 */
@Command(name = "federation", description = "A city, the Haizhu district and two streets on one machine: up [--port-base 8080], down, status.")
public final class FederationCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "up | down | status")
    String action;

    @Option(names = "--port-base", description = "up: the city's HTTP port; the district and the two streets take the next three (default 8080)")
    int portBase = 8080;

    @Option(names = "--db-port", description = "up: the port of the federation's PostgreSQL cluster (default: the embedded port + 20)")
    Integer dbPort;

    @Override
    public Integer call() throws Exception {
        GridConfig config = Gridctl.config();
        Federation federation = new Federation(folder(config));
        switch (action) {
            case "up" -> {
                if (portBase < 1 || portBase > 65532) {
                    System.err.println("gridctl federation: --port-base must leave room for four ports (1-65532)");
                    return 2;
                }
                String password = DemoUsers.password(config.demoPassword(), folder(config));
                Federation.Plan plan = new Federation.Plan(config.projectDir(), folder(config), portBase,
                        dbPort != null ? dbPort : config.embeddedPort() + 20, config.demoScale(), config.demoSeed(), password,
                        List.of("-Xmx2g"), List.of("-Xmx768m"));
                System.out.println("starting the federation in " + folder(config) + " (the district loads the demo on its"
                        + " first start: a few minutes at full scale)…");
                List<Federation.Node> nodes = federation.up(plan, new PeerWiring(config.projectDir()));
                print(nodes, password);
            }
            case "down" -> {
                List<String> stopped = federation.down();
                System.out.println(stopped.isEmpty() ? "no node of the federation was running; its database is stopped"
                        : "stopped " + String.join(", ", stopped) + " and the federation's database");
            }
            case "status" -> federation.status().forEach(System.out::println);
            default -> {
                System.err.println("gridctl federation: up [--port-base 8080] | down | status");
                return 2;
            }
        }
        return 0;
    }

    /** The federation's folder in the project's data folder. */
    static Path folder(GridConfig config) {
        return config.dataDir().resolve("federation");
    }

    private static void print(List<Federation.Node> nodes, String password) {
        System.out.println("The federation runs (logins: admin, command, officer at every node, and dispatcher at the"
                + " district and the streets; password " + password + "):");
        String[] names = {"广州市 city", "海珠区 district (demo data)", "赤岗街道 street", "新港街道 street"};
        for (int i = 0; i < nodes.size(); i++) {
            Federation.Node n = nodes.get(i);
            System.out.printf("  %-9s %-28s %s/   (log %s)%n", n.code(), names[i], n.url(), n.dataDir().resolve("server.log"));
        }
        System.out.println("The peers are wired: the streets pull the district, the district the city; the streets' and the"
                + " city's records arrive by sync (the first sync of a whole district takes a while).");
        System.out.println("The links of a node: GRIDCTL_CONFIG=" + nodes.get(1).configFile() + " ./gridctl sync status");
        System.out.println("./gridctl federation status shows them; ./gridctl federation down stops them all.");
    }
}
