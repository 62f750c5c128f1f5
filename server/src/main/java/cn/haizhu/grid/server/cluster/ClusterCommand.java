package cn.haizhu.grid.server.cluster;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.Gridctl;
import cn.haizhu.grid.importers.demo.DemoUsers;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./gridctl cluster up [--port-base 8080] [--db-port N] | down | status | failover | rejoin | upgrade}:
 * cluster mode on one machine ({@link Cluster}) in {@code <data dir>/cluster}, with the project's node
 * code, demo scale and seed.
 */
@Command(name = "cluster", description = "A PostgreSQL primary and hot standby, two server instances and nginx on one machine:"
        + " up [--port-base 8080] [--db-port N], down, status, failover, rejoin, upgrade (the instances onto this release, one at a time).")
public final class ClusterCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "up | down | status | failover | rejoin | upgrade")
    String action;

    @Option(names = "--port-base", description = "up: nginx's HTTP port; the two instances take the next two (default 8080)")
    int portBase = 8080;

    @Option(names = "--db-port", description = "up: the first PostgreSQL node's port; the second and the database entry take the next"
            + " two (default: the embedded port + 30; kept once the nodes exist)")
    Integer dbPort;

    @Override
    public Integer call() throws Exception {
        GridConfig config = Gridctl.config();
        Cluster cluster = new Cluster(folder(config));
        switch (action) {
            case "up" -> {
                if (portBase < 1 || portBase > 65533) {
                    System.err.println("gridctl cluster: --port-base must leave room for three ports (1-65533)");
                    return 2;
                }
                int db = dbPort != null ? dbPort : cluster.dbPortBase().orElse(config.embeddedPort() + 30);
                String password = DemoUsers.password(config.demoPassword(), folder(config).resolve("data"));
                Cluster.Plan plan = plan(config, portBase, db, password);
                System.out.println("starting the cluster in " + folder(config) + " (the first start loads the demo into the"
                        + " primary: a few minutes at full scale)…");
                long t0 = System.nanoTime();
                List<Cluster.Instance> instances = cluster.up(plan);
                System.out.printf(Locale.ROOT, "The cluster runs (%.0f s). Open %s/  (the demo logins above; password %s)%n",
                        (System.nanoTime() - t0) / 1e9, cluster.url(), password);
                for (Cluster.Instance i : instances) {
                    System.out.printf("  instance-%d %s/  (log %s)%n", i.number(), i.url(), i.dir().resolve("server.log"));
                }
                System.out.println("  primary " + cluster.primary() + ", standby " + cluster.standby() + "; nginx: "
                        + cluster.nginxDir().resolve("nginx.conf"));
                System.out.println("./gridctl cluster status shows each part and the replication lag; down stops them all.");
            }
            case "down" -> {
                List<String> stopped = cluster.down();
                System.out.println(stopped.isEmpty() ? "nothing of the cluster was running" : "stopped " + String.join(", ", stopped));
            }
            case "status" -> cluster.status().forEach(System.out::println);
            case "failover" -> {
                Cluster.Failover f = cluster.failover();
                System.out.printf(Locale.ROOT, "%s%s is the primary now (%.1f s); the database entry points at it and the instances"
                                + " reconnect by themselves. %s waits: ./gridctl cluster rejoin makes it the new standby.%n",
                        f.oldWasRunning() ? f.old() + " was still running: stopped it first (a switchover). " : "",
                        f.promoted(), f.took().toMillis() / 1e3, f.old());
            }
            case "rejoin" -> {
                long t0 = System.nanoTime();
                String how = cluster.rejoin();
                System.out.printf(Locale.ROOT, "%s is the standby of %s again (%s, %.1f s), streaming from slot %s.%n",
                        cluster.standby(), cluster.primary(), how, (System.nanoTime() - t0) / 1e9, Replication.SLOT);
            }
            case "upgrade" -> {
                if (cluster.dbPortBase().isEmpty()) {
                    System.err.println("gridctl cluster: no cluster in " + folder(config) + " (./gridctl cluster up starts one)");
                    return 2;
                }
                int http = Integer.parseInt(cluster.url().substring(cluster.url().lastIndexOf(':') + 1));
                long t0 = System.nanoTime();
                List<RollingUpgrade.Step> steps = cluster.upgrade(plan(config, http, cluster.dbPortBase().get(), ""));
                System.out.printf(Locale.ROOT, "upgraded %d instances one at a time (%.0f s); %s/ served throughout.%n",
                        steps.size(), (System.nanoTime() - t0) / 1e9, cluster.url());
            }
            default -> {
                System.err.println("gridctl cluster: up [--port-base 8080] [--db-port N] | down | status | failover | rejoin | upgrade");
                return 2;
            }
        }
        return 0;
    }

    /** How the cluster's instances run: its ports, the project's node, the demo's settings and the logins' password. */
    private static Cluster.Plan plan(GridConfig config, int portBase, int dbPortBase, String password) {
        return new Cluster.Plan(config.projectDir(), portBase, dbPortBase, config.nodeCode(), config.demoLoad(),
                config.demoScale(), config.demoSeed(), password, List.of("-Xmx1g"));
    }

    /** The cluster's folder in the project's data folder. */
    static Path folder(GridConfig config) {
        return config.dataDir().resolve("cluster");
    }
}
