package cn.haizhu.grid.data.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import cn.haizhu.grid.data.config.SecretFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PostgreSQL + PostGIS cluster in a folder of the project, on its own loopback port,
 * started and stopped by the command center itself (no system service, no administration).
 *
 * <p>initdb and postgres refuse to run as root. When this process is root (CI is), every cluster
 * command runs as the {@code postgres} system user through {@code runuser}; if that user cannot
 * reach the requested folder (a clone under /root, say), the cluster lives in
 * {@code /var/tmp/gridctl-<hash of the folder>/} instead and {@link #clusterDir()} says where.
 *
 * <p>The superuser is {@code gridctl}; its password is generated at initdb and kept beside the
 * cluster ({@code gridctl.password}, readable by the owner only). Only TCP on 127.0.0.1 is
 * enabled, with scram-sha-256.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    public static final String SUPERUSER = "gridctl";

    private final Path requestedDir;
    private final int port;
    private final Path binDir;
    private final boolean asRoot;
    private final Path clusterDir;
    private final java.util.Map<String, java.util.Map<String, String>> settings = new java.util.TreeMap<>();
    private boolean startedHere;

    /**
     * @param dir  the folder to keep the cluster in (created if missing), e.g. {@code var/pgdata}
     * @param port the loopback port to listen on
     */
    public EmbeddedPostgres(Path dir, int port) {
        this.requestedDir = dir.toAbsolutePath().normalize();
        this.port = port;
        this.binDir = findBinDir();
        this.asRoot = "root".equals(System.getProperty("user.name"));
        this.clusterDir = chooseClusterDir();
    }

    /** Where the cluster's files actually are (see the class comment for when this differs from the request). */
    public Path clusterDir() {
        return clusterDir;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String password() {
        try {
            return SecretFiles.read(passwordFile());
        } catch (IOException e) {
            throw new IllegalStateException("embedded cluster password missing at " + passwordFile(), e);
        }
    }

    /** True when a postmaster of this cluster answers. */
    public boolean isRunning() {
        if (!Files.exists(clusterDir.resolve("PG_VERSION"))) {
            return false;
        }
        return run(List.of(pg("pg_ctl"), "status", "-D", clusterDir.toString()), false) == 0;
    }

    /**
     * Creates the cluster on first use, starts it unless it is already running, and makes sure
     * {@code database} exists. Returns this for chaining.
     */
    public EmbeddedPostgres start(String database) {
        if (!Files.exists(clusterDir.resolve("PG_VERSION"))) {
            initdb();
        }
        writeSettings();
        if (!isRunning()) {
            LOG.info("starting embedded PostgreSQL in {} on 127.0.0.1:{}", clusterDir, port);
            Path log = clusterDir.resolve("postgres.log");
            int rc = run(List.of(pg("pg_ctl"), "start", "-w", "-t", "120", "-D", clusterDir.toString(),
                    "-l", log.toString(), "-o", "-p " + port), true);
            if (rc != 0) {
                throw new IllegalStateException("embedded PostgreSQL did not start (exit " + rc + "): " + tail(log)
                        + " (full log: " + log + "; is another server using port " + port + "?)");
            }
            startedHere = true;
        }
        createDatabase(database);
        return this;
    }

    /** Stops the cluster if this object started it ({@code force} stops it in any case). */
    public void stop(boolean force) {
        if ((startedHere || force) && isRunning()) {
            LOG.info("stopping embedded PostgreSQL in {}", clusterDir);
            run(List.of(pg("pg_ctl"), "stop", "-w", "-m", "fast", "-D", clusterDir.toString()), true);
        }
        startedHere = false;
    }

    @Override
    public void close() {
        stop(false);
    }

    /**
     * Settings that a feature keeps in this cluster ({@code backup}: WAL archiving; {@code restore}:
     * a point-in-time recovery), read by PostgreSQL at its next start: one file per feature,
     * {@value #SETTINGS_DIR}/{@code <feature>.conf}, which postgresql.conf includes. The file says what the
     * configuration says now: it is written now if the cluster exists and again at every
     * {@link #start}; an empty map removes it. Returns this for chaining.
     */
    public EmbeddedPostgres settings(String feature, java.util.Map<String, String> values) {
        if (!feature.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("feature name " + feature);
        }
        settings.put(feature, java.util.Map.copyOf(values));
        if (Files.exists(clusterDir.resolve("PG_VERSION"))) {
            writeSettings();
        }
        return this;
    }

    /** The folder of settings files inside the cluster, included by postgresql.conf. */
    public static final String SETTINGS_DIR = "gridctl.conf.d";

    private void writeSettings() {
        boolean nothingToSay = settings.values().stream().allMatch(java.util.Map::isEmpty);
        if (nothingToSay && !Files.isDirectory(clusterDir.resolve(SETTINGS_DIR))) {
            return;   // a cluster that never had such settings is left exactly as initdb made it
        }
        try {
            Path conf = clusterDir.resolve("postgresql.conf");
            String include = "include_dir = '" + SETTINGS_DIR + "'";
            if (!Files.readString(conf, StandardCharsets.UTF_8).contains(include)) {
                Files.writeString(conf, "\n# settings kept by gridctl, one file per feature\n" + include + "\n",
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            }
            Path dir = clusterDir.resolve(SETTINGS_DIR);
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir);
                chownToPostgres(dir);
            }
            for (var feature : settings.entrySet()) {
                Path file = dir.resolve(feature.getKey() + ".conf");
                if (feature.getValue().isEmpty()) {
                    Files.deleteIfExists(file);
                    continue;
                }
                StringBuilder text = new StringBuilder("# written by gridctl at every start from its configuration; edits are lost\n");
                new java.util.TreeMap<>(feature.getValue()).forEach((name, value) ->
                        text.append(name).append(" = '").append(value.replace("'", "''")).append("'\n"));
                if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contentEquals(text)) {
                    continue;
                }
                // whole or not at all: a reload of a running cluster may read it at any moment
                Path tmp = Files.createTempFile(dir, "." + feature.getKey(), ".tmp");
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                chownToPostgres(tmp);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the settings of " + clusterDir + ": " + e.getMessage(), e);
        }
    }

    /** A PostgreSQL program of the version the embedded cluster runs ({@code pg_basebackup}, {@code pg_verifybackup} …). */
    public static Path tool(String name) {
        return findBinDir().resolve(name);
    }

    /**
     * Hands the folder {@code path} (created if missing; with all in it when {@code recursive}) to the
     * user the cluster runs as, so that PostgreSQL itself may write there (an archive_command) or start
     * from it (a restored copy). As root that is the postgres user, who must be able to reach it;
     * otherwise it is us already.
     */
    public void handToClusterUser(Path path, boolean recursive) {
        try {
            Files.createDirectories(path);
            if (!asRoot) {
                return;
            }
            List<String> chown = recursive ? List.of("chown", "-R", "postgres:postgres", path.toString())
                    : List.of("chown", "postgres:postgres", path.toString());
            if (run(chown, true) != 0
                    || run(List.of(runuser(), "-u", "postgres", "--", "test", "-w", path.toString()), false) != 0) {
                throw new IllegalStateException("the postgres system user, which runs the embedded cluster, cannot write " + path
                        + "; choose a folder it can reach (not under /root)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the cluster as a crash would (immediate mode: no shutdown checkpoint, standbys get only
     * what was already sent); the next start recovers from the WAL. For failover drills.
     */
    public void stopImmediately() {
        if (isRunning()) {
            LOG.info("stopping embedded PostgreSQL in {} (immediate)", clusterDir);
            run(List.of(pg("pg_ctl"), "stop", "-w", "-m", "immediate", "-D", clusterDir.toString()), true);
        }
        startedHere = false;
    }

    /**
     * Makes this (absent or empty) cluster a hot standby of {@code primary}: {@code pg_basebackup -R}
     * over a replication connection as {@code user}, streaming from the physical replication slot
     * {@code slot} ({@code primary_slot_name}). The superuser and its password are the primary's,
     * so the password file is copied beside this cluster. Used by {@code ./gridctl cluster}.
     */
    public void baseBackupOf(EmbeddedPostgres primary, String user, String password, String slot) {
        try {
            Files.createDirectories(clusterDir);
            chownToPostgres(clusterDir);
            if (!asRoot) {
                Files.setPosixFilePermissions(clusterDir, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + clusterDir + " for a base backup: " + e.getMessage(), e);
        }
        String conninfo = "host=127.0.0.1 port=" + primary.port() + " user=" + user + " application_name=" + clusterDir.getFileName();
        List<String> output = new ArrayList<>();
        int rc = run(List.of(pg("pg_basebackup"), "-D", clusterDir.toString(), "-d", conninfo, "-X", "stream", "-R",
                "-S", slot, "-c", "fast", "--no-password"), true, java.util.Map.of("PGPASSWORD", password), output);
        if (rc != 0) {
            throw new IllegalStateException("pg_basebackup from 127.0.0.1:" + primary.port() + " failed (exit " + rc + "): "
                    + String.join(" | ", output));
        }
        try {
            SecretFiles.write(passwordFile(), primary.password());
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the password of " + clusterDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rewinds this stopped cluster, a former primary, onto {@code source}'s timeline with
     * {@code pg_rewind} (which first recovers a cluster that was not shut down cleanly), connecting as
     * the superuser. Returns whether it worked; on false the folder is no use and wants a fresh base
     * backup. Follow with {@link #followAsStandby}.
     */
    public boolean rewindFrom(EmbeddedPostgres source) {
        List<String> output = new ArrayList<>();
        int rc = run(List.of(pg("pg_rewind"), "--target-pgdata=" + clusterDir, "--source-server=host=127.0.0.1 port="
                        + source.port() + " user=" + SUPERUSER + " dbname=postgres"), true,
                java.util.Map.of("PGPASSWORD", source.password()), output);
        if (rc != 0) {
            LOG.warn("pg_rewind of {} from 127.0.0.1:{} failed (exit {}): {}", clusterDir, source.port(), rc, String.join(" | ", output));
        }
        return rc == 0;
    }

    /**
     * Makes this stopped cluster start as a hot standby of {@code primary}: {@code standby.signal},
     * and {@code primary_conninfo} (as {@code user}) and {@code primary_slot_name} appended to
     * {@code postgresql.auto.conf}, where the last setting of a name wins.
     */
    public void followAsStandby(EmbeddedPostgres primary, String user, String password, String slot) {
        String conninfo = "host=127.0.0.1 port=" + primary.port() + " user=" + user + " password=" + password
                + " application_name=" + clusterDir.getFileName();
        try {
            Path signal = clusterDir.resolve("standby.signal");
            Files.writeString(signal, "");
            chownToPostgres(signal);
            Files.writeString(clusterDir.resolve("postgresql.auto.conf"), "primary_conninfo = '" + conninfo.replace("'", "''")
                    + "'\nprimary_slot_name = '" + slot.replace("'", "''") + "'\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot make " + clusterDir + " a standby: " + e.getMessage(), e);
        }
    }


    /** Drops a database of this cluster (used by tests and {@code gridctl db reset}). */
    public void dropDatabase(String database) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password());
             PreparedStatement ps = c.prepareStatement("DROP DATABASE IF EXISTS " + quoteIdent(database) + " WITH (FORCE)")) {
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + database + ": " + e.getMessage(), e);
        }
    }

    private void createDatabase(String database) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password())) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("CREATE DATABASE " + quoteIdent(database)
                    + " TEMPLATE template0 ENCODING 'UTF8'")) {
                ps.execute();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    private void initdb() {
        LOG.info("creating embedded PostgreSQL cluster in {}", clusterDir);
        try {
            Files.createDirectories(clusterDir);
            chownToPostgres(clusterDir);
            Path pwfile = clusterDir.getParent().resolve(".initdb-pw-" + port);
            String password = newPassword();
            SecretFiles.write(pwfile, password);
            chownToPostgres(pwfile);
            int rc = run(List.of(pg("initdb"), "-D", clusterDir.toString(), "-U", SUPERUSER,
                    "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C.UTF-8",
                    "--auth-local=scram-sha-256", "--auth-host=scram-sha-256"), true);
            Files.deleteIfExists(pwfile);
            if (rc != 0) {
                throw new IllegalStateException("initdb failed (exit " + rc + ") for " + clusterDir);
            }
            // The password lives outside the cluster folder (which only postgres may read when we run as root).
            SecretFiles.write(passwordFile(), password);
            Files.writeString(clusterDir.resolve("postgresql.auto.conf"), tuning(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create cluster in " + clusterDir + ": " + e.getMessage(), e);
        }
    }

    /** Settings for a 2-core, 24 GiB machine that bulk-loads millions of rows; see docs/BENCHMARKS.md. */
    private static String tuning() {
        return String.join("\n",
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = ''",
                "shared_buffers = '1GB'",
                "work_mem = '64MB'",
                "maintenance_work_mem = '1GB'",
                "max_wal_size = '8GB'",
                "checkpoint_timeout = '30min'",
                "effective_cache_size = '12GB'",
                "random_page_cost = 1.1",
                "max_connections = 200",
                "jit = off",
                "logging_collector = off",
                "") ;
    }

    /** The last lines of the server log, which say why it stopped (a port in use, a bad setting). */
    private static String tail(Path log) {
        try {
            java.util.List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Where the superuser's password is kept, beside the cluster folder. */
    public Path passwordFile() {
        return clusterDir.getParent().resolve(clusterDir.getFileName() + ".password");
    }

    private Path chooseClusterDir() {
        if (!asRoot || postgresCanReach(requestedDir)) {
            return requestedDir;
        }
        String hash = sha1(requestedDir.toString()).substring(0, 10);
        Path parent = Path.of("/var/tmp", "gridctl-" + hash);
        secureFallbackParent(parent);
        Path fallback = parent.resolve(requestedDir.getFileName().toString());
        LOG.warn("the postgres system user cannot reach {}; the embedded cluster lives in {} instead",
                requestedDir, fallback);
        return fallback;
    }

    /**
     * The fallback folder's name is predictable (it must be found again on the next start), so
     * another local user could make it first and plant links or read what we write. It is created
     * here as root's, mode 0711 (postgres may pass through to its own cluster folder, nobody may
     * list or write it); an existing one is used only if it is a real folder of root's that no one
     * else may write, and otherwise the start stops and says why.
     */
    private static void secureFallbackParent(Path parent) {
        try {
            if (!Files.exists(parent, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // checked below like any folder found there
                }
                // createDirectory's mode is filtered by the umask; set it exactly
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx--x--x"));
            }
            var attrs = Files.readAttributes(parent, java.nio.file.attribute.PosixFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Object uid = Files.getAttribute(parent, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            var perms = attrs.permissions();
            boolean othersWrite = perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
            if (!attrs.isDirectory() || attrs.isSymbolicLink() || !Integer.valueOf(0).equals(uid) || othersWrite) {
                throw new IllegalStateException(parent + " exists but is not a folder of root's that only root may write;"
                        + " someone else may have made it. Remove it, or keep the project where the postgres user can reach it");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + parent + " for the embedded cluster: " + e.getMessage(), e);
        }
    }

    /** Whether the postgres user can traverse every folder down to {@code dir}'s parent. */
    private boolean postgresCanReach(Path dir) {
        Path parent = dir.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            return false;
        }
        return run(List.of(runuser(), "-u", "postgres", "--", "test", "-x", parent.toString()), false) == 0;
    }

    private void chownToPostgres(Path path) throws IOException {
        if (asRoot) {
            Files.createDirectories(clusterDir.getParent());
            if (run(List.of("chown", "postgres:postgres", path.toString()), true) != 0) {
                throw new IOException("cannot chown " + path + " to postgres");
            }
            if (!Files.isDirectory(path)) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } else {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    private String pg(String tool) {
        return binDir.resolve(tool).toString();
    }

    private int run(List<String> command, boolean logOutput) {
        return run(command, logOutput, java.util.Map.of(), new ArrayList<>());
    }

    /** Runs a command (a cluster tool as the cluster's owner), with {@code env} added; its output lines go to {@code output}. */
    private int run(List<String> command, boolean logOutput, java.util.Map<String, String> env, List<String> output) {
        List<String> full = new ArrayList<>();
        boolean clusterCommand = command.get(0).startsWith(binDir.toString());
        if (asRoot && clusterCommand) {
            full.addAll(List.of(runuser(), "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
            // postgres started by pg_ctl inherits our cwd; keep it somewhere the postgres user can enter.
            pb.directory(new java.io.File("/"));
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            out.lines().forEach(output::add);
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            if (logOutput && p.exitValue() != 0 && !out.isBlank()) {
                LOG.warn("{} → exit {}:\n{}", String.join(" ", full), p.exitValue(), out.strip());
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + full.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * util-linux's runuser, only needed as root. It lives in /usr/sbin, which is not on every
     * PATH (an ordinary user's, or a service's), so it is looked for there and not by name.
     */
    static String runuser() {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path candidate = Path.of(dir, "runuser");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("runuser (util-linux) is missing: as root the embedded cluster runs as the "
                + "postgres user through it; run ./gridctl setup");
    }

    /** The newest PostgreSQL under /usr/lib/postgresql that has the PostGIS extension installed. */
    static Path findBinDir() {
        Path root = Path.of("/usr/lib/postgresql");
        try (var versions = Files.list(root)) {
            return versions
                    .filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
                    .filter(v -> Files.exists(Path.of("/usr/share/postgresql", v.getFileName().toString(),
                            "extension/postgis.control")))
                    .max((a, b) -> Integer.compare(version(a), version(b)))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException(
                            "no PostgreSQL with PostGIS under /usr/lib/postgresql; run ./gridctl setup"));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not installed (" + root + "); run ./gridctl setup", e);
        }
    }

    private static int version(Path p) {
        try {
            return Integer.parseInt(p.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String quoteIdent(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }
}
