package cn.haizhu.grid.server.cluster;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./gridctl cluster upgrade}: the release the command runs from replaces the running instances
 * without the command center going dark (docs/UPGRADES.md). The schema is migrated once, first (the
 * expand step: the previous release keeps serving it), then each instance in turn is stopped with
 * SIGTERM (the server drains: it ends its event streams and finishes the requests in flight) and
 * started again on its port from this release's jar, awaited until {@code /health/ready} answers and
 * nginx sends it requests again, before the next is touched. nginx is left as it is: while an instance is
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
    /** nginx's fail_timeout (5 s) and some: how long a started instance may take to be back behind nginx. */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(30);

    /** What happened to one instance: how long it was away (stop to ready). */
    record Step(int instance, Duration away) {
    }

    private RollingUpgrade() {
    }

    /**
     * Migrates the primary's database through the database entry, then replaces the instances one at
     * a time; refuses to touch an instance while another one is not ready (that would leave none).
     */
    static List<Step> run(Cluster.Plan plan, ClusterState state, List<Cluster.Instance> instances, String httpEntry, String entryUrl,
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
            awaitBehindNginx(httpEntry, instance);
            Step step = new Step(instance.number(), Duration.ofNanos(System.nanoTime() - t0));
            System.out.printf("instance-%d runs the new release (away %.1f s)%n", step.instance(), step.away().toMillis() / 1e3);
            steps.add(step);
        }
        return steps;
    }

    /**
     * Until nginx sends requests to the instance again. Its passive check left the instance out for
     * {@code fail_timeout} (5 s) after its last refused connection; stopping the other instance before
     * nginx took this one back would leave it none ("no live upstreams", a 502 for every request).
     */
    private static void awaitBehindNginx(String httpEntry, Cluster.Instance instance) throws InterruptedException {
        String upstream = java.net.URI.create(instance.url()).getAuthority();
        HttpClient http = HttpClient.newHttpClient();
        long until = System.nanoTime() + BACK_WITHIN.toNanos();
        while (System.nanoTime() < until) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(httpEntry + "/health")).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.headers().firstValue("X-Upstream").filter(upstream::equals).isPresent()) {
                    return;
                }
            } catch (IOException e) {
                // nginx between workers: ask again
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("nginx did not send requests to instance " + instance.number() + " within "
                + BACK_WITHIN.toSeconds() + " s of its start; the other instance is left running");
    }

    private static boolean ready(Cluster.Instance instance) {
        return ServerInstances.answers(instance, READY);
    }
}
