package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.config.SecretFiles;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.sync.NodeLevel;
import cn.haizhu.grid.server.ServerLaunch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The exchange on one machine, for newcomers and tests: a city, the Haizhu district and two of its
 * streets, four server processes on four consecutive ports over one embedded PostgreSQL cluster
 * with a database per node. Only the district loads the demo; the others start with their area tree
 * and get their records by sync (docs/SYNC.md, "A federation on one machine").
 *
 * <p>Everything lives in one folder ({@code <data dir>/federation}): the cluster ({@code pgdata}),
 * and per node a data folder of its own ({@code <code>/}: its personal-data key, uploads, its
 * configuration {@code gridctl.conf}, its log {@code server.log} and its process id
 * {@code server.pid}). {@code federation.properties} says what runs: the ports and, per node, the
 * process id and its start instant, so that {@link #down} stops exactly the processes
 * {@link #up} started (a pid reused by another program since is left alone).
 */
public final class Federation {
    /** The four nodes, in port order: the city, the district, two streets. */
    public static final List<String> CODES = List.of("440100", "440105", "440105001", "440105002");
    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(15);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(30);
    private static final String STATE = "federation.properties";

    /** A node of the federation: its code, where it answers, its data folder and its configuration file. */
    public record Node(String code, String url, Path dataDir, Path configFile) {
    }

    /**
     * How to start the federation.
     *
     * @param projectDir the project ({@code -Dgridctl.home} of the nodes)
     * @param folder     the federation's folder
     * @param portBase   the city's HTTP port; the district, the streets on the next three
     * @param dbPort     the embedded cluster's port
     * @param demoScale  the demo's scale (every node uses it: a street's starting polygons are the demo's)
     * @param demoSeed   the demo's seed
     * @param password   the demo logins' password, the same at every node
     * @param districtJavaOptions JVM options of the district (it loads the demo)
     * @param javaOptions JVM options of the other nodes
     */
    public record Plan(Path projectDir, Path folder, int portBase, int dbPort, double demoScale, long demoSeed,
                       String password, List<String> districtJavaOptions, List<String> javaOptions) {
    }

    private final Path folder;

    public Federation(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** The nodes of a federation whose city answers on {@code portBase}. */
    public List<Node> nodes(int portBase) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < CODES.size(); i++) {
            Path dir = folder.resolve(CODES.get(i));
            nodes.add(new Node(CODES.get(i), "http://127.0.0.1:" + (portBase + i), dir, dir.resolve("gridctl.conf")));
        }
        return List.copyOf(nodes);
    }

    /**
     * Starts the cluster, writes each node's configuration, hands the nodes to {@code wiring} (which
     * adds their peers to those configurations), then starts the four servers and waits until each
     * answers {@code /health}: the city and the district first, the streets once their district
     * answers, so that their first pull finds it rather than waiting out a puller's backoff.
     * Refuses while a federation from this folder still runs. A node that does not come up stops
     * everything started so far.
     *
     * <p>Why the wiring comes before the servers start rather than after: a node reads its upstream
     * from its configuration when it starts, so wiring running nodes would mean restarting three of
     * them, with a moment in which they run unwired. The wiring needs only the upstreams' databases,
     * which it opens (and migrates) itself on the running cluster.
     */
    public List<Node> up(Plan plan, FederationWiring wiring) throws IOException, InterruptedException {
        if (!running().isEmpty()) {
            throw new IllegalStateException("a federation already runs from " + folder + " (./gridctl federation status; down stops it)");
        }
        Files.createDirectories(folder);
        EmbeddedPostgres cluster = cluster(plan.dbPort());
        cluster.start("postgres");
        Properties state = new Properties();
        state.setProperty("port.base", Integer.toString(plan.portBase()));
        state.setProperty("db.port", Integer.toString(plan.dbPort()));
        writeState(state);
        List<Node> nodes = nodes(plan.portBase());
        try {
            for (Node node : nodes) {
                writeConfig(plan, node);
            }
            wiring.wire(nodes);
            // The city and the district first, the streets once the district answers (a street's first
            // pull would otherwise wait out its retry backoff). One node after the other: each migrates
            // its database on its first start, and the migrations grant to the request role, which
            // belongs to the whole cluster; two at once fail with "tuple concurrently updated".
            List<Node> streets = nodes.stream().filter(n -> NodeLevel.ofCode(n.code()).orElseThrow() == NodeLevel.STREET).toList();
            List<Node> above = nodes.stream().filter(n -> !streets.contains(n)).toList();
            for (List<Node> wave : List.of(above, streets)) {
                for (Node node : wave) {
                    launch(plan, node, state);
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            down();
            throw e;
        }
        return nodes;
    }

    /**
     * Starts one node of the running federation again, as {@link #up} started it, once it has stopped
     * (a crash, a kill), and waits until it answers {@code /health}. Refuses while that node runs.
     */
    public void restart(Plan plan, String code) throws IOException, InterruptedException {
        Properties state = readState();
        if (!state.containsKey("port.base")) {
            throw new IllegalStateException("no federation runs from " + folder + " (./gridctl federation up starts one)");
        }
        if (ours(code, state).isPresent()) {
            throw new IllegalStateException("node " + code + " of the federation in " + folder + " still runs");
        }
        Node node = nodes(Integer.parseInt(state.getProperty("port.base"))).stream().filter(n -> n.code().equals(code))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no node " + code + " in the federation"));
        launch(plan, node, state);
    }

    /** Starts a node's server, records its process in the state file and waits until it answers. */
    private void launch(Plan plan, Node node, Properties state) throws IOException, InterruptedException {
        ProcessHandle started = start(plan, node);
        state.setProperty(node.code() + ".pid", Long.toString(started.pid()));
        state.setProperty(node.code() + ".started", started.info().startInstant().map(Instant::toString).orElse(""));
        writeState(state);
        awaitHealthy(node, state);
    }

    /**
     * A node's configuration as {@code up} writes it, before the wiring adds its peers. Written
     * owner-only ({@link SecretFiles}): the wiring puts the node's sync key into it.
     */
    private void writeConfig(Plan plan, Node node) throws IOException {
        Files.createDirectories(node.dataDir());
        Properties conf = new Properties();
        conf.setProperty("node.code", node.code());
        conf.setProperty("http.port", node.url().substring(node.url().lastIndexOf(':') + 1));
        conf.setProperty("data.dir", node.dataDir().toString());
        conf.setProperty("db.embedded.dir", folder.resolve("pgdata").toString());
        conf.setProperty("db.embedded.port", Integer.toString(plan.dbPort()));
        conf.setProperty("db.embedded.database", "node_" + node.code());
        conf.setProperty("demo.scale", Double.toString(plan.demoScale()));
        conf.setProperty("demo.seed", Long.toString(plan.demoSeed()));
        writeConfig(node.configFile(), conf, "node " + node.code() + " of the federation in " + folder
                + " (written by ./gridctl federation up; the peer wiring adds its sync.* keys here)");
    }

    /** The settings of a node's configuration file. */
    static Properties readConfig(Path file) throws IOException {
        Properties conf = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            conf.load(in);
        }
        return conf;
    }

    /** Writes a node's configuration file, owner-only from its first byte (it may hold the node's sync key). */
    static void writeConfig(Path file, Properties conf, String comment) throws IOException {
        java.io.StringWriter text = new java.io.StringWriter();
        conf.store(text, comment);
        SecretFiles.write(file, text.toString().stripTrailing());
    }

    private ProcessHandle start(Plan plan, Node node) throws IOException {
        return ServerLaunch.start(node.code().equals("440105") ? plan.districtJavaOptions() : plan.javaOptions(),
                plan.projectDir(), node.configFile(), node.dataDir(), Map.of("GRIDCTL_DEMO_PASSWORD", plan.password()));
    }

    private void awaitHealthy(Node node, Properties state) throws InterruptedException {
        Instant deadline = Instant.now().plus(HEALTHY_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            if (ours(node.code(), state).isEmpty()) {
                throw new IllegalStateException("node " + node.code() + " stopped while starting; its log: "
                        + node.dataDir().resolve("server.log"));
            }
            if (healthy(node)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("node " + node.code() + " did not answer " + node.url() + "/health within "
                + HEALTHY_WITHIN.toMinutes() + " min; its log: " + node.dataDir().resolve("server.log"));
    }

    /** Whether the node answers 200 on /health. */
    public static boolean healthy(Node node) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + "/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops the servers this folder's {@code up} started (SIGTERM, then SIGKILL after 30 s) and the
     * cluster; returns the codes of the nodes it stopped. Processes it did not start are left alone.
     */
    public List<String> down() throws InterruptedException {
        Properties state = readState();
        List<String> stopped = new ArrayList<>();
        Map<String, ProcessHandle> ours = running(state);
        for (ProcessHandle p : ours.values()) {
            p.destroy();
        }
        for (Map.Entry<String, ProcessHandle> e : ours.entrySet()) {
            ProcessHandle p = e.getValue();
            try {
                p.onExit().get(STOP_WITHIN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException timeout) {
                p.destroyForcibly();
                p.onExit().join();
            }
            stopped.add(e.getKey());
        }
        for (String code : CODES) {
            try {
                Files.deleteIfExists(folder.resolve(code).resolve("server.pid"));
            } catch (IOException ignored) {
                // a pid file that stays says nothing: down and status go by the state file
            }
        }
        if (state.containsKey("db.port")) {
            cluster(Integer.parseInt(state.getProperty("db.port"))).stop(true);
        }
        try {
            Files.deleteIfExists(folder.resolve(STATE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stopped;
    }

    /** Per node: its URL, whether its process runs, whether it answers /health. */
    public List<String> status() {
        Properties state = readState();
        if (!state.containsKey("port.base")) {
            return List.of("no federation runs from " + folder + " (./gridctl federation up starts one)");
        }
        List<String> lines = new ArrayList<>();
        EmbeddedPostgres cluster = cluster(Integer.parseInt(state.getProperty("db.port")));
        lines.add(String.format(Locale.ROOT, "database  %s on 127.0.0.1:%s  %s", cluster.clusterDir(), state.getProperty("db.port"),
                cluster.isRunning() ? "running" : "stopped"));
        Map<String, ProcessHandle> ours = running(state);
        for (Node node : nodes(Integer.parseInt(state.getProperty("port.base")))) {
            ProcessHandle p = ours.get(node.code());
            lines.add(String.format(Locale.ROOT, "%-9s  %-22s  %-10s  %s", node.code(), node.url(),
                    p == null ? "stopped" : "pid " + p.pid(), p == null ? "" : healthy(node) ? "healthy" : "not answering"));
        }
        return lines;
    }

    /** The node processes of this folder's federation that still run, by code. */
    public Map<String, ProcessHandle> running() {
        return running(readState());
    }

    private static Map<String, ProcessHandle> running(Properties state) {
        Map<String, ProcessHandle> out = new java.util.LinkedHashMap<>();
        for (String code : CODES) {
            ours(code, state).ifPresent(p -> out.put(code, p));
        }
        return out;
    }

    /** The process of a node, if it runs and is the very one `up` started (same pid, same start instant). */
    private static Optional<ProcessHandle> ours(String code, Properties state) {
        String pid = state.getProperty(code + ".pid");
        if (pid == null) {
            return Optional.empty();
        }
        String started = state.getProperty(code + ".started", "");
        return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                .filter(p -> started.isEmpty() || p.info().startInstant().map(Instant::toString).orElse("").equals(started));
    }

    private EmbeddedPostgres cluster(int port) {
        return new EmbeddedPostgres(folder.resolve("pgdata"), port);
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
            state.store(out, "the federation ./gridctl federation up started; down stops exactly these processes");
        }
        Files.move(tmp, folder.resolve(STATE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
