package cn.haizhu.grid.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code cluster.properties}: which node is primary, which one waits for rejoin, the ports, and the
 * processes {@code up} started, each by pid and start instant, so that {@code down} stops exactly
 * those (a pid another program got since is left alone). The processes are forgotten at
 * {@code down}; the rest outlives it, so the next {@code up} finds the same primary on the same ports.
 */
final class ClusterState {
    private static final String FILE = "cluster.properties";
    private final Path folder;
    private final Properties props = new Properties();

    private ClusterState(Path folder) {
        this.folder = folder;
    }

    /** The state of the cluster in {@code folder} (empty where none was ever up). */
    static ClusterState read(Path folder) {
        ClusterState state = new ClusterState(folder);
        Path file = folder.resolve(FILE);
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                state.props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return state;
    }

    /** Writes the state whole (a temporary file moved over the old one). */
    void write() throws IOException {
        Files.createDirectories(folder);
        Path tmp = folder.resolve(FILE + ".tmp");
        try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            props.store(out, "the cluster ./gridctl cluster up started: which node is primary, the ports, the processes;"
                    + " down stops exactly these");
        }
        Files.move(tmp, folder.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether the nodes were made (their ports are known). */
    boolean made() {
        return props.containsKey("db.port.base");
    }

    int portBase() {
        return Integer.parseInt(props.getProperty("port.base"));
    }

    int dbPortBase() {
        return Integer.parseInt(props.getProperty("db.port.base"));
    }

    void ports(int portBase, int dbPortBase) {
        props.setProperty("port.base", Integer.toString(portBase));
        props.setProperty("db.port.base", Integer.toString(dbPortBase));
    }

    /** The primary ({@code pg-a} until a failover). */
    String primary() {
        return props.getProperty("primary", Cluster.NODES.get(0));
    }

    void primary(String node) {
        props.setProperty("primary", node);
    }

    /** The old primary that waits for {@code rejoin} since a failover, if any. */
    Optional<String> rejoin() {
        return Optional.ofNullable(props.getProperty("rejoin"));
    }

    void rejoin(String node) {
        if (node == null) {
            props.remove("rejoin");
        } else {
            props.setProperty("rejoin", node);
        }
    }

    /** A node's port: pg-a on the database port base, pg-b on the next. */
    int nodePort(String node) {
        return dbPortBase() + Cluster.NODES.indexOf(node);
    }

    /** nginx's ports: the HTTP entry, the instances on the next two; the database entry after the nodes, and the primary behind it. */
    Nginx.Ports nginxPorts() {
        return new Nginx.Ports(portBase(), portBase() + 1, portBase() + 2, dbPortBase() + Cluster.NODES.size(), nodePort(primary()));
    }

    /** Records a process {@code up} started, as {@code part} ({@code nginx}, {@code instance.1} …). */
    void record(String part, ProcessHandle p) throws IOException {
        props.setProperty(part + ".pid", Long.toString(p.pid()));
        props.setProperty(part + ".started", p.info().startInstant().map(Instant::toString).orElse(""));
        write();
    }

    /** The processes recorded that still run and are the very ones recorded, by part: the instances, then nginx. */
    Map<String, ProcessHandle> running() {
        Map<String, ProcessHandle> out = new LinkedHashMap<>();
        for (String part : parts()) {
            ours(part).ifPresent(p -> out.put(part, p));
        }
        return out;
    }

    /** A part's process, if it runs and is the very one recorded (same pid, same start instant). */
    Optional<ProcessHandle> ours(String part) {
        String pid = props.getProperty(part + ".pid");
        if (pid == null) {
            return Optional.empty();
        }
        String started = props.getProperty(part + ".started", "");
        return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                .filter(p -> started.isEmpty() || p.info().startInstant().map(Instant::toString).orElse("").equals(started));
    }

    /** Forgets the processes (after {@code down}). */
    void forgetProcesses() {
        for (String part : parts()) {
            props.remove(part + ".pid");
            props.remove(part + ".started");
        }
    }

    private static List<String> parts() {
        List<String> parts = new java.util.ArrayList<>();
        for (int i = 1; i <= Cluster.INSTANCES; i++) {
            parts.add("instance." + i);
        }
        parts.add("nginx");
        return parts;
    }
}
