package cn.haizhu.grid.server.cluster;

import cn.haizhu.grid.data.config.SecretFiles;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.server.ServerLaunch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * The cluster's server instances: each a {@code gridctl.jar serve} process of its own, with its
 * configuration, log and pid in {@code instance-N/}, started from the jar (or class path) the
 * command runs from, in a session of its own, stopped by SIGTERM.
 */
final class ServerInstances {
    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(5);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(30);

    private ServerInstances() {
    }

    /**
     * An instance's configuration: its port, the shared data folder (one personal-data key, one
     * photo store for both), the database through {@code dbUrl}, the entry that follows the primary,
     * nginx as the trusted proxy, and no demo of its own (up loads it into the primary). Owner-only:
     * it holds the database password.
     */
    static void writeConfig(Cluster.Plan plan, Cluster.Instance instance, Path dataDir, String dbUrl, String standbyUrl,
                            String dbPassword) throws IOException {
        Files.createDirectories(instance.dir());
        Properties conf = new Properties();
        conf.setProperty("node.code", plan.nodeCode());
        conf.setProperty("http.port", Integer.toString(plan.portBase() + instance.number()));
        conf.setProperty("http.host", "127.0.0.1");
        conf.setProperty("http.trusted.proxies", "127.0.0.1,::1");
        conf.setProperty("data.dir", dataDir.toString());
        conf.setProperty("db.url", dbUrl);
        // tiles, search, stats and OGC reads from the standby while it is close behind (docs/CLUSTER.md)
        conf.setProperty("db.standby.url", standbyUrl);
        conf.setProperty("db.user", EmbeddedPostgres.SUPERUSER);
        conf.setProperty("db.password", dbPassword);
        conf.setProperty("demo.load", "false");
        // up and upgrade migrate once, before any instance starts (docs/UPGRADES.md): an instance of the previous
        // release restarted mid-upgrade, or two instances starting together, never run migrations
        conf.setProperty("db.migrate.on.start", "false");
        conf.setProperty("demo.scale", Double.toString(plan.demoScale()));
        conf.setProperty("demo.seed", Long.toString(plan.demoSeed()));
        java.io.StringWriter text = new java.io.StringWriter();
        conf.store(text, "instance " + instance.number() + " of the cluster in " + instance.dir().getParent()
                + " (written by ./gridctl cluster up)");
        SecretFiles.write(instance.configFile(), text.toString().stripTrailing());
    }

    /** Starts an instance's server; its output goes to its {@code server.log}. */
    static ProcessHandle start(Cluster.Plan plan, Cluster.Instance instance) throws IOException {
        return ServerLaunch.start(plan.javaOptions(), plan.projectDir(), instance.configFile(), instance.dir(), java.util.Map.of());
    }

    /** Waits until the instance answers {@code /health}; fails when {@code alive} says its process is gone, or after 5 min. */
    static void awaitHealthy(Cluster.Instance instance, BooleanSupplier alive) throws InterruptedException {
        awaitAnswer(instance, "/health", alive);
    }

    /**
     * Waits until the instance answers 200 on {@code path} ({@code /health}: it serves; {@code
     * /health/ready}: its database has every migration it carries); fails when {@code alive} says its
     * process is gone, or after 5 min.
     */
    static void awaitAnswer(Cluster.Instance instance, String path, BooleanSupplier alive) throws InterruptedException {
        long until = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        while (System.nanoTime() < until) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("instance " + instance.number() + " stopped while starting; its log: "
                        + instance.dir().resolve("server.log"));
            }
            if (answers(instance, path)) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("instance " + instance.number() + " did not answer " + instance.url() + path + " within "
                + HEALTHY_WITHIN.toMinutes() + " min; its log: " + instance.dir().resolve("server.log"));
    }

    /** Whether the instance answers 200 on /health. */
    static boolean healthy(Cluster.Instance instance) {
        return answers(instance, "/health");
    }

    /** Whether the instance answers 200 on {@code path}. */
    static boolean answers(Cluster.Instance instance, String path) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(instance.url() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops instance processes: SIGTERM to all, then each awaited, SIGKILL after 30 s. */
    static void stop(Collection<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : processes) {
            Tools.awaitExit(p, STOP_WITHIN);
        }
    }
}
