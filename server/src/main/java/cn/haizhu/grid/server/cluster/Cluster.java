package cn.haizhu.grid.server.cluster;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.SecretFiles;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.server.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

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
 * nginx's configuration, logs, pid and temp folders ({@code nginx/}). {@code cluster.properties} says
 * which node is primary, the ports, and the processes {@code up} started (pid and start instant, so
 * that {@link #down} stops exactly those); it outlives {@code down}, so a later {@code up} finds the
 * same primary.
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
    private static final String STATE = "cluster.properties";
    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(5);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(30);
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
        return Optional.ofNullable(readState().getProperty("db.port.base")).map(Integer::parseInt);
    }

    /** The node now primary ({@code pg-a} until a failover). */
    public String primary() {
        return readState().getProperty("primary", NODES.get(0));
    }

    /** The other node: the standby, or the old primary waiting for {@link #rejoin}. */
    public String standby() {
        return other(primary());
    }

    /** A node of the cluster, by name, on its port (the cluster must have been up once). */
    public EmbeddedPostgres node(String name) {
        return node(name, readState());
    }

    /** The address of nginx's HTTP entry. */
    public String url() {
        return "http://127.0.0.1:" + readState().getProperty("port.base");
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

    /**
     * Starts the cluster: the primary (created, configured for replication and given the demo on the
     * first start), the standby (made by a base backup on the first start), nginx, then the
     * instances one after the other (each migrates on its start; two at once would race on the
     * request role's grants), each awaited until it answers {@code /health}. Refuses while a part of
     * this folder's cluster still runs; anything that fails stops what was started.
     */
    public List<Instance> up(Plan plan) throws Exception {
        Properties state = readState();
        if (!running(state).isEmpty() || NODES.stream().anyMatch(n -> state.containsKey("db.port.base") && node(n, state).isRunning())) {
            throw new IllegalStateException("the cluster in " + folder + " already runs (./gridctl cluster status; down stops it)");
        }
        if (state.containsKey("db.port.base") && Integer.parseInt(state.getProperty("db.port.base")) != plan.dbPortBase()) {
            throw new IllegalStateException("the PostgreSQL nodes in " + folder + " use ports from " + state.getProperty("db.port.base")
                    + " (the standby follows its primary there); start with --db-port " + state.getProperty("db.port.base"));
        }
        Files.createDirectories(folder);
        state.setProperty("port.base", Integer.toString(plan.portBase()));
        state.setProperty("db.port.base", Integer.toString(plan.dbPortBase()));
        state.setProperty("primary", state.getProperty("primary", NODES.get(0)));
        writeState(state);
        try {
            String replication = replicationPassword();
            EmbeddedPostgres primary = node(state.getProperty("primary"), state);
            start(primary);
            if (Replication.configurePrimary(primary, replication)) {
                primary.stop(true);   // wal_log_hints on a new cluster: once
                start(primary);
            }
            primary.start(DATABASE);
            Replication.ensureSlot(primary);
            for (Instance instance : instances(plan.portBase())) {
                writeConfig(plan, instance, state);
            }
            prepareDatabase(plan, primary);
            startStandby(state, primary, replication);
            Nginx nginx = nginx();
            nginx.write(ports(state));
            record(state, "nginx", nginx.start());
            for (Instance instance : instances(plan.portBase())) {
                record(state, "instance." + instance.number(), start(plan, instance));
                awaitHealthy(instance, state);
            }
        } catch (Exception | Error e) {
            down();
            throw e;
        }
        return instances(plan.portBase());
    }

    /** The standby, made from the primary by a base backup the first time; none while the old primary waits for rejoin. */
    private void startStandby(Properties state, EmbeddedPostgres primary, String replication) {
        if (state.containsKey("rejoin")) {
            return;
        }
        EmbeddedPostgres standby = node(other(state.getProperty("primary")), state);
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
     * Promotes the standby and points the database entry at it; the instances' pools reconnect
     * through the entry by themselves. A primary that still runs is stopped first (a planned
     * switchover: its fast shutdown sends the standby all it wrote): never two primaries. Afterwards
     * the old primary waits for {@link #rejoin}.
     */
    public Failover failover() throws Exception {
        Properties state = readState();
        requireUp(state);
        if (state.containsKey("rejoin")) {
            throw new IllegalStateException("there is no standby to promote: " + state.getProperty("rejoin")
                    + " waits for ./gridctl cluster rejoin");
        }
        long t0 = System.nanoTime();
        String oldName = state.getProperty("primary");
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
        state.setProperty("primary", newName);
        state.setProperty("rejoin", oldName);
        writeState(state);
        Nginx nginx = nginx();
        nginx.write(ports(state));
        if (nginx.master().isPresent()) {
            nginx.reload();
            awaitEntryOn(standby, state);
        }
        return new Failover(newName, oldName, oldWasRunning, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * Makes the old primary the new primary's standby: {@code pg_rewind} onto the new timeline (it
     * recovers a cluster that crashed first), or, where that fails, a fresh base backup; streaming
     * from the slot the promotion made. Returns how: {@code pg_rewind} or {@code base backup}.
     */
    public String rejoin() throws Exception {
        Properties state = readState();
        requireUp(state);
        String oldName = state.getProperty("rejoin");
        if (oldName == null) {
            throw new IllegalStateException("nothing to rejoin: " + state.getProperty("primary") + " is primary and "
                    + other(state.getProperty("primary")) + " its standby");
        }
        EmbeddedPostgres primary = node(state.getProperty("primary"), state);
        Optional<Replication.Role> role = Replication.role(primary.jdbcUrl("postgres"), primary.password());
        if (role.isEmpty() || role.get().standby()) {
            throw new IllegalStateException("the primary " + state.getProperty("primary") + " does not run as a primary");
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
        state.remove("rejoin");
        writeState(state);
        return how;
    }

    /**
     * Stops what {@code up} started: the instances (SIGTERM, SIGKILL after 30 s), nginx, then the
     * primary (its fast shutdown hands the standby all it wrote) and the standby. Returns the parts
     * it stopped. Processes it did not start are left alone.
     */
    public List<String> down() throws InterruptedException {
        Properties state = readState();
        List<String> stopped = new ArrayList<>();
        Map<String, ProcessHandle> ours = running(state);
        ours.forEach((name, p) -> {
            if (name.startsWith("instance.")) {
                p.destroy();
            }
        });
        for (Map.Entry<String, ProcessHandle> e : ours.entrySet()) {
            ProcessHandle p = e.getValue();
            if (e.getKey().equals("nginx")) {
                nginx().stop(p);
            } else {
                try {
                    p.onExit().get(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException timeout) {
                    p.destroyForcibly();
                    p.onExit().join();
                }
            }
            stopped.add(e.getKey());
        }
        if (state.containsKey("db.port.base")) {
            String primary = state.getProperty("primary", NODES.get(0));
            for (String name : List.of(primary, other(primary))) {
                EmbeddedPostgres node = node(name, state);
                if (node.isRunning()) {
                    node.stop(true);
                    stopped.add(name);
                }
            }
        }
        for (String key : List.copyOf(state.stringPropertyNames())) {
            if (key.endsWith(".pid") || key.endsWith(".started")) {
                state.remove(key);
            }
        }
        if (Files.isDirectory(folder)) {
            try {
                writeState(state);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stopped;
    }

    /** Each part: where it answers, its process, up or down, its role; and the replication as each node sees it. */
    public List<String> status() {
        Properties state = readState();
        if (!state.containsKey("port.base")) {
            return List.of("no cluster in " + folder + " (./gridctl cluster up starts one)");
        }
        List<String> lines = new ArrayList<>();
        Nginx.Ports ports = ports(state);
        Map<String, ProcessHandle> ours = running(state);
        ProcessHandle nginx = ours.get("nginx");
        lines.add(String.format(Locale.ROOT, "%-10s %-26s %-11s %s", "nginx", "http://127.0.0.1:" + ports.http() + "/",
                nginx == null ? "-" : "pid " + nginx.pid(), nginx == null ? "down" : "up; database entry 127.0.0.1:" + ports.entry()
                        + " → " + state.getProperty("primary") + entryCheck(state)));
        for (Instance instance : instances(ports.http())) {
            ProcessHandle p = ours.get("instance." + instance.number());
            lines.add(String.format(Locale.ROOT, "%-10s %-26s %-11s %s", "instance-" + instance.number(), instance.url() + "/",
                    p == null ? "-" : "pid " + p.pid(), p == null ? "down" : healthy(instance) ? "up, healthy" : "up, not answering"));
        }
        String primary = state.getProperty("primary");
        for (String name : NODES) {
            EmbeddedPostgres node = node(name, state);
            boolean up = node.isRunning();
            String role = name.equals(primary) ? "primary" : state.containsKey("rejoin") ? "old primary, waits for rejoin" : "standby";
            if (up) {
                Optional<Replication.Role> now = Replication.role(node.jdbcUrl("postgres"), node.password());
                role = now.map(r -> r.standby() ? "standby" : "primary").orElse(role + " (not answering)");
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

    /** The processes of this folder's cluster that {@code up} started and that still run, by part. */
    public Map<String, ProcessHandle> running() {
        return running(readState());
    }

    // ── the parts ──

    private Nginx nginx() {
        try {
            return Nginx.forCluster(folder.resolve("nginx"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare nginx's folder: " + e.getMessage(), e);
        }
    }

    /** nginx's folder: its configuration, logs, pid and temp folders (in the cluster's folder, unless its user cannot enter it). */
    public Path nginxDir() {
        return nginx().dir();
    }

    private EmbeddedPostgres node(String name, Properties state) {
        int base = Integer.parseInt(state.getProperty("db.port.base"));
        return new EmbeddedPostgres(folder.resolve(name), base + NODES.indexOf(name));
    }

    private static String other(String name) {
        return NODES.get(1 - NODES.indexOf(name));
    }

    private Nginx.Ports ports(Properties state) {
        int http = Integer.parseInt(state.getProperty("port.base"));
        int db = Integer.parseInt(state.getProperty("db.port.base"));
        return new Nginx.Ports(http, http + 1, http + 2, db + NODES.size(), db + NODES.indexOf(state.getProperty("primary")));
    }

    private String entryUrl(Properties state) {
        return "jdbc:postgresql://127.0.0.1:" + ports(state).entry() + "/" + DATABASE;
    }

    private String entryCheck(Properties state) {
        EmbeddedPostgres primary = node(state.getProperty("primary"), state);
        return Replication.role(entryUrl(state), primary.password())
                .map(r -> r.standby() ? " (answers as a standby!)" : " (answers, port " + r.port() + ")").orElse(" (not answering)");
    }

    /** Until the database entry reaches the promoted node (nginx's new workers have taken over). */
    private void awaitEntryOn(EmbeddedPostgres primary, Properties state) throws InterruptedException {
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

    private void requireUp(Properties state) {
        if (!state.containsKey("db.port.base")) {
            throw new IllegalStateException("no cluster in " + folder + " (./gridctl cluster up starts one)");
        }
    }

    /**
     * An instance's configuration: its port, the shared data folder (one personal-data key, one
     * photo store for both), the database through the entry that follows the primary, nginx as the
     * trusted proxy. Owner-only: it holds the database password.
     */
    private void writeConfig(Plan plan, Instance instance, Properties state) throws IOException {
        Files.createDirectories(instance.dir());
        EmbeddedPostgres primary = node(state.getProperty("primary"), state);
        Properties conf = new Properties();
        conf.setProperty("node.code", plan.nodeCode());
        conf.setProperty("http.port", Integer.toString(plan.portBase() + instance.number()));
        conf.setProperty("http.host", "127.0.0.1");
        conf.setProperty("http.trusted.proxies", "127.0.0.1,::1");
        conf.setProperty("data.dir", folder.resolve("data").toString());
        conf.setProperty("db.url", entryUrl(state));
        conf.setProperty("db.user", EmbeddedPostgres.SUPERUSER);
        conf.setProperty("db.password", primary.password());
        conf.setProperty("demo.load", "false");
        conf.setProperty("demo.scale", Double.toString(plan.demoScale()));
        conf.setProperty("demo.seed", Long.toString(plan.demoSeed()));
        java.io.StringWriter text = new java.io.StringWriter();
        conf.store(text, "instance " + instance.number() + " of the cluster in " + folder + " (written by ./gridctl cluster up)");
        SecretFiles.write(instance.configFile(), text.toString().stripTrailing());
    }

    private ProcessHandle start(Plan plan, Instance instance) throws IOException {
        List<String> command = new ArrayList<>();
        Tools.find("setsid").ifPresent(command::add);   // its own session: closing the terminal leaves it running
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(plan.javaOptions());
        command.add("-Dgridctl.home=" + plan.projectDir());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("serve");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(instance.dir().resolve("server.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // its configuration is its file: settings of the shell that ran `up` must not leak into it
        pb.environment().keySet().removeIf(k -> k.startsWith("GRIDCTL_"));
        pb.environment().put("GRIDCTL_CONFIG", instance.configFile().toString());
        Process process = pb.start();
        Files.writeString(instance.dir().resolve("server.pid"), process.pid() + "\n");
        return process.toHandle();
    }

    private void awaitHealthy(Instance instance, Properties state) throws InterruptedException {
        long until = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        while (System.nanoTime() < until) {
            if (ours("instance." + instance.number(), state).isEmpty()) {
                throw new IllegalStateException("instance " + instance.number() + " stopped while starting; its log: "
                        + instance.dir().resolve("server.log"));
            }
            if (healthy(instance)) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("instance " + instance.number() + " did not answer " + instance.url() + "/health within "
                + HEALTHY_WITHIN.toMinutes() + " min; its log: " + instance.dir().resolve("server.log"));
    }

    /** Whether the instance answers 200 on /health. */
    static boolean healthy(Instance instance) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(instance.url() + "/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ── processes and state ──

    private void record(Properties state, String part, ProcessHandle p) throws IOException {
        state.setProperty(part + ".pid", Long.toString(p.pid()));
        state.setProperty(part + ".started", p.info().startInstant().map(Instant::toString).orElse(""));
        writeState(state);
    }

    private static Map<String, ProcessHandle> running(Properties state) {
        Map<String, ProcessHandle> out = new java.util.LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= INSTANCES; i++) {
            parts.add("instance." + i);
        }
        parts.add("nginx");
        for (String part : parts) {
            ours(part, state).ifPresent(p -> out.put(part, p));
        }
        return out;
    }

    /** A part's process, if it runs and is the very one {@code up} started (same pid, same start instant). */
    private static Optional<ProcessHandle> ours(String part, Properties state) {
        String pid = state.getProperty(part + ".pid");
        if (pid == null) {
            return Optional.empty();
        }
        String started = state.getProperty(part + ".started", "");
        return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                .filter(p -> started.isEmpty() || p.info().startInstant().map(Instant::toString).orElse("").equals(started));
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

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private Properties readState() {
        Properties state = new Properties();
        Path file = folder.resolve(STATE);
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                state.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return state;
    }

    private void writeState(Properties state) throws IOException {
        Path tmp = folder.resolve(STATE + ".tmp");
        try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            state.store(out, "the cluster ./gridctl cluster up started: which node is primary, the ports, the processes; down stops exactly these");
        }
        Files.move(tmp, folder.resolve(STATE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
