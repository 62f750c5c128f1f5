package cn.haizhu.grid.server.auth;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.data.users.Role;
import cn.haizhu.grid.data.users.UserAccounts;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./gridctl user add|passwd|disable|enable|list}: real accounts, from the shell of the
 * server, as the database owner. Passwords are typed at a prompt (twice) or read from standard
 * input with {@code --password-stdin}; never from the command line, where {@code ps} and the shell
 * history would keep them.
 */
@Command(name = "user", description = "Manage user accounts: add, passwd, disable, enable, list.",
        mixinStandardHelpOptions = true)
public final class UserCommand implements Callable<Integer> {
    private final Supplier<GridConfig> config;

    private UserCommand(Supplier<GridConfig> config) {
        this.config = config;
    }

    /** The command with its subcommands, each reading the configuration when it runs. */
    public static CommandLine create(Supplier<GridConfig> config) {
        CommandLine cli = new CommandLine(new UserCommand(config));
        cli.addSubcommand("add", new Add(config));
        cli.addSubcommand("passwd", new Passwd(config));
        cli.addSubcommand("disable", new SetDisabled(config, true));
        cli.addSubcommand("enable", new SetDisabled(config, false));
        cli.addSubcommand("list", new ListUsers(config));
        return cli;
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    /** Runs {@code work} against the configured database as its owner; a refusal prints and exits 2. */
    private static int withAccounts(Supplier<GridConfig> config, AccountWork work) throws Exception {
        try (Database db = Database.open(config.get()); var c = db.connection()) {
            work.run(new UserAccounts(c));
            return 0;
        } catch (UserAccounts.Refused e) {
            System.err.println("gridctl user: " + e.getMessage());
            return 2;
        }
    }

    private interface AccountWork {
        void run(UserAccounts accounts) throws Exception;
    }

    /** Reads a new password: from stdin when asked to, else twice at the terminal. */
    static String readPassword(boolean fromStdin) throws IOException {
        if (fromStdin) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new UserAccounts.Refused("no password on standard input");
            }
            return line;
        }
        Console console = System.console();
        if (console == null) {
            throw new UserAccounts.Refused("no terminal to type the password at; pipe it in with --password-stdin");
        }
        char[] first = console.readPassword("New password: ");
        char[] second = console.readPassword("Again: ");
        try {
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new UserAccounts.Refused("the two passwords differ");
            }
            return new String(first);
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    @Command(name = "add", description = "Add an account: gridctl user add NAME --role ROLE --scope district:440105|street:440105001|grids:CODE,CODE")
    static final class Add implements Callable<Integer> {
        private final Supplier<GridConfig> config;
        @Parameters(index = "0", description = "user name (a-z, 0-9, '.', '_', '-')")
        String username;
        @Option(names = "--role", required = true, description = "admin, command, dispatcher, worker, officer, peer or ops")
        String role;
        @Option(names = "--scope", required = true, description = "district:CODE, street:CODE or grids:CODE,CODE")
        String scope;
        @Option(names = "--display-name", description = "name shown in the pages (default: the user name)")
        String displayName;
        @Option(names = "--password-stdin", description = "read the password from standard input")
        boolean passwordStdin;

        Add(Supplier<GridConfig> config) {
            this.config = config;
        }

        @Override
        public Integer call() throws Exception {
            Role r = Role.of(role).orElse(null);
            if (r == null) {
                System.err.println("gridctl user: unknown role '" + role + "' (admin, command, dispatcher, worker, officer, peer, ops)");
                return 2;
            }
            DataScope s;
            try {
                String[] parts = scope.split(":", 2);
                s = new DataScope(parts[0], parts.length == 2 ? parts[1] : "");
            } catch (IllegalArgumentException e) {
                System.err.println("gridctl user: --scope must be district:CODE (6 digits), street:CODE (9) or grids:CODE,CODE (14 each)");
                return 2;
            }
            String password = readPassword(passwordStdin);
            return withAccounts(config, a -> {
                a.add(username, displayName, r, s, password);
                System.out.println("added " + username + " (" + r.code() + ", " + s.kind() + " " + s.code() + ")");
            });
        }
    }

    @Command(name = "passwd", description = "Set a new password (every session of the user ends).")
    static final class Passwd implements Callable<Integer> {
        private final Supplier<GridConfig> config;
        @Parameters(index = "0")
        String username;
        @Option(names = "--password-stdin", description = "read the password from standard input")
        boolean passwordStdin;

        Passwd(Supplier<GridConfig> config) {
            this.config = config;
        }

        @Override
        public Integer call() throws Exception {
            String password = readPassword(passwordStdin);
            return withAccounts(config, a -> {
                a.setPassword(username, password);
                System.out.println("password of " + username + " changed; their sessions have ended");
            });
        }
    }

    @Command(name = "disable", description = "Disable (or, as 'enable', re-enable) an account; disabling ends its sessions at once.")
    static final class SetDisabled implements Callable<Integer> {
        private final Supplier<GridConfig> config;
        private final boolean disabled;
        @Parameters(index = "0")
        String username;

        SetDisabled(Supplier<GridConfig> config, boolean disabled) {
            this.config = config;
            this.disabled = disabled;
        }

        @Override
        public Integer call() throws Exception {
            return withAccounts(config, a -> {
                a.setDisabled(username, disabled);
                System.out.println(username + (disabled ? " disabled; their sessions have ended" : " enabled"));
            });
        }
    }

    @Command(name = "list", description = "List the accounts.")
    static final class ListUsers implements Callable<Integer> {
        private final Supplier<GridConfig> config;

        ListUsers(Supplier<GridConfig> config) {
            this.config = config;
        }

        @Override
        public Integer call() throws Exception {
            return withAccounts(config, a -> {
                System.out.printf("%-24s %-10s %-9s %-16s %s%n", "user", "role", "scope", "", "state");
                for (UserAccounts.Account u : a.list()) {
                    String code = u.scope().code().length() > 16 ? u.scope().code().substring(0, 15) + "…" : u.scope().code();
                    System.out.printf("%-24s %-10s %-9s %-16s %s%n", u.username(), u.role(), u.scope().kind(), code,
                            u.disabled() ? "disabled" : "active");
                }
            });
        }
    }
}
