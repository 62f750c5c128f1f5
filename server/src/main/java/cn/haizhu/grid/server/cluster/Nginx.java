package cn.haizhu.grid.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as the cluster's entry: its configuration generated from {@code nginx.conf} beside
 * this class, run as an unprivileged process with its own pid file, logs and temp folders in
 * {@code <cluster>/nginx/} (never the system's /etc/nginx or /var/log/nginx), started, reloaded
 * (failover: the database entry follows the primary) and stopped with nginx's own signals.
 *
 * <p>Run by root (CI, a server), nginx runs as {@code www-data} through runuser, in a folder that user
 * can enter ({@link #forCluster}); run by anyone else, as that user.
 */
final class Nginx {
    /** The user nginx runs as when the launcher is root; Debian's base system has it. */
    static final String UNPRIVILEGED = "www-data";
    private static final String TEMPLATE = template();
    private static final Duration STOP_WITHIN = Duration.ofSeconds(15);
    private final Path dir;
    private final boolean asRoot = "root".equals(System.getProperty("user.name"));

    /** The ports nginx serves: HTTP for the browsers, the two instances behind it, the database entry and the primary behind it. */
    record Ports(int http, int instance1, int instance2, int entry, int primary) {
    }

    Nginx(Path dir) {
        this.dir = dir;
    }

    /**
     * nginx for the cluster whose nginx folder would be {@code dir}. Run by root, nginx runs as
     * {@value #UNPRIVILEGED}; where that user cannot enter {@code dir} (a project under /root, say),
     * its folder is {@code /var/tmp/gridctl-nginx-<hash of dir>/nginx} instead, as the embedded
     * PostgreSQL moves where its user cannot reach (EmbeddedPostgres). That name is predictable, so an
     * existing one is used only if it is a real folder of root's that nobody else may write.
     */
    static Nginx forCluster(Path dir) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.createDirectories(dir.getParent());
        if (!root || run(List.of(Tools.require("runuser"), "-u", UNPRIVILEGED, "--", "test", "-x", dir.getParent().toString())).code() == 0) {
            return new Nginx(dir);
        }
        Path parent = Path.of("/var/tmp", "gridctl-nginx-" + Integer.toHexString(dir.toString().hashCode()));
        if (!Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(parent);
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        PosixFileAttributes attrs = Files.readAttributes(parent, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> perms = attrs.permissions();
        if (!attrs.isDirectory() || !Integer.valueOf(0).equals(Files.getAttribute(parent, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IllegalStateException(parent + " exists but is not a folder of root's that only root may write;"
                    + " someone else may have made it. Remove it, or keep the project where " + UNPRIVILEGED + " can enter it");
        }
        return new Nginx(parent.resolve("nginx"));
    }

    Path dir() {
        return dir;
    }

    Path errorLog() {
        return dir.resolve("error.log");
    }

    /** The configuration for these ports, with this folder's paths. */
    String configuration(Ports ports) {
        Path module = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
        Map<String, String> values = Map.of(
                "{folder}", dir.getParent().toString(),
                "{dir}", dir.toString(),
                // Debian builds the stream module as a module of its own (libnginx-mod-stream); other builds have it inside
                "{load_stream_module}", Files.exists(module) ? "load_module " + module + ";" : "",
                "{port}", Integer.toString(ports.http()),
                "{instance1}", Integer.toString(ports.instance1()),
                "{instance2}", Integer.toString(ports.instance2()),
                "{entry}", Integer.toString(ports.entry()),
                "{primary}", Integer.toString(ports.primary()));
        String conf = TEMPLATE;
        for (Map.Entry<String, String> v : values.entrySet()) {
            conf = conf.replace(v.getKey(), v.getValue());
        }
        return conf;
    }

    /** Writes the configuration and the folders it names, owned by the user nginx runs as; checks it with {@code nginx -t}. */
    void write(Ports ports) throws IOException {
        Files.createDirectories(dir.resolve("temp"));
        Path conf = dir.resolve("nginx.conf");
        Path tmp = dir.resolve("nginx.conf.tmp");
        Files.writeString(tmp, configuration(ports), StandardCharsets.UTF_8);
        Files.move(tmp, conf, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        // the logs are the owner's only: an error line quotes the request, query string included
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        for (String log : List.of("error.log", "access.log")) {
            if (!Files.exists(dir.resolve(log))) {
                Files.createFile(dir.resolve(log), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        }
        if (asRoot) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            var user = users.lookupPrincipalByName(UNPRIVILEGED);
            for (Path p : List.of(dir, dir.resolve("temp"), errorLog(), dir.resolve("access.log"))) {
                Files.setOwner(p, user);
            }
        }
        Result test = nginx("-t");
        if (test.code() != 0) {
            throw new IllegalStateException("nginx refuses the configuration " + conf + ": " + test.output());
        }
    }

    /** Starts nginx (it puts itself in the background) and returns its master process. */
    ProcessHandle start() throws IOException, InterruptedException {
        Files.deleteIfExists(dir.resolve("nginx.pid"));
        Result started = nginx();
        if (started.code() != 0) {
            throw new IllegalStateException("nginx did not start: " + started.output() + " (its log: " + errorLog() + ")");
        }
        for (int i = 0; i < 50; i++) {
            Optional<ProcessHandle> master = master();
            if (master.isPresent()) {
                return master.get();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("nginx started but wrote no pid file; its log: " + errorLog());
    }

    /** Makes the running nginx read its configuration again: new workers take new connections, the old finish theirs. */
    void reload() {
        Result r = nginx("-s", "reload");
        if (r.code() != 0) {
            throw new IllegalStateException("nginx did not reload: " + r.output() + " (its log: " + errorLog() + ")");
        }
    }

    /** Stops nginx gracefully (open streams end), forcibly after 15 s. */
    void stop(ProcessHandle master) {
        nginx("-s", "quit");
        Tools.awaitExit(master, STOP_WITHIN);
    }

    /** The master process of the pid file, if it runs. */
    Optional<ProcessHandle> master() {
        try {
            String pid = Files.readString(dir.resolve("nginx.pid")).strip();
            return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Result nginx(String... args) {
        List<String> command = new ArrayList<>();
        if (asRoot) {
            command.addAll(List.of(Tools.require("runuser"), "-u", UNPRIVILEGED, "--"));
        }
        command.addAll(List.of(Tools.require("nginx"), "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
                "-e", errorLog().toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    record Result(int code, String output) {
    }

    private static Result run(List<String> command) {
        Path out = null;
        try {
            // into a file, not a pipe: the nginx that puts itself in the background must not keep us reading
            out = Files.createTempFile("gridctl-nginx", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), Files.readString(out).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private static String template() {
        try (InputStream in = Nginx.class.getResourceAsStream("nginx.conf")) {
            if (in == null) {
                throw new IllegalStateException("cn/haizhu/grid/server/cluster/nginx.conf is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
