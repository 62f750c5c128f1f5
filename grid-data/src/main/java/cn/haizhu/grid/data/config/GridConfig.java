package cn.haizhu.grid.data.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The one configuration of the command center, built once at start-up and passed in.
 *
 * <p>Sources, later ones winning: built-in defaults, the properties file {@code gridctl.conf}
 * in the project folder (or the file named by {@code GRIDCTL_CONFIG}), then environment variables
 * named after the key ({@code db.url} → {@code GRIDCTL_DB_URL}). Every key is listed in the README.
 *
 * @param projectDir     the project checkout (where {@code gridctl} lives)
 * @param dbUrl          JDBC URL of an existing PostGIS database; empty means the embedded cluster
 * @param dbUser         database user for {@code dbUrl}
 * @param dbPassword     its password
 * @param embeddedPort   TCP port of the embedded cluster (loopback only)
 * @param httpPort       port of the HTTP server
 * @param dataDir        where the embedded cluster, generated demo files, photos and secrets live
 * @param piiKey         base64 key for personal-data encryption and keyed hashes; empty means
 *                       "generate one into {@code dataDir/secrets/pii.key} on first start"
 * @param piiKeyRetired  base64 keys retired by a rotation and still read until no row uses them
 *                       (only with {@code piiKey}; a generated key keeps its retired ones in
 *                       {@code dataDir/secrets/pii.key.retired})
 * @param demoLoad       whether to load the demo data set into an empty database on start
 * @param demoPassword   password of the demo users; empty means "generate and print"
 * @param demoScale      scale factor of the demo data set (1.0 = Haizhu scale)
 * @param demoSeed       seed of the demo generator
 * @param nodeCode       admin code of this platform, recorded as the origin of its changes
 * @param baseMap        the map wall's raster base map, or null (the default: no internet in the command center)
 * @param listen         where the HTTP server listens and which proxies in front of it it believes
 * @param upstream       the peer above this node in the three-level exchange ({@code sync.upstream.url},
 *                       {@code sync.upstream.key}), or null for a node that has none (docs/SYNC.md)
 * @param embeddedDir    the folder of the embedded cluster ({@code dataDir/pgdata} unless
 *                       {@code db.embedded.dir} says otherwise: the nodes of a one-machine
 *                       federation share one cluster and keep their own data folders)
 * @param embeddedDatabase the database of this node in the embedded cluster ({@code gridctl}; one per
 *                       node in a federation)
 * @param open311PublicReads whether Open311's reads answer without a key, in their public view (no
 *                       personal data, no internal notes); off, every Open311 read needs a client key
 * @param ops            the log format and who may read /metrics ({@code log.format}, {@code metrics.loopback})
 * @param backup         where the embedded cluster archives its WAL and the backups go, how often a
 *                       quiet cluster still closes a WAL segment, and the passphrase of the backups'
 *                       secrets ({@code backup.dir}, {@code backup.archive.timeout}, {@code GRIDCTL_BACKUP_PASSPHRASE})
 * @param standby        a hot standby of {@code dbUrl} that tiles, search, stats and OGC reads may use
 *                       while its replay lag stays within a bound ({@code db.standby.url},
 *                       {@code db.standby.max.lag}; docs/CLUSTER.md "Reads from the standby")
 * @param migrateOnStart whether a server start brings the schema up to date ({@code db.migrate.on.start});
 *                       off, migrations run only as an explicit step ({@code ./gridctl migrate}), as in a
 *                       rolling upgrade of several instances (docs/UPGRADES.md)
 */
public record GridConfig(
        Path projectDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int embeddedPort,
        int httpPort,
        Path dataDir,
        String piiKey,
        java.util.List<String> piiKeyRetired,
        boolean demoLoad,
        String demoPassword,
        double demoScale,
        long demoSeed,
        String nodeCode,
        BaseMap baseMap,
        Listen listen,
        Upstream upstream,
        Path embeddedDir,
        String embeddedDatabase,
        boolean open311PublicReads,
        Ops ops,
        Backup backup,
        Standby standby,
        boolean migrateOnStart) {

    /**
     * The address the HTTP server binds ({@code http.host}: loopback by default, so a fresh demo is
     * not on the network) and the TLS-terminating proxies in front of it ({@code http.trusted.proxies}:
     * addresses or CIDR blocks whose {@code X-Forwarded-For/-Proto/-Host} headers are believed; from
     * anyone else those headers are ignored).
     */
    public record Listen(String host, java.util.List<String> trustedProxies) {
        /** Whether the server is reachable only from this machine. */
        public boolean loopbackOnly() {
            return host.equals("127.0.0.1") || host.equals("::1") || host.equals("localhost");
        }
    }

    /**
     * A base map for the wall: an XYZ URL template ({z}, {x}, {y}, optionally {s}), the attribution
     * to show, and whether its tiles are drawn in GCJ-02 (高德, 腾讯 and similar) or plain WGS84/CGCS2000.
     */
    public record BaseMap(String url, String offset, String attribution) {
    }

    /**
     * The upstream peer: the URL its sync feed is served at and the key it issued to this node
     * ({@code ./gridctl sync peer add} there). The key is a secret: keep it in the environment
     * ({@code GRIDCTL_SYNC_UPSTREAM_KEY}) or an owner-only {@code gridctl.conf}.
     */
    public record Upstream(String url, String key) {
        @Override
        public String toString() {
            return "Upstream[url=" + url + ", key=(hidden)]";
        }
    }

    /**
     * What whoever runs the server sees of it: the log format ({@code log.format}: {@code text}, the
     * lines people read, or {@code json}, one JSON object a line with one line per request, for a log
     * collector) and whether {@code /metrics} answers a scraper on this machine without credentials
     * ({@code metrics.loopback}; from anywhere else it needs a caller with {@code metrics.read}).
     */
    public record Ops(boolean jsonLogs, boolean metricsFromLoopback) {
    }

    /**
     * Backups (README "Backups"): {@code dir} is the backup repository, into which the embedded
     * cluster archives every WAL segment (null: no archiving, no backups); a quiet cluster still
     * closes and archives its segment after {@code archiveTimeoutSeconds}, which bounds what a lost
     * disk can take (the RPO). {@code passphrase} encrypts the secrets a backup carries (the
     * personal-data key ring); it comes from the environment only ({@code GRIDCTL_BACKUP_PASSPHRASE},
     * empty: asked at the terminal), never from a file, and is stored nowhere.
     */
    public record Backup(Path dir, int archiveTimeoutSeconds, String passphrase) {
        public boolean archiving() {
            return dir != null;
        }

        @Override
        public String toString() {
            return "Backup[dir=" + dir + ", archiveTimeoutSeconds=" + archiveTimeoutSeconds + ", passphrase=(hidden)]";
        }
    }

    /**
     * The standby that may serve reads ({@code db.standby.url}: a JDBC URL of a hot standby of
     * {@code db.url}, reached with the same roles; empty: every read goes to the primary) and how far
     * behind it may be ({@code db.standby.max.lag}, in milliseconds): beyond that, and while it does
     * not answer, reads go to the primary.
     */
    public record Standby(String url, int maxLagMillis) {
        public boolean configured() {
            return !url.isEmpty();
        }
    }

    /** Keys that hold a secret which must never sit in a file: read from the environment only. */
    static final java.util.Set<String> ENVIRONMENT_ONLY = java.util.Set.of("backup.passphrase");

    /** Defaults, documented in the README. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("db.url", ""),
            Map.entry("db.user", "gridctl"),
            Map.entry("db.password", ""),
            Map.entry("db.embedded.port", "54329"),
            Map.entry("db.embedded.dir", ""),
            Map.entry("db.embedded.database", "gridctl"),
            Map.entry("http.port", "8080"),
            Map.entry("http.host", "127.0.0.1"),
            Map.entry("http.trusted.proxies", ""),
            Map.entry("data.dir", "var"),
            Map.entry("pii.key", ""),
            Map.entry("pii.key.retired", ""),
            Map.entry("demo.load", "true"),
            Map.entry("demo.password", ""),
            Map.entry("demo.scale", "1.0"),
            Map.entry("demo.seed", "20240105"),
            Map.entry("node.code", "440105"),
            Map.entry("map.base.url", ""),
            Map.entry("map.base.offset", "none"),
            Map.entry("map.base.attribution", ""),
            Map.entry("sync.upstream.url", ""),
            Map.entry("sync.upstream.key", ""),
            Map.entry("open311.public.reads", "true"),
            Map.entry("log.format", "text"),
            Map.entry("metrics.loopback", "true"),
            Map.entry("backup.dir", ""),
            Map.entry("backup.archive.timeout", "60"),
            Map.entry("backup.passphrase", ""),
            Map.entry("db.standby.url", ""),
            Map.entry("db.standby.max.lag", "1000"),
            Map.entry("db.migrate.on.start", "true"));

    public boolean embedded() {
        return dbUrl.isBlank();
    }

    /** Loads the configuration of the project at {@code projectDir} from its file and the process environment. */
    public static GridConfig load(Path projectDir) {
        return load(projectDir, System.getenv());
    }

    public static GridConfig load(Path projectDir, Map<String, String> env) {
        Properties merged = new Properties();
        merged.putAll(DEFAULTS);
        Path file = env.containsKey("GRIDCTL_CONFIG")
                ? Path.of(env.get("GRIDCTL_CONFIG"))
                : projectDir.resolve("gridctl.conf");
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Properties fromFile = new Properties();
                fromFile.load(in);
                for (String key : fromFile.stringPropertyNames()) {
                    if (!DEFAULTS.containsKey(key)) {
                        throw new ConfigException("unknown key '" + key + "' in " + file
                                + "; known keys: " + String.join(", ", new java.util.TreeSet<>(DEFAULTS.keySet())));
                    }
                    if (ENVIRONMENT_ONLY.contains(key)) {
                        throw new ConfigException(key + " must not be kept in " + file + ": a file beside the data would"
                                + " open what it protects; give it as " + envName(key) + " or type it when asked");
                    }
                    merged.setProperty(key, fromFile.getProperty(key).trim());
                }
            } catch (IOException e) {
                throw new ConfigException("cannot read " + file + ": " + e.getMessage());
            }
        }
        for (String key : DEFAULTS.keySet()) {
            String value = env.get(envName(key));
            if (value != null) {
                merged.setProperty(key, value.trim());
            }
        }
        Path dataDir = Path.of(merged.getProperty("data.dir"));
        if (!dataDir.isAbsolute()) {
            dataDir = projectDir.resolve(dataDir);
        }
        return new GridConfig(
                projectDir.toAbsolutePath().normalize(),
                merged.getProperty("db.url"),
                merged.getProperty("db.user"),
                merged.getProperty("db.password"),
                port(merged, "db.embedded.port"),
                port(merged, "http.port"),
                dataDir.toAbsolutePath().normalize(),
                merged.getProperty("pii.key"),
                retiredKeys(merged),
                bool(merged, "demo.load"),
                merged.getProperty("demo.password"),
                positive(merged, "demo.scale"),
                Long.parseLong(merged.getProperty("demo.seed")),
                nodeCode(merged),
                baseMap(merged),
                listen(merged),
                upstream(merged),
                embeddedDir(merged, projectDir, dataDir),
                embeddedDatabase(merged),
                bool(merged, "open311.public.reads"),
                ops(merged),
                backup(merged, projectDir),
                standby(merged),
                bool(merged, "db.migrate.on.start"));
    }

    private static Standby standby(Properties p) {
        String url = p.getProperty("db.standby.url");
        if (!url.isEmpty() && !url.matches("jdbc:postgresql://[^\\s/]+/\\S+")) {
            throw new ConfigException("db.standby.url (" + envName("db.standby.url")
                    + ") must be a JDBC URL like jdbc:postgresql://host:port/database, got '" + url + "'");
        }
        return new Standby(url, within(p, "db.standby.max.lag", 100, 60_000, "milliseconds"));
    }

    /** A whole number of {@code unit} from {@code min} to {@code max}. */
    private static int within(Properties p, String key, int min, int max, String unit) {
        String raw = p.getProperty(key);
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            value = min - 1;
        }
        if (value < min || value > max) {
            throw new ConfigException(key + " (" + envName(key) + ") must be a number of " + unit + " from " + min + " to " + max
                    + ", got '" + raw + "'");
        }
        return value;
    }

    private static Backup backup(Properties p, Path projectDir) {
        String raw = p.getProperty("backup.dir");
        Path dir = null;
        if (!raw.isEmpty()) {
            // it goes into PostgreSQL's archive_command and restore_command, between single quotes, where % is a placeholder
            if (raw.contains("'") || raw.contains("%") || raw.contains("\n")) {
                throw new ConfigException("backup.dir (" + envName("backup.dir") + ") must not contain ', % or a line break, got '" + raw + "'");
            }
            dir = Path.of(raw);
            dir = (dir.isAbsolute() ? dir : projectDir.resolve(dir)).toAbsolutePath().normalize();
        }
        int seconds = within(p, "backup.archive.timeout", 10, 86_400, "seconds");
        return new Backup(dir, seconds, p.getProperty("backup.passphrase"));
    }

    private static Ops ops(Properties p) {
        String format = p.getProperty("log.format").trim();
        if (!format.equals("text") && !format.equals("json")) {
            throw new ConfigException("log.format (" + envName("log.format") + ") must be text or json, got '" + format + "'");
        }
        return new Ops(format.equals("json"), bool(p, "metrics.loopback"));
    }

    private static Upstream upstream(Properties p) {
        String url = p.getProperty("sync.upstream.url");
        String key = p.getProperty("sync.upstream.key");
        if (url.isEmpty() && key.isEmpty()) {
            return null;
        }
        if (url.isEmpty() || key.isEmpty()) {
            throw new ConfigException("sync.upstream.url (" + envName("sync.upstream.url") + ") and sync.upstream.key ("
                    + envName("sync.upstream.key") + ") go together: the upstream's address and the key it issued to this node");
        }
        if (!url.matches("https?://[^\\s/]+(/\\S*)?")) {
            throw new ConfigException("sync.upstream.url (" + envName("sync.upstream.url") + ") must be an http(s) URL, got '" + url + "'");
        }
        return new Upstream(url.replaceAll("/+$", ""), key);
    }

    /** {@code db.embedded.dir}: relative to the project like {@code data.dir}; empty means {@code <data dir>/pgdata}. */
    private static Path embeddedDir(Properties p, Path projectDir, Path dataDir) {
        String raw = p.getProperty("db.embedded.dir");
        Path dir = raw.isEmpty() ? dataDir.resolve("pgdata") : Path.of(raw);
        return (dir.isAbsolute() ? dir : projectDir.resolve(dir)).toAbsolutePath().normalize();
    }

    private static String embeddedDatabase(Properties p) {
        String name = p.getProperty("db.embedded.database");
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new ConfigException("db.embedded.database (" + envName("db.embedded.database")
                    + ") must be a lower-case database name (letters, digits, _), got '" + name + "'");
        }
        return name;
    }

    private static String nodeCode(Properties p) {
        String code = p.getProperty("node.code").trim();
        if (cn.haizhu.grid.data.sync.NodeLevel.ofCode(code).isEmpty()) {
            throw new ConfigException("node.code (" + envName("node.code") + ") must be the admin code of a city (440100), "
                    + "a district (440105) or a street (440105001), got '" + code + "'");
        }
        return code;
    }

    /** This platform's level in the three-level exchange, read from its code. */
    public cn.haizhu.grid.data.sync.NodeLevel nodeLevel() {
        return cn.haizhu.grid.data.sync.NodeLevel.ofCode(nodeCode).orElseThrow();
    }

    private static Listen listen(Properties p) {
        String host = p.getProperty("http.host");
        if (host.isEmpty()) {
            throw new ConfigException("http.host (" + envName("http.host") + ") must name an address, e.g. 127.0.0.1 or 0.0.0.0");
        }
        java.util.List<String> proxies = new java.util.ArrayList<>();
        for (String part : p.getProperty("http.trusted.proxies").split(",")) {
            String proxy = part.trim();
            if (proxy.isEmpty()) {
                continue;
            }
            if (!proxy.matches("[0-9A-Fa-f:.]+(/\\d{1,3})?")) {
                throw new ConfigException("http.trusted.proxies (" + envName("http.trusted.proxies")
                        + ") must list IP addresses or CIDR blocks, got '" + proxy + "'");
            }
            proxies.add(proxy);
        }
        return new Listen(host, java.util.List.copyOf(proxies));
    }

    /** {@code pii.key.retired}: comma-separated keys, meaningful only beside a configured {@code pii.key}. */
    private static java.util.List<String> retiredKeys(Properties p) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (String part : p.getProperty("pii.key.retired").split(",")) {
            if (!part.isBlank()) {
                keys.add(part.trim());
            }
        }
        if (!keys.isEmpty() && p.getProperty("pii.key").isBlank()) {
            throw new ConfigException("pii.key.retired (" + envName("pii.key.retired") + ") is set but pii.key ("
                    + envName("pii.key") + ") is not: retired keys in the configuration belong to a configured key;"
                    + " a generated key keeps its retired ones in <data dir>/secrets/pii.key.retired");
        }
        return java.util.List.copyOf(keys);
    }

    private static BaseMap baseMap(Properties p) {
        String url = p.getProperty("map.base.url");
        String offset = p.getProperty("map.base.offset").toLowerCase(Locale.ROOT);
        if (!offset.equals("none") && !offset.equals("gcj02")) {
            throw new ConfigException("map.base.offset (" + envName("map.base.offset") + ") must be none or gcj02, got '" + offset + "'");
        }
        if (url.isEmpty()) {
            return null;
        }
        if (!(url.startsWith("http://") || url.startsWith("https://") || url.startsWith("/"))
                || !url.contains("{z}") || !url.contains("{x}") || !url.contains("{y}")) {
            throw new ConfigException("map.base.url (" + envName("map.base.url")
                    + ") must be an http(s) XYZ template with {z}, {x} and {y}, got '" + url + "'");
        }
        return new BaseMap(url, offset, p.getProperty("map.base.attribution"));
    }

    /** {@code db.embedded.port} → {@code GRIDCTL_DB_EMBEDDED_PORT}. */
    public static String envName(String key) {
        return "GRIDCTL_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    public GridConfig withDatabase(String url, String user, String password) {
        return new GridConfig(projectDir, url, user, password, embeddedPort, httpPort, dataDir, piiKey, piiKeyRetired,
                demoLoad, demoPassword, demoScale, demoSeed, nodeCode, baseMap, listen, upstream, embeddedDir, embeddedDatabase, open311PublicReads, ops, backup, standby, migrateOnStart);
    }

    public GridConfig withHttpPort(int port) {
        return new GridConfig(projectDir, dbUrl, dbUser, dbPassword, embeddedPort, port, dataDir, piiKey, piiKeyRetired,
                demoLoad, demoPassword, demoScale, demoSeed, nodeCode, baseMap, listen, upstream, embeddedDir, embeddedDatabase, open311PublicReads, ops, backup, standby, migrateOnStart);
    }

    public GridConfig withListen(Listen other) {
        return new GridConfig(projectDir, dbUrl, dbUser, dbPassword, embeddedPort, httpPort, dataDir, piiKey, piiKeyRetired,
                demoLoad, demoPassword, demoScale, demoSeed, nodeCode, baseMap, other, upstream, embeddedDir, embeddedDatabase, open311PublicReads, ops, backup, standby, migrateOnStart);
    }

    /** The same configuration for the node {@code code} with the upstream {@code other} (null: none). */
    public GridConfig withNode(String code, Upstream other) {
        return new GridConfig(projectDir, dbUrl, dbUser, dbPassword, embeddedPort, httpPort, dataDir, piiKey, piiKeyRetired,
                demoLoad, demoPassword, demoScale, demoSeed, code, baseMap, listen, other, embeddedDir, embeddedDatabase, open311PublicReads, ops, backup, standby, migrateOnStart);
    }

    public GridConfig withOps(Ops other) {
        return new GridConfig(projectDir, dbUrl, dbUser, dbPassword, embeddedPort, httpPort, dataDir, piiKey, piiKeyRetired,
                demoLoad, demoPassword, demoScale, demoSeed, nodeCode, baseMap, listen, upstream, embeddedDir, embeddedDatabase, open311PublicReads, other, backup, standby, migrateOnStart);
    }

    public GridConfig withBackup(Backup other) {
        return new GridConfig(projectDir, dbUrl, dbUser, dbPassword, embeddedPort, httpPort, dataDir, piiKey, piiKeyRetired,
                demoLoad, demoPassword, demoScale, demoSeed, nodeCode, baseMap, listen, upstream, embeddedDir, embeddedDatabase, open311PublicReads, ops, other, standby, migrateOnStart);
    }

    public GridConfig withStandby(Standby other) {
        return new GridConfig(projectDir, dbUrl, dbUser, dbPassword, embeddedPort, httpPort, dataDir, piiKey, piiKeyRetired,
                demoLoad, demoPassword, demoScale, demoSeed, nodeCode, baseMap, listen, upstream, embeddedDir, embeddedDatabase, open311PublicReads, ops, backup, other, migrateOnStart);
    }

    public GridConfig withDataDir(Path dir) {
        // the embedded cluster moves with the data folder unless it was placed elsewhere (db.embedded.dir)
        Path cluster = embeddedDir.equals(dataDir.resolve("pgdata")) ? dir.resolve("pgdata") : embeddedDir;
        return new GridConfig(projectDir, dbUrl, dbUser, dbPassword, embeddedPort, httpPort, dir, piiKey, piiKeyRetired,
                demoLoad, demoPassword, demoScale, demoSeed, nodeCode, baseMap, listen, upstream, cluster, embeddedDatabase, open311PublicReads, ops, backup, standby, migrateOnStart);
    }

    private static int port(Properties p, String key) {
        String raw = p.getProperty(key);
        try {
            int port = Integer.parseInt(raw);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " (" + envName(key) + ") must be a port number 1-65535, got '" + raw + "'");
        }
    }

    private static boolean bool(Properties p, String key) {
        String raw = p.getProperty(key).toLowerCase(Locale.ROOT);
        return switch (raw) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigException(key + " (" + envName(key) + ") must be true or false, got '" + raw + "'");
        };
    }

    private static double positive(Properties p, String key) {
        String raw = p.getProperty(key);
        try {
            double v = Double.parseDouble(raw);
            if (!(v > 0 && v <= 10)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " (" + envName(key) + ") must be a number in (0, 10], got '" + raw + "'");
        }
    }

    /** A configuration value the command center cannot start with; the message says which and why. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
