package cn.haizhu.grid.server.cluster;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./gridctl cluster upgrade}: the release the command runs from replaces the running instances
 * without the command center going dark (docs/UPGRADES.md). The schema is migrated once, first (the
 * expand step: the previous release keeps serving it), then each instance in turn is stopped with
 * SIGTERM and started again on its port from this release's jar, and awaited until {@code
 * /health/ready} answers, before the next is touched. nginx is left as it is: while an instance is
 * away, its passive health check and {@code proxy_next_upstream error timeout} send requests to the
 * other (a request the stopped instance never received is passed on, a write it had received is not:
 * clients retry those with their idempotency keys), and event streams reconnect to the other with
 * {@code Last-Event-ID}. Reloading nginx to take the instance out first would end every event stream
 * of both instances at each step (its old workers stop), which is worse than the connection refused
 * that nginx already handles.
 */
final class RollingUpgrade {
    /** Answers 200 once the instance serves and its database has every migration it carries. */
    private static final String READY = "/health/ready";

    /** What happened to one instance: how long it was away (stop to ready). */
    record Step(int instance, Duration away) {
    }

    private RollingUpgrade() {
    }

    /**
     * Migrates the primary's database through the database entry, then replaces the instances one at
     * a time; refuses to touch an instance while another one is not ready (that would leave none).
     */
    static List<Step> run(Cluster.Plan plan, ClusterState state, List<Cluster.Instance> instances, String entryUrl,
                          String ownerPassword) throws Exception {
        for (Cluster.Instance instance : instances) {
            if (state.ours("instance." + instance.number()).isEmpty()) {
                throw new IllegalStateException("instance " + instance.number() + " does not run (./gridctl cluster status):"
                        + " an upgrade replaces running instances; ./gridctl cluster up starts them");
            }
        }
        try (Database db = Database.asIs(entryUrl, EmbeddedPostgres.SUPERUSER, ownerPassword, plan.nodeCode())) {
            String version = db.migrate();
            System.out.println("schema migrated to version " + version + " (the previous release keeps serving it)");
        }
        List<Step> steps = new ArrayList<>();
        for (Cluster.Instance instance : instances) {
            for (Cluster.Instance other : instances) {
                if (other != instance && !ready(other)) {
                    throw new IllegalStateException("instance " + other.number() + " is not ready (" + other.url()
                            + "/health/ready): replacing instance " + instance.number() + " now would leave none serving");
                }
            }
            String part = "instance." + instance.number();
            long t0 = System.nanoTime();
            ServerInstances.stop(state.ours(part).stream().toList());
            state.record(part, ServerInstances.start(plan, instance));
            ServerInstances.awaitAnswer(instance, READY, () -> state.ours(part).isPresent());
            Step step = new Step(instance.number(), Duration.ofNanos(System.nanoTime() - t0));
            System.out.printf("instance-%d runs the new release (away %.1f s)%n", step.instance(), step.away().toMillis() / 1e3);
            steps.add(step);
        }
        return steps;
    }

    private static boolean ready(Cluster.Instance instance) {
        return ServerInstances.answers(instance, READY);
    }
}
