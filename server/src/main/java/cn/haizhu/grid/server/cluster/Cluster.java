package cn.haizhu.grid.server.cluster;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.SecretFiles;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.server.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster mode on one machine ({@code ./gridctl cluster}, docs/CLUSTER.md): a PostgreSQL primary and
 * one hot standby fed by streaming replication through a slot, two server instances, and nginx in
 * front as the one HTTP entry and as the database entry that follows the primary.
 *
 * <p>Everything lives in one folder ({@code <data dir>/cluster}): the two PostgreSQL nodes
 * ({@code pg-a/}, {@code pg-b/}, embedded clusters with their superuser's password beside them; which
 * is primary is a matter of state, and changes at failover), the replication role's password
 * ({@code secrets/}), the instances' shared data folder ({@code data/}: the personal-data key, photos,
 * uploads, the demo files), per instance its configuration, log and pid ({@code instance-N/}), and
 * nginx's configuration, logs, pid and temp folders ({@code nginx/}); which node is primary, the
 * ports and the processes {@code up} started are in {@link ClusterState}.
 *
 * <p>Ports: nginx's HTTP entry on the port base, the instances on the next two; the nodes on the
 * database port base and the next, the database entry on the one after.
 */
public final class Cluster {
    /** The two PostgreSQL nodes, by folder name; pg-a is the first primary. */
    public static final List<String> NODES = List.of("pg-a", "pg-b");
    /** The server instances behind nginx. */
    public static final int INSTANCES = 2;
    /** The command center's database in the cluster. */
    public static final String DATABASE = "gridctl";
    private static final Duration ENTRY_WITHIN = Duration.ofSeconds(20);

    /**
     * How to start the cluster.
     *
     * @param projectDir  the project ({@code -Dgridctl.home} of the instances)
     * @param portBase    nginx's HTTP port; the instances take the next two
     * @param dbPortBase  the first node's port; the second node and the database entry take the next two
     * @param nodeCode    the platform's admin code ({@code node.code})
     * @param demo        whether the first start loads the demo into the primary, as {@code ./gridctl run} does
     * @param demoScale   the demo's scale
     * @param demoSeed    the demo's seed
     * @param password    the demo logins' password
     * @param javaOptions the instances' JVM options
     */
    public record Plan(Path projectDir, int portBase, int dbPortBase, String nodeCode, boolean demo, double demoScale,
                       long demoSeed, String password, List<String> javaOptions) {
    }

    /** A server instance: its number (1, 2), where it answers, its folder and its configuration file. */
    public record Instance(int number, String url, Path dir, Path configFile) {
    }

    /** What a failover did: the node promoted, the one that waits for rejoin, whether that one was still running, and how long it took. */
    public record Failover(String promoted, String old, boolean oldWasRunning, Duration took) {
    }

    private final Path folder;

    public Cluster(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    public Path folder() {
        return folder;
    }

    /** The database port base this folder's nodes were made with, if any (a standby follows its primary there). */
    public Optional<Integer> dbPortBase() {
        ClusterState state = ClusterState.read(folder);
        return state.made() ? Optional.of(state.dbPortBase()) : Optional.empty();
    }

    /** The node now primary ({@code pg-a} until a failover). */
    public String primary() {
        return ClusterState.read(folder).primary();
    }

    /** The other node: the standby, or the old primary waiting for {@link #rejoin}. */
    public String standby() {
        return other(primary());
    }

    /** A node of the cluster, by name, on its port (the cluster must have been up once). */
    public EmbeddedPostgres node(String name) {
        return node(name, ClusterState.read(folder));
    }

    /** The address of nginx's HTTP entry. */
    public String url() {
        return "http://127.0.0.1:" + ClusterState.read(folder).portBase();
    }

    /** nginx's folder: its configuration, logs, pid and temp folders (in the cluster's folder, unless its user cannot enter it). */
    public Path nginxDir() {
        return nginx().dir();
    }

    /** The instances of a cluster whose HTTP entry is on {@code portBase}. */
    public List<Instance> instances(int portBase) {
        List<Instance> out = new ArrayList<>();
        for (int i = 1; i <= INSTANCES; i++) {
            Path dir = folder.resolve("instance-" + i);
            out.add(new Instance(i, "http://127.0.0.1:" + (portBase + i), dir, dir.resolve("gridctl.conf")));
        }
        return List.copyOf(out);
    }

    /** The processes of this folder's cluster that {@code up} started and that still run, by part. */
    public Map<String, ProcessHandle> running() {
        return ClusterState.read(folder).running();
    }

    /**
     * Starts the cluster: the primary (created, configured for replication and given the demo on the
     * first start), the standby (made by a base backup on the first start), nginx, then the
     * instances one after the other (each migrates on its start; two at once would race on the
     * request role's grants), each awaited until it answers {@code /health}. Refuses while a part of
     * this folder's cluster still runs; anything that fails stops what was started.
     */
    public List<Instance> up(Plan plan) throws Exception {
        ClusterState state = ClusterState.read(folder);
        if (!state.running().isEmpty() || state.made() && NODES.stream().anyMatch(n -> node(n, state).isRunning())) {
            throw new IllegalStateException("the cluster in " + folder + " already runs (./gridctl cluster status; down stops it)");
        }
        if (state.made() && state.dbPortBase() != plan.dbPortBase()) {
            throw new IllegalStateException("the PostgreSQL nodes in " + folder + " use ports from " + state.dbPortBase()
                    + " (the standby follows its primary there); start with --db-port " + state.dbPortBase());
        }
        state.ports(plan.portBase(), plan.dbPortBase());
        state.primary(state.primary());
        state.write();
        try {
            String replication = replicationPassword();
            EmbeddedPostgres primary = node(state.primary(), state);
            start(primary);
            if (Replication.configurePrimary(primary, replication)) {
                primary.stop(true);   // wal_log_hints on a new cluster: once
                start(primary);
            }
            primary.start(DATABASE);
            Replication.ensureSlot(primary);
            for (Instance instance : instances(plan.portBase())) {
                ServerInstances.writeConfig(plan, instance, folder.resolve("data"), entryUrl(state), standbyUrl(state), primary.password());
            }
            prepareDatabase(plan, primary);
            startStandby(state, primary, replication);
            Nginx nginx = nginx();
            nginx.write(state.nginxPorts());
            state.record("nginx", nginx.start());
            for (Instance instance : instances(plan.portBase())) {
                String part = "instance." + instance.number();
                state.record(part, ServerInstances.start(plan, instance));
                ServerInstances.awaitHealthy(instance, () -> state.ours(part).isPresent());
            }
        } catch (Exception | Error e) {
            down();
            throw e;
        }
        return instances(plan.portBase());
    }

    /** The standby, made from the primary by a base backup the first time; none while the old primary waits for rejoin. */
    private void startStandby(ClusterState state, EmbeddedPostgres primary, String replication) {
        if (state.rejoin().isPresent()) {
            return;
        }
        EmbeddedPostgres standby = node(other(state.primary()), state);
        if (!Files.exists(standby.clusterDir().resolve("PG_VERSION"))) {
            standby.baseBackupOf(primary, Replication.ROLE, replication, Replication.SLOT);
        }
        start(standby);
    }

    /**
     * Migrates the primary's database and, as {@code ./gridctl run} does on its first start, loads the
     * demo into it (a later up finds it loaded). The instances name the database by {@code db.url},
     * for which the server loads no demo: this is where it comes from in cluster mode.
     */
    private void prepareDatabase(Plan plan, EmbeddedPostgres primary) throws Exception {
        GridConfig config = GridConfig.load(plan.projectDir(), Map.of(
                "GRIDCTL_CONFIG", instances(plan.portBase()).get(0).configFile().toString(),
                "GRIDCTL_DEMO_PASSWORD", plan.password()));
        try (Database db = Database.at(primary.jdbcUrl(DATABASE), EmbeddedPostgres.SUPERUSER, primary.password(), plan.nodeCode())) {
            if (plan.demo()) {
                Main.loadDemo(config, db, PersonalDataKey.cipher(config));
            }
        }
    }

    /**
     * Replaces the running instances by the release this runs from, one at a time, after migrating the
     * database once ({@link RollingUpgrade}, docs/UPGRADES.md). {@code plan}'s ports are the cluster's.
     */
    List<RollingUpgrade.Step> upgrade(Plan plan) throws Exception {
        ClusterState state = made();
        if (state.portBase() != plan.portBase()) {
            throw new IllegalStateException("the cluster in " + folder + " serves on " + state.portBase());
        }
        return RollingUpgrade.run(plan, state, instances(state.portBase()), url(), entryUrl(state), node(state.primary(), state).password());
    }

    /**
     * Promotes the standby and points the database entry at it; the instances' pools reconnect
     * through the entry by themselves. A primary that still runs is stopped first (a planned
     * switchover: its fast shutdown sends the standby all it wrote): never two primaries. Afterwards
     * the old primary waits for {@link #rejoin}.
     */
    public Failover failover() throws Exception {
        ClusterState state = made();
        if (state.rejoin().isPresent()) {
            throw new IllegalStateException("there is no standby to promote: " + state.rejoin().get()
                    + " waits for ./gridctl cluster rejoin");
        }
        long t0 = System.nanoTime();
        String oldName = state.primary();
        String newName = other(oldName);
        EmbeddedPostgres standby = node(newName, state);
        Optional<Replication.Role> role = Replication.role(standby.jdbcUrl("postgres"), standby.password());
        if (role.isEmpty() || !role.get().standby()) {
            throw new IllegalStateException("the standby " + newName + " does not run as a standby (./gridctl cluster status)");
        }
        EmbeddedPostgres old = node(oldName, state);
        boolean oldWasRunning = old.isRunning();
        if (oldWasRunning) {
            old.stop(true);
        }
        Replication.promote(standby);
        state.primary(newName);
        state.rejoin(oldName);
        state.write();
        Nginx nginx = nginx();
        nginx.write(state.nginxPorts());
        if (nginx.master().isPresent()) {
            nginx.reload();
            awaitEntryOn(standby, state);
        }
        return new Failover(newName, oldName, oldWasRunning, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * Makes the old primary the new primary's standby: {@code pg_rewind} onto the new timeline (it
     * recovers a cluster that crashed first), or, where that fails or the rewound node does not
     * stream, a fresh base backup; streaming from the slot the promotion made. Returns how:
     * {@code pg_rewind} or {@code base backup}.
     */
    public String rejoin() throws Exception {
        ClusterState state = made();
        String oldName = state.rejoin().orElseThrow(() -> new IllegalStateException("nothing to rejoin: " + state.primary()
                + " is primary and " + other(state.primary()) + " its standby"));
        EmbeddedPostgres primary = node(state.primary(), state);
        Optional<Replication.Role> role = Replication.role(primary.jdbcUrl("postgres"), primary.password());
        if (role.isEmpty() || role.get().standby()) {
            throw new IllegalStateException("the primary " + state.primary() + " does not run as a primary");
        }
        EmbeddedPostgres old = node(oldName, state);
        old.stop(true);   // someone started it by hand: it must not take writes, and pg_rewind wants it stopped
        String replication = replicationPassword();
        Replication.ensureSlot(primary);
        Replication.checkpoint(primary);
        String how = "pg_rewind";
        if (Files.exists(old.clusterDir().resolve("PG_VERSION")) && old.rewindFrom(primary)) {
            old.followAsStandby(primary, Replication.ROLE, replication, Replication.SLOT);
            start(old);
            if (!streaming(primary, oldName, Duration.ofSeconds(60))) {
                // rewound, yet it does not follow (a timeline it cannot reach): start it afresh
                old.stop(true);
                how = null;
            }
        } else {
            how = null;
        }
        if (how == null) {
            deleteTree(old.clusterDir());
            old.baseBackupOf(primary, Replication.ROLE, replication, Replication.SLOT);
            start(old);
            how = "base backup";
            if (!streaming(primary, oldName, Duration.ofSeconds(120))) {
                throw new IllegalStateException(oldName + " does not stream from the primary within 120 s; its log: "
                        + old.clusterDir().resolve("postgres.log"));
            }
        }
        state.rejoin(null);
        state.write();
        return how;
    }

    /**
     * Stops what {@code up} started: the instances (SIGTERM, SIGKILL after 30 s), nginx, then the
     * primary (its fast shutdown hands the standby all it wrote) and the standby. Returns the parts
     * it stopped. Processes it did not start are left alone.
     */
    public List<String> down() throws IOException {
        ClusterState state = ClusterState.read(folder);
        List<String> stopped = new ArrayList<>();
        Map<String, ProcessHandle> ours = state.running();
        ProcessHandle nginx = ours.remove("nginx");
        ServerInstances.stop(ours.values());
        stopped.addAll(ours.keySet());
        if (nginx != null) {
            nginx().stop(nginx);
            stopped.add("nginx");
        }
        if (state.made()) {
            for (String name : List.of(state.primary(), other(state.primary()))) {
                EmbeddedPostgres node = node(name, state);
                if (node.isRunning()) {
                    node.stop(true);
                    stopped.add(name);
                }
            }
            state.forgetProcesses();
            state.write();
        }
        return stopped;
    }

    /** Each part: where it answers, its process, up or down, its role; and the replication as each node sees it. */
    public List<String> status() {
        ClusterState state = ClusterState.read(folder);
        if (!state.made()) {
            return List.of("no cluster in " + folder + " (./gridctl cluster up starts one)");
        }
        List<String> lines = new ArrayList<>();
        Nginx.Ports ports = state.nginxPorts();
        Map<String, ProcessHandle> ours = state.running();
        ProcessHandle nginx = ours.get("nginx");
        lines.add(String.format(Locale.ROOT, "%-10s %-26s %-11s %s", "nginx", "http://127.0.0.1:" + ports.http() + "/",
                nginx == null ? "-" : "pid " + nginx.pid(), nginx == null ? "down" : "up; database entry 127.0.0.1:" + ports.entry()
                        + " → " + state.primary() + entryCheck(state)));
        for (Instance instance : instances(ports.http())) {
            ProcessHandle p = ours.get("instance." + instance.number());
            lines.add(String.format(Locale.ROOT, "%-10s %-26s %-11s %s", "instance-" + instance.number(), instance.url() + "/",
                    p == null ? "-" : "pid " + p.pid(), p == null ? "down"
                            : ServerInstances.healthy(instance) ? "up, healthy" : "up, not answering"));
        }
        for (String name : NODES) {
            EmbeddedPostgres node = node(name, state);
            boolean up = node.isRunning();
            String role = name.equals(state.primary()) ? "primary" : state.rejoin().isPresent() ? "old primary, waits for rejoin" : "standby";
            if (up) {
                String expected = role;
                role = Replication.role(node.jdbcUrl("postgres"), node.password()).map(r -> r.standby() ? "standby" : "primary")
                        .orElse(expected + " (not answering)");
            }
            lines.add(String.format(Locale.ROOT, "%-10s %-26s %-11s %s", name, "127.0.0.1:" + node.port(),
                    postmasterPid(node).map(pid -> "pid " + pid).orElse("-"), (up ? "up, " : "down, ") + role));
            if (up) {
                List<String> view = role.equals("primary") ? Replication.primaryView(node)
                        : role.equals("standby") ? Replication.standbyView(node) : List.of();
                view.forEach(l -> lines.add("           " + l));
            }
        }
        return lines;
    }

    // ── the parts ──

    private ClusterState made() {
        ClusterState state = ClusterState.read(folder);
        if (!state.made()) {
            throw new IllegalStateException("no cluster in " + folder + " (./gridctl cluster up starts one)");
        }
        return state;
    }

    private Nginx nginx() {
        try {
            return Nginx.forCluster(folder.resolve("nginx"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare nginx's folder: " + e.getMessage(), e);
        }
    }

    private EmbeddedPostgres node(String name, ClusterState state) {
        return new EmbeddedPostgres(folder.resolve(name), state.nodePort(name));
    }

    private static String other(String name) {
        return NODES.get(1 - NODES.indexOf(name));
    }

    private static String entryUrl(ClusterState state) {
        return "jdbc:postgresql://127.0.0.1:" + state.nginxPorts().entry() + "/" + DATABASE;
    }

    /**
     * The standby the instances read from, straight (not through nginx): the node that follows the
     * primary at up; none while the old primary waits for rejoin. After a failover it is the new
     * primary, which the instances see is no standby: they read from the primary until the next up.
     */
    private static String standbyUrl(ClusterState state) {
        return state.rejoin().isPresent() ? "" : "jdbc:postgresql://127.0.0.1:" + state.nodePort(other(state.primary())) + "/" + DATABASE;
    }

    private String entryCheck(ClusterState state) {
        EmbeddedPostgres primary = node(state.primary(), state);
        return Replication.role(entryUrl(state), primary.password())
                .map(r -> r.standby() ? " (answers as a standby!)" : " (answers, port " + r.port() + ")").orElse(" (not answering)");
    }

    /** Until the database entry reaches the promoted node (nginx's new workers have taken over). */
    private void awaitEntryOn(EmbeddedPostgres primary, ClusterState state) throws InterruptedException {
        long until = System.nanoTime() + ENTRY_WITHIN.toNanos();
        while (System.nanoTime() < until) {
            Optional<Replication.Role> r = Replication.role(entryUrl(state), primary.password());
            if (r.isPresent() && !r.get().standby() && r.get().port() == primary.port()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the database entry does not reach the promoted node within " + ENTRY_WITHIN.toSeconds()
                + " s; nginx's log: " + nginx().errorLog());
    }

    /**
     * Starts a node, trying again twice, 2 s apart: the ports sit in Linux's ephemeral range
     * (32768-60999), and a client connection that happens to hold the node's port as its own
     * local port for a moment makes the bind fail.
     */
    private static void start(EmbeddedPostgres node) {
        for (int attempt = 1; ; attempt++) {
            try {
                node.start("postgres");
                return;
            } catch (IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Whether the primary sees {@code standby} streaming from it within {@code within}. */
    private static boolean streaming(EmbeddedPostgres primary, String standby, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            if (Replication.primaryView(primary).stream().anyMatch(l -> l.startsWith("streams to " + standby + ": streaming"))) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** The postmaster's pid, from the first line of its postmaster.pid. */
    private static Optional<Long> postmasterPid(EmbeddedPostgres node) {
        try {
            List<String> lines = Files.readAllLines(node.clusterDir().resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String replicationPassword() throws IOException {
        Path secrets = folder.resolve("secrets");
        Files.createDirectories(secrets);
        SecretFiles.ownerOnlyFolder(secrets);
        return SecretFiles.readOrCreate(secrets.resolve("replication.password"), () -> {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        });
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
