package cn.haizhu.grid.server.instances;

import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.server.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server instance in a process of its own, as {@code ./gridctl run} starts one ({@code Main serve}),
 * on the instances' database ({@code db.url}) and the test server's data folder, on a port the test
 * gives: what a test kills with SIGKILL. Like the instances of {@code ./gridctl cluster up}, it
 * believes the forwarding headers of a proxy on this machine (nginx in front, in the drill). Its output
 * goes to {@code server/target/instances/<name>.log}. A shutdown hook kills it if the test JVM ends
 * first.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(90);
    final String name;
    public final String url;
    final Path log;
    private final Process process;
    private final Thread reaper;

    private ServerProcess(String name, String url, Path log, Process process) {
        this.name = name;
        this.url = url;
        this.log = log;
        this.process = process;
        this.reaper = new Thread(process::destroyForcibly, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts {@code Main serve} on {@code port} (which must be free) over the database of {@code data}. */
    static ServerProcess start(String name, int port, InstancesDatabase data) throws IOException {
        return start(name, port, null, data.url(), data.ownerPassword(), data.config.dataDir(), Map.of());
    }

    /**
     * Starts {@code serve} of this build (the test's class path) or, when {@code jar} is given, of that
     * jar (another release's), on {@code port} (which must be free), over the database at {@code dbUrl}
     * as its owner, with the data folder {@code dataDir} and the settings {@code settings} besides
     * ({@code GRIDCTL_*} variables).
     */
    public static ServerProcess start(String name, int port, Path jar, String dbUrl, String ownerPassword, Path dataDir,
                                      Map<String, String> settings) throws IOException {
        try (ServerSocket probe = new ServerSocket(port)) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is taken: a server left over from an earlier run?", e);
        }
        Path project = TestDatabases.projectDir();
        Path logs = project.resolve("server/target/instances");
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-Dgridctl.home=" + project));
        if (jar == null) {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "cn.haizhu.grid.server.Main", "serve"));
        } else {
            command.addAll(List.of("-jar", jar.toString(), "serve"));
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GRIDCTL_"));
        env.put("GRIDCTL_CONFIG", "/nonexistent");
        env.put("GRIDCTL_DB_URL", dbUrl);
        env.put("GRIDCTL_DB_USER", EmbeddedPostgres.SUPERUSER);
        env.put("GRIDCTL_DB_PASSWORD", ownerPassword);
        env.put("GRIDCTL_DATA_DIR", dataDir.toString());
        env.put("GRIDCTL_HTTP_PORT", Integer.toString(port));
        env.put("GRIDCTL_DEMO_PASSWORD", TestServer.PASSWORD);
        env.put("GRIDCTL_HTTP_TRUSTED_PROXIES", "127.0.0.1,::1");
        env.putAll(settings);
        return new ServerProcess(name, "http://127.0.0.1:" + port, log, pb.start());
    }

    /** Waits until {@code /health} answers 200 (failing with the end of its log if it stops or takes too long). */
    public ServerProcess awaitHealthy() throws Exception {
        long until = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " stopped while starting: " + tail());
            }
            try {
                HttpResponse<Void> r = Api.CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " did not answer /health within " + HEALTHY_WITHIN.toSeconds() + " s: " + tail());
    }

    /** SIGKILL: no shutdown hook runs, open requests and transactions are cut where they are. */
    public void kill() throws Exception {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits up to {@code within} for the process to end by itself; its exit code, or null while it still runs. */
    public Integer awaitExit(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** The whole log of the process so far. */
    public String logText() throws IOException {
        return Files.readString(log);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops it as Ctrl-C would (SIGTERM), then SIGKILL after 30 s. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs anyway
            }
        }
    }
}
