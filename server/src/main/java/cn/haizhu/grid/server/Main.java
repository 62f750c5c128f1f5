package cn.haizhu.grid.server;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.importers.demo.DemoDataset;
import cn.haizhu.grid.importers.demo.DemoGenerator;
import cn.haizhu.grid.importers.demo.DemoUsers;
import cn.haizhu.grid.server.open311.Open311Clients;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line behind {@code ./gridctl}: {@code serve} (the default), {@code db …},
 * {@code generate}, {@code import}, {@code demo-cases}, {@code user}, {@code open311-client …}, {@code pii-key}.
 * Configuration is built once here and passed down.
 */
@Command(name = "gridctl", mixinStandardHelpOptions = true,
        description = "Haizhu grid command center",
        subcommands = {Main.Serve.class, Main.Db.class, Main.Generate.class, Main.DemoCases.class, Main.Open311Client.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");   // photo thumbnails use Java2D; a server has no display
        CommandLine cli = new CommandLine(new Main())
                .addSubcommand("import", new cn.haizhu.grid.importers.cli.ImportCommand(Main::config))
                .addSubcommand("user", cn.haizhu.grid.server.auth.UserCommand.create(Main::config))
                .addSubcommand("pii-key", cn.haizhu.grid.server.people.PiiKeyCommand.create(Main::config));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof GridConfig.ConfigException || e instanceof IllegalStateException) {
                cmd.getErr().println("gridctl: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args.length == 0 ? new String[] {"serve"} : args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    static GridConfig config() {
        return GridConfig.load(Path.of(System.getProperty("gridctl.home", ".")).toAbsolutePath().normalize());
    }

    @Command(name = "serve", description = "Start the embedded database (unless one is configured), load the demo data on first start, serve HTTP.")
    static final class Serve implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            GridConfig config = config();
            long t0 = System.nanoTime();
            Database db = Database.open(config);
            PersonalDataCipher cipher = PersonalDataKey.cipher(config);
            CountDownLatch stopped = new CountDownLatch(1);
            CommandCenter[] running = new CommandCenter[1];
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("gridctl: stopping…");
                if (running[0] != null) {
                    running[0].close();
                }
                db.close();
                stopped.countDown();
            }, "gridctl-shutdown"));
            prepare(config, db, cipher);
            // The key ring is read again from the configuration file and the data folder when a
            // ./gridctl pii-key command says it changed (KeyRingWatch): rotation without a restart.
            running[0] = CommandCenter.start(config, db, () -> PersonalDataKey.existing(config()));
            if (db.embedded() != null) {
                System.out.println("Database: embedded PostgreSQL in " + db.embedded().clusterDir()
                        + " on 127.0.0.1:" + db.embedded().port());
            }
            System.out.printf("Ready in %.1f s. Open http://localhost:%d/  (Ctrl-C stops the server and the database)%n",
                    (System.nanoTime() - t0) / 1e9, running[0].port());
            stopped.await();
            return 0;
        }

        /**
         * What happens to the database before the server listens. The newcomer's path: the embedded
         * database gets the demo district and its logins, which are printed. A database named by
         * {@code db.url} gets neither. A server others can reach refuses to start while any account
         * still has the demo password.
         */
        static void prepare(GridConfig config, Database db, PersonalDataCipher cipher) throws Exception {
            if (config.demoLoad() && config.embedded()) {
                new DemoDataset(config.demoScale(), config.demoSeed(), config.dataDir()).ensureLoaded(db, cipher);
                String password = DemoUsers.password(config.demoPassword(), config.dataDir());
                try (var c = db.connection()) {
                    DemoUsers.ensure(c, password, config.dataDir());
                }
                printLogins(password);
            } else if (config.demoLoad()) {
                System.out.println("db.url names a database of your own: no demo data and no demo users go into it"
                        + " (./gridctl user add creates accounts)");
            }
            refuseDemoPasswordsOnTheNetwork(config, db);
        }

        /**
         * A server others can reach must not let anyone in with the demo password, printed on every
         * demo start and shared by every demo login: it stops and says which accounts to change.
         */
        private static void refuseDemoPasswordsOnTheNetwork(GridConfig config, Database db) throws Exception {
            if (config.listen().loopbackOnly()) {
                return;
            }
            var demoPassword = DemoUsers.existingPassword(config.demoPassword(), config.dataDir());
            if (demoPassword.isEmpty()) {
                return;   // no demo ever ran here
            }
            java.util.List<String> exposed;
            try (var c = db.connection()) {
                exposed = DemoUsers.stillOnPassword(c, demoPassword.get());
            }
            if (!exposed.isEmpty()) {
                throw new IllegalStateException("refusing to listen on " + config.listen().host()
                        + ": these accounts still have the demo password, which anyone who saw a demo start knows: "
                        + String.join(", ", exposed) + ". Give each a password of its own (./gridctl user passwd NAME)"
                        + " or disable it (./gridctl user disable NAME), or listen on 127.0.0.1 (http.host)");
            }
        }

        private static void printLogins(String password) {
            System.out.println("Demo logins (password: " + password + "):");
            for (DemoUsers.Login l : DemoUsers.LOGINS) {
                System.out.printf("  %-20s %-10s %s %s%n", l.username(), l.role(), l.scopeKind(),
                        l.scopeCode() == null ? "(demo grids)" : l.scopeCode());
            }
        }
    }

    @Command(name = "db", description = "Manage the embedded PostgreSQL cluster.")
    static final class Db implements Callable<Integer> {
        @Parameters(index = "0", description = "start | stop | status | url | reset")
        String action;

        @Override
        public Integer call() {
            GridConfig config = config();
            if (!config.embedded()) {
                System.err.println("gridctl: db.url is set (" + config.dbUrl() + "); the embedded cluster is not in use");
                return 2;
            }
            EmbeddedPostgres pg = new EmbeddedPostgres(config.dataDir().resolve("pgdata"), config.embeddedPort());
            switch (action) {
                case "start" -> {
                    pg.start(Database.EMBEDDED_DATABASE);
                    System.out.println("running: " + pg.clusterDir() + " on 127.0.0.1:" + pg.port());
                }
                case "stop" -> pg.stop(true);
                case "status" -> System.out.println((pg.isRunning() ? "running: " : "stopped: ") + pg.clusterDir()
                        + " port " + pg.port());
                case "url" -> System.out.println(pg.jdbcUrl(Database.EMBEDDED_DATABASE) + " user " + EmbeddedPostgres.SUPERUSER
                        + " (password in " + pg.clusterDir() + ".password)");
                case "reset" -> {
                    pg.start("postgres");
                    pg.dropDatabase(Database.EMBEDDED_DATABASE);
                    pg.stop(true);
                    System.out.println("dropped database " + Database.EMBEDDED_DATABASE
                            + "; the next ./gridctl run recreates it and loads the demo data again");
                }
                default -> {
                    System.err.println("gridctl db: unknown action '" + action + "' (start, stop, status, url, reset)");
                    return 2;
                }
            }
            return 0;
        }
    }

    @Command(name = "generate", description = "Write the Haizhu demo data set files (GeoJSON + CSV) into a folder.")
    static final class Generate implements Callable<Integer> {
        @Parameters(index = "0", description = "output folder")
        Path dir;

        @Option(names = "--scale", defaultValue = "1.0", description = "1.0 = Haizhu scale (default)")
        double scale;

        @Option(names = "--seed", defaultValue = "20240105")
        long seed;

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            java.nio.file.Files.createDirectories(dir);
            System.out.println(new DemoGenerator(scale, seed).writeTo(dir));
            System.out.printf("generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }

    @Command(name = "demo-cases", description = "Add three years of case history (KPI facts, no event history) to the demo district.")
    static final class DemoCases implements Callable<Integer> {
        @Option(names = "--count", defaultValue = "1000000", description = "cases to make (default 1,000,000: about three years of Haizhu)")
        long count;

        @Option(names = "--seed", defaultValue = "20240105")
        long seed;

        @Option(names = "--remove", description = "remove the history made before, instead of adding")
        boolean remove;

        @Override
        public Integer call() throws Exception {
            GridConfig config = config();
            try (Database db = Database.open(config)) {
                long t0 = System.nanoTime();
                if (remove) {
                    System.out.println("removed " + cn.haizhu.grid.importers.demo.CaseHistory.remove(db) + " historical cases");
                    return 0;
                }
                try (var c = db.connection()) {
                    long existing = cn.haizhu.grid.importers.demo.CaseHistory.count(c);
                    if (existing > 0) {
                        System.err.println("gridctl: " + existing + " historical cases exist already; --remove them first");
                        return 2;
                    }
                }
                long made = cn.haizhu.grid.importers.demo.CaseHistory.make(db, count, seed);
                System.out.printf("made %,d historical cases in %.1f s%n", made, (System.nanoTime() - t0) / 1e9);
                return 0;
            }
        }
    }

    @Command(name = "open311-client", description = "Open311 client keys: add NAME --as USER (prints the key, once), list, revoke NAME.")
    static final class Open311Client implements Callable<Integer> {
        @Parameters(index = "0", description = "add | list | revoke")
        String action;

        @Parameters(index = "1", arity = "0..1", description = "the client application's name (a-z, 0-9, . _ -)")
        String name;

        @Option(names = "--as", description = "add: the user the client acts as, for routing and data scope (e.g. peer)")
        String actAs;

        @Override
        public Integer call() {
            if (!java.util.Set.of("add", "list", "revoke").contains(action) || (name == null) != action.equals("list")
                    || (actAs != null) != action.equals("add")) {
                System.err.println("gridctl open311-client: add NAME --as USER | list | revoke NAME");
                return 2;
            }
            GridConfig config = config();
            try (Database db = Database.open(config)) {
                io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
                io.vertx.sqlclient.Pool pool = io.vertx.pgclient.PgBuilder.pool()
                        .connectingTo(CommandCenter.ownerOptions(db)).using(vertx).build();
                try {
                    return run(new Open311Clients(pool, pool));
                } finally {
                    pool.close().await();
                    vertx.close().await();
                }
            }
        }

        private int run(Open311Clients clients) {
            switch (action) {
                case "add" -> {
                    Open311Clients.Issued issued;
                    try {
                        issued = clients.create(name, actAs, "gridctl:" + System.getProperty("user.name")).await();
                    } catch (cn.haizhu.grid.server.http.ApiError e) {
                        System.err.println("gridctl open311-client: " + e.getMessage());
                        return 2;
                    }
                    var c = issued.client();
                    System.out.printf("Open311 client %s acts as %s (%s, %s %s).%n", c.getString("name"), c.getString("actAs"),
                            c.getString("role"), c.getJsonObject("scope").getString("kind"), c.getJsonObject("scope").getString("code"));
                    System.out.println("Its key, shown this once (only a hash is kept): " + issued.key());
                }
                case "list" -> {
                    System.out.printf("%-24s %-20s %-28s %-28s %s%n", "name", "acts as", "created", "last used", "revoked");
                    for (Object o : clients.list().await()) {
                        var c = (io.vertx.core.json.JsonObject) o;
                        System.out.printf("%-24s %-20s %-28s %-28s %s%n", c.getString("name"), c.getString("actAs"),
                                c.getString("createdAt"), java.util.Objects.toString(c.getString("lastUsedAt"), "-"),
                                java.util.Objects.toString(c.getString("revokedAt"), "-"));
                    }
                }
                default -> {
                    if (!clients.revoke(name).await()) {
                        System.err.println("gridctl open311-client: no live client named " + name);
                        return 1;
                    }
                    System.out.println("revoked " + name + ": its key stops working within seconds on every server");
                }
            }
            return 0;
        }
    }
}
