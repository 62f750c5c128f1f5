package cn.haizhu.grid.server;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.Gridctl;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.importers.demo.DemoDataset;
import cn.haizhu.grid.importers.demo.DemoUsers;
import cn.haizhu.grid.importers.sync.NodeAreaTree;
import cn.haizhu.grid.data.sync.NodeLevel;
import cn.haizhu.grid.server.auth.UserCommand;
import cn.haizhu.grid.server.cluster.ClusterCommand;
import cn.haizhu.grid.server.exports.ExportCommand;
import cn.haizhu.grid.server.open311.Open311ClientCommand;
import cn.haizhu.grid.server.people.PiiKeyCommand;
import cn.haizhu.grid.server.sync.FederationCommand;
import cn.haizhu.grid.server.sync.SyncCommand;
import cn.haizhu.grid.server.upgrades.MigrateCommand;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The server's jar ({@code server/target/gridctl.jar}) behind {@code ./gridctl run|serve} (the
 * default), {@code user}, {@code pii-key}, {@code open311-client}, {@code sync}, {@code federation}, {@code cluster}, {@code migrate} and {@code export}: serving, and the commands that
 * need the server's classes. What fills the database ({@code import}, {@code generate},
 * {@code demo-cases}, {@code db}) runs from the importers' jar ({@code importers/.../cli/Main}).
 * Each command reads the configuration once when it runs ({@link Gridctl#config()}) and passes it down.
 */
@Command(name = "gridctl", mixinStandardHelpOptions = true,
        description = "Haizhu grid command center: the server and its accounts, keys and Open311 clients",
        subcommands = {Main.Serve.class, Open311ClientCommand.class, SyncCommand.class, FederationCommand.class, ClusterCommand.class,
                MigrateCommand.class})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // before any logger exists: the server's SLF4J provider (slf4j-simple, able to write JSON lines: log.format)
        cn.haizhu.grid.server.logs.GridLogProvider.select();
        CommandLine cli = new CommandLine(new Main())
                .addSubcommand("user", UserCommand.create(Gridctl::config))
                .addSubcommand("pii-key", PiiKeyCommand.create(Gridctl::config))
                .addSubcommand("export", new ExportCommand(Gridctl::config));
        System.exit(Gridctl.execute(cli, args.length == 0 ? new String[] {"serve"} : args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /**
     * The demo as the first start of the embedded database loads it (see {@code Serve.prepare}): at a
     * district the demo district and its logins, which are printed; at a street or city node of the
     * demo its area tree and the logins of its level. Idempotent: a later start finds it loaded.
     * Also what {@code ./gridctl cluster up} runs against the cluster's primary, whose instances name
     * their database by {@code db.url}.
     */
    public static void loadDemo(GridConfig config, Database db, PersonalDataCipher cipher) throws Exception {
        NodeLevel level = config.nodeLevel();
        DemoDataset dataset = new DemoDataset(config.demoScale(), config.demoSeed(), config.dataDir());
        boolean demoHere = level == NodeLevel.DISTRICT;
        if (demoHere) {
            dataset.ensureLoaded(db, cipher);
        } else {
            demoHere = dataset.markArrivingBySync(db);
        }
        NodeAreaTree.ensure(db, config, demoHere);
        if (demoHere) {
            String password = DemoUsers.password(config.demoPassword(), config.dataDir());
            List<DemoUsers.Login> logins = DemoUsers.loginsFor(level, config.nodeCode());
            try (var c = db.connection()) {
                DemoUsers.ensure(c, password, config.dataDir(), logins);
            }
            Serve.printLogins(password, logins);
        }
    }

    @Command(name = "serve", description = "Start the embedded database (unless one is configured), load the demo data on first start, serve HTTP.")
    static final class Serve implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            GridConfig config = Gridctl.config();
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
            running[0] = CommandCenter.start(config, db, () -> PersonalDataKey.existing(Gridctl.config()));
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
         * database gets the demo and its logins, which are printed: at a district the demo district
         * is loaded; a street or city node of the demo gets no records of its own (they come by
         * sync from the demo district), only its area tree ({@link NodeAreaTree}) and the logins of
         * its level. A city starts from the reference outlines of its districts in any case. A
         * database named by {@code db.url} gets no demo and no demo users. A server others can reach
         * refuses to start while any account still has the demo password.
         */
        static void prepare(GridConfig config, Database db, PersonalDataCipher cipher) throws Exception {
            boolean demo = config.demoLoad() && config.embedded();
            if (demo) {
                loadDemo(config, db, cipher);
            } else {
                NodeAreaTree.ensure(db, config, false);
                if (config.demoLoad()) {
                    System.out.println("db.url names a database of your own: no demo data and no demo users go into it"
                            + " (./gridctl user add creates accounts)");
                }
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

        private static void printLogins(String password, List<DemoUsers.Login> logins) {
            System.out.println("Demo logins (password: " + password + "):");
            for (DemoUsers.Login l : logins) {
                System.out.printf("  %-20s %-10s %s %s%n", l.username(), l.role(), l.scopeKind(),
                        l.scopeCode() == null ? "(demo grids)" : l.scopeCode());
            }
        }
    }
}
